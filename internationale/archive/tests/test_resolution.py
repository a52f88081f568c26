"""Entity resolution: judgements draw clusters transitively without touching the records;
corporate groups roll subsidiaries up along the ownership links the reader may read."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.models import model_to_dict

from internationale.archive import actions, resolution
from internationale.archive.models import Entity, Judgement
from internationale.archive.tests.world import ArchiveTestCase
from internationale.core.testing import PASSWORD
from internationale.network import actions as network_actions


def researcher_of(organization: Any, name: str) -> Any:
    _invitation, token = network_actions.invite_person(
        None, organization=organization, role="member", capabilities=("researcher",)
    )
    return network_actions.accept_person_invitation(
        None, token=token, display_name=name, password=PASSWORD
    )


class ResolutionTestCase(ArchiveTestCase):
    """corvane (Corvane Logistics GmbH) and two spellings of it, a holding, and a company
    of another name."""

    spelling: Any
    capitals: Any
    holding: Any
    aldmark: Any
    aldmark_limited: Any
    researcher_b: Any

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()

        def entity(name: str, country: str, key: str) -> Entity:
            return actions.save_entity(
                cls.member,
                network=cls.network,
                fields=actions.EntityFields(name=name, countries=[country], key=key),
            )

        cls.spelling = entity("Corvane Logistics", "DE", "corvane-short")
        cls.capitals = entity("CORVANE LOGISTICS G.m.b.H.", "DE", "corvane-caps")
        cls.holding = entity("Corvane Holding SE", "LU", "corvane-holding")
        cls.aldmark = entity("Aldmark Foods Ltd", "GB", "aldmark")
        cls.aldmark_limited = entity("Aldmark Foods Limited", "GB", "aldmark-limited")
        cls.researcher_b = researcher_of(cls.beta, "Researcher B")

    def judge(
        self,
        first: Entity,
        second: Entity,
        verdict: str = "same",
        *,
        level: str = "entity",
        actor: Any = None,
    ) -> Judgement:
        return resolution.judge(
            actor or self.coordinator,
            network=self.network,
            level=level,
            first=first,
            second=second,
            verdict=verdict,
        )

    def cluster_of(self, entity: Entity, level: str = "entity") -> int | None:
        return resolution.clusters(self.network, level).get(entity.pk)

    def own(
        self,
        owner: Entity,
        owned: Entity,
        share: str = "",
        *,
        visibility: str = "network",
        actor: Any = None,
        organization: Any = None,
    ) -> Any:
        return actions.record_link(
            actor or self.member,
            network=self.network,
            organization=organization or self.alpha,
            link=actions.LinkFields(
                kind="owns", source=owner, target=owned, share=share, visibility=visibility
            ),
        )


class ClusterTests(ResolutionTestCase):
    def test_it_clusters_two_records_judged_the_same_entity(self) -> None:
        self.assertIsNone(self.cluster_of(self.corvane))
        self.judge(self.spelling, self.corvane)
        self.assertEqual(self.cluster_of(self.corvane), self.cluster_of(self.spelling))
        self.assertEqual(self.cluster_of(self.spelling), min(self.corvane.pk, self.spelling.pk))
        self.assertIsNone(self.cluster_of(self.capitals))

    def test_it_joins_clusters_transitively(self) -> None:
        self.judge(self.corvane, self.spelling)
        self.judge(self.spelling, self.capitals)
        found = {self.cluster_of(e) for e in (self.corvane, self.spelling, self.capitals)}
        self.assertEqual(len(found), 1)
        self.assertIsNotNone(found.pop())
        self.assertIsNone(self.cluster_of(self.holding))

    def test_withdrawing_a_judgement_splits_the_cluster_again(self) -> None:
        self.judge(self.corvane, self.spelling)
        bridge = self.judge(self.spelling, self.capitals)
        resolution.withdraw(self.coordinator, bridge)
        self.assertFalse(Judgement.objects.filter(pk=bridge.pk).exists())
        self.assertEqual(self.cluster_of(self.corvane), self.cluster_of(self.spelling))
        self.assertNotEqual(self.cluster_of(self.capitals), self.cluster_of(self.corvane))

    def test_changing_a_verdict_to_different_splits_the_pair(self) -> None:
        self.judge(self.corvane, self.spelling)
        self.judge(self.capitals, self.spelling)
        changed = self.judge(self.spelling, self.corvane, "different")
        self.assertEqual(Judgement.objects.filter(level="entity").count(), 2)
        self.assertEqual(changed.verdict, "different")
        self.assertEqual(
            (changed.left_id, changed.right_id),
            tuple(sorted((self.corvane.pk, self.spelling.pk))),
        )
        self.assertNotEqual(self.cluster_of(self.corvane), self.cluster_of(self.spelling))
        self.assertEqual(self.cluster_of(self.capitals), self.cluster_of(self.spelling))

    def test_unsure_and_different_verdicts_join_nothing(self) -> None:
        self.judge(self.corvane, self.spelling, "unsure")
        self.judge(self.corvane, self.capitals, "different")
        self.assertEqual(resolution.clusters(self.network, "entity"), {})

    def test_an_entity_judgement_joins_groups_but_a_group_judgement_not_entities(self) -> None:
        self.judge(self.corvane, self.holding, level="group")
        self.judge(self.corvane, self.spelling)
        self.assertNotEqual(self.cluster_of(self.corvane), self.cluster_of(self.holding))
        self.assertEqual(
            self.cluster_of(self.corvane, "group"), self.cluster_of(self.holding, "group")
        )
        self.assertEqual(
            self.cluster_of(self.spelling, "group"), self.cluster_of(self.holding, "group")
        )

    def test_judging_never_changes_the_entity_records(self) -> None:
        def snapshot() -> dict[int, dict[str, Any]]:
            return {
                entity.pk: model_to_dict(entity) | {"updated_at": entity.updated_at}
                for entity in Entity.objects.filter(network=self.network)
            }

        before = snapshot()
        self.judge(self.corvane, self.spelling)
        self.judge(self.spelling, self.capitals)
        self.judge(self.corvane, self.holding, level="group")
        different = self.judge(self.aldmark, self.aldmark_limited, "different")
        self.judge(self.corvane, self.spelling, "different")
        resolution.withdraw(self.coordinator, different)
        self.assertEqual(snapshot(), before)


class GroupTests(ResolutionTestCase):
    def group_ids(self, reader: Any, *entities: Entity) -> set[int]:
        groups = resolution.groups(reader, self.network)
        return {groups[entity.pk].id for entity in entities}

    def test_a_majority_ownership_rolls_the_subsidiary_up_under_its_owner(self) -> None:
        self.own(self.holding, self.corvane, "51")
        self.own(self.holding, self.corvane_tr, "100")
        groups = resolution.groups(self.outsider, self.network)
        group = groups[self.corvane.pk]
        self.assertIs(groups[self.corvane_tr.pk], group)
        self.assertIs(groups[self.holding.pk], group)
        self.assertEqual(group.head.pk, self.holding.pk)
        self.assertEqual(group.entity_ids, {self.holding.pk, self.corvane.pk, self.corvane_tr.pk})
        self.assertEqual(group.countries, ["DE", "LU", "TR"])
        self.assertNotEqual(groups[self.aldmark.pk].id, group.id)

    def test_an_ownership_without_a_share_joins_the_group(self) -> None:
        self.own(self.holding, self.corvane)
        self.assertEqual(len(self.group_ids(self.member, self.holding, self.corvane)), 1)

    def test_a_minority_ownership_does_not_join_the_group(self) -> None:
        self.own(self.holding, self.corvane, "20")
        self.assertEqual(len(self.group_ids(self.member, self.holding, self.corvane)), 2)
        groups = resolution.groups(self.member, self.network)
        self.assertEqual(groups[self.corvane.pk].head.pk, self.corvane.pk)

    def test_exactly_half_is_no_majority_but_a_hundredth_more_is(self) -> None:
        self.own(self.holding, self.corvane, "50")
        self.own(self.holding, self.corvane_tr, "50.01")
        self.assertEqual(len(self.group_ids(self.member, self.holding, self.corvane)), 2)
        self.assertEqual(len(self.group_ids(self.member, self.holding, self.corvane_tr)), 1)

    def test_a_private_ownership_joins_the_group_only_for_its_organization(self) -> None:
        self.own(self.holding, self.corvane, "75", visibility="private")
        self.assertEqual(len(self.group_ids(self.member, self.holding, self.corvane)), 1)
        self.assertEqual(len(self.group_ids(self.coordinator, self.holding, self.corvane)), 1)
        self.assertEqual(len(self.group_ids(self.outsider, self.holding, self.corvane)), 2)
        self.assertEqual(len(self.group_ids(self.researcher_b, self.holding, self.corvane)), 2)

    def test_a_private_ownership_of_beta_joins_the_group_for_beta_only(self) -> None:
        self.own(
            self.holding,
            self.corvane,
            "75",
            visibility="private",
            actor=self.outsider,
            organization=self.beta,
        )
        self.assertEqual(len(self.group_ids(self.outsider, self.holding, self.corvane)), 1)
        self.assertEqual(len(self.group_ids(self.member, self.holding, self.corvane)), 2)

    def test_ownership_rolls_up_through_several_levels_and_judgements(self) -> None:
        self.own(self.holding, self.corvane, "60")
        self.own(self.corvane, self.corvane_tr, "100")
        self.judge(self.capitals, self.corvane_tr, level="group")
        groups = resolution.groups(self.member, self.network)
        group = groups[self.capitals.pk]
        self.assertEqual(
            group.entity_ids,
            {self.holding.pk, self.corvane.pk, self.corvane_tr.pk, self.capitals.pk},
        )
        self.assertEqual(group.head.pk, self.holding.pk)


class SuggestionTests(ResolutionTestCase):
    def pairs(self, level: str = "entity") -> list[frozenset[int]]:
        return [
            frozenset((s.left.pk, s.right.pk))
            for s in resolution.suggestions(self.coordinator, self.network, level)
        ]

    def test_it_suggests_each_pair_the_matcher_finds(self) -> None:
        found = self.pairs()
        corvanes = {self.corvane.pk, self.spelling.pk, self.capitals.pk}
        self.assertIn(frozenset((self.aldmark.pk, self.aldmark_limited.pk)), found)
        self.assertEqual(
            {pair for pair in found if pair <= corvanes},
            {
                frozenset((self.corvane.pk, self.spelling.pk)),
                frozenset((self.corvane.pk, self.capitals.pk)),
                frozenset((self.spelling.pk, self.capitals.pk)),
            },
        )
        self.assertNotIn(frozenset((self.corvane.pk, self.corvane_tr.pk)), found)
        self.assertEqual(len(found), len(set(found)))

    def test_judged_pairs_are_not_suggested_again_whatever_the_verdict(self) -> None:
        self.judge(self.aldmark, self.aldmark_limited, "different")
        self.judge(self.corvane, self.capitals, "unsure")
        found = self.pairs()
        self.assertNotIn(frozenset((self.aldmark.pk, self.aldmark_limited.pk)), found)
        self.assertNotIn(frozenset((self.corvane.pk, self.capitals.pk)), found)
        self.assertIn(frozenset((self.corvane.pk, self.spelling.pk)), found)

    def test_one_suggestion_per_pair_of_clusters(self) -> None:
        self.judge(self.corvane, self.spelling)
        found = self.pairs()
        self.assertNotIn(frozenset((self.corvane.pk, self.spelling.pk)), found)
        to_capitals = [
            pair
            for pair in found
            if self.capitals.pk in pair and pair & {self.corvane.pk, self.spelling.pk}
        ]
        self.assertEqual(len(to_capitals), 1)

    def test_a_pair_already_in_one_cluster_is_not_suggested(self) -> None:
        self.judge(self.corvane, self.spelling)
        self.judge(self.spelling, self.capitals)
        found = self.pairs()
        corvanes = {self.corvane.pk, self.spelling.pk, self.capitals.pk}
        self.assertEqual([pair for pair in found if pair <= corvanes], [])
        self.assertIn(frozenset((self.aldmark.pk, self.aldmark_limited.pk)), found)

    def test_group_suggestions_leave_out_records_already_in_one_group(self) -> None:
        self.own(self.holding, self.corvane, "100")
        found = self.pairs("group")
        self.assertNotIn(frozenset((self.holding.pk, self.corvane.pk)), found)
        in_group = {self.holding.pk, self.corvane.pk}
        self.assertTrue(all(len(pair & in_group) < 2 for pair in found))
        toward_group = [pair for pair in found if self.corvane_tr.pk in pair and pair & in_group]
        self.assertEqual(len(toward_group), 1)


class WhoJudgesTests(ResolutionTestCase):
    def test_only_researchers_and_coordinators_judge(self) -> None:
        for persona in (self.member, self.translator, self.steward, self.outsider, self.stranger):
            with self.subTest(persona=str(persona)), self.assertRaises(PermissionDenied):
                self.judge(self.corvane, self.spelling, actor=persona)
        self.assertFalse(Judgement.objects.exists())
        self.judge(self.corvane, self.spelling, actor=self.researcher_b)
        self.judge(self.corvane, self.capitals, actor=self.coordinator)
        self.assertEqual(Judgement.objects.count(), 2)

    def test_only_researchers_and_coordinators_withdraw(self) -> None:
        judgement = self.judge(self.corvane, self.spelling)
        for persona in (self.member, self.outsider, self.stranger):
            with self.subTest(persona=str(persona)), self.assertRaises(PermissionDenied):
                resolution.withdraw(persona, judgement)
        self.assertTrue(Judgement.objects.filter(pk=judgement.pk).exists())
        resolution.withdraw(self.researcher_b, judgement)
        self.assertFalse(Judgement.objects.exists())

    def test_a_record_is_not_judged_against_itself(self) -> None:
        with self.assertRaises(ValidationError):
            self.judge(self.corvane, self.corvane)
        self.assertFalse(Judgement.objects.exists())

    def test_records_of_another_network_are_refused(self) -> None:
        elsewhere = actions.save_entity(
            self.stranger,
            network=self.other_network,
            fields=actions.EntityFields(name="Corvane Logistics GmbH", key="corvane-de"),
        )
        with self.assertRaises(ValidationError):
            self.judge(self.corvane, elsewhere)
        coordinator_c = self.gamma.memberships.get(role="coordinator").member
        with self.assertRaises(ValidationError):
            resolution.judge(
                coordinator_c,
                network=self.other_network,
                level="entity",
                first=self.corvane,
                second=self.spelling,
                verdict="same",
            )
        self.assertFalse(Judgement.objects.exists())

    def test_an_unknown_level_or_verdict_is_refused(self) -> None:
        with self.assertRaises(ValidationError):
            self.judge(self.corvane, self.spelling, "probably")
        with self.assertRaises(ValidationError):
            self.judge(self.corvane, self.spelling, level="family")
        self.assertFalse(Judgement.objects.exists())
