"""The cross-reference: groups ranked by how many organizations and countries name them, with
their evidence; exact pay per hour in the common currency; recurring management rhetoric;
and never a word another organization keeps to itself."""

from datetime import date
from typing import Any

from internationale.archive import access, actions, resolution, xref
from internationale.archive import models as archive
from internationale.archive.models import Entity
from internationale.archive.tests.world import ArchiveTestCase
from internationale.core.money import Money
from internationale.network import actions as network_actions
from internationale.relay import actions as relay_actions
from internationale.relay.models import Report


class CrossReferenceTestCase(ArchiveTestCase):
    holding: Any
    aldmark: Any
    relay: Any

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.holding = actions.save_entity(
            cls.member,
            network=cls.network,
            fields=actions.EntityFields(
                name="Corvane Holding SE", countries=["LU"], key="corvane-holding"
            ),
        )
        cls.aldmark = actions.save_entity(
            cls.member,
            network=cls.network,
            fields=actions.EntityFields(name="Aldmark Foods Ltd", countries=["GB"], key="aldmark"),
        )
        circle = network_actions.create_circle(
            cls.coordinator, organization=cls.alpha, name="Harbour circle", members=[cls.member]
        )
        cls.relay = relay_actions.start_relay(
            cls.coordinator,
            network=cls.network,
            title="Who runs the depot?",
            prompt="Tell the next circle who runs your depot.",
            circles=[circle],
            languages=["en"],
        )

    def record(
        self,
        text: str,
        *,
        beta: bool = False,
        visibility: str = "network",
        language: str = "en",
        title: str = "Night shifts",
    ) -> archive.Testimony:
        return actions.record_testimony(
            self.outsider if beta else self.member,
            network=self.network,
            organization=self.beta if beta else self.alpha,
            testimony=actions.TestimonyFields(
                title=title,
                speaker="Lantern",
                language=language,
                text=text,
                consent="network",
                visibility=visibility,
            ),
        )

    def wage(
        self,
        employer: Entity,
        *,
        pay: str = "14.50",
        currency: str = "EUR",
        period: str = "hour",
        hours: str = "1",
        country: str = "DE",
        observed_on: date = date(2026, 3, 1),
        visibility: str = "network",
        beta: bool = False,
    ) -> archive.WageRecord:
        return actions.record_wage(
            self.outsider if beta else self.member,
            network=self.network,
            organization=self.beta if beta else self.alpha,
            wage=actions.Wage(
                employer=employer,
                country=country,
                job="picker",
                pay=pay,
                currency=currency,
                period=period,
                hours=hours,
                observed_on=observed_on,
                visibility=visibility,
            ),
        )

    def own(self, owner: Entity, owned: Entity, *, visibility: str = "network") -> archive.Link:
        return actions.record_link(
            self.member,
            network=self.network,
            organization=self.alpha,
            link=actions.LinkFields(
                kind="owns",
                source=owner,
                target=owned,
                share="100",
                evidence="Annual report 2025, page 4.",
                visibility=visibility,
            ),
        )

    def report(self, text: str, *, visibility: str = "network") -> Report:
        return relay_actions.add_text_report(
            self.member,
            leg=self.relay.legs.get(position=0),
            fields=relay_actions.ReportFields(
                title="Who runs the depot", speaker="Harbour", language="en", visibility=visibility
            ),
            text=text,
        )

    def appearance_of(self, reader: Any, entity: Entity) -> xref.Appearance:
        return xref.appearance(reader, self.network, entity)


class BreadthTests(CrossReferenceTestCase):
    def test_a_group_named_by_two_organizations_is_listed_with_its_breadth(self) -> None:
        wage = self.wage(self.corvane)
        testimony = self.record("Corvane Logistics GmbH cut the night bonus.", beta=True)
        found = self.appearance_of(self.outsider, self.corvane)
        self.assertEqual([o.name for o in found.organizations], ["Alpha Union", "Beta Collective"])
        self.assertEqual(found.countries, ["BR", "DE"])
        self.assertEqual(found.breadth, (2, 2, 2))
        self.assertTrue(found.shared)
        self.assertEqual(
            {(e.kind, e.object_id) for e in found.evidence},
            {("wage", wage.pk), ("testimony", testimony.pk)},
        )

    def test_organizations_rank_before_countries_and_evidence(self) -> None:
        self.wage(self.corvane)
        self.record("Corvane Logistics GmbH cut the night bonus.", beta=True)
        for country in ("GB", "IN", "BD"):
            self.wage(self.aldmark, country=country, currency="GBP")
        self.record("Aldmark Foods Ltd locked the gate.")
        ranked = xref.cross_reference(self.outsider, self.network)
        heads = [appearance.group.head.pk for appearance in ranked]
        self.assertEqual(heads[:2], [self.corvane.pk, self.aldmark.pk])
        self.assertEqual(ranked[0].breadth, (2, 2, 2))
        self.assertEqual(ranked[1].breadth, (1, 4, 4))

    def test_a_group_is_listed_once_under_its_head_with_the_evidence_of_all_its_records(
        self,
    ) -> None:
        link = self.own(self.holding, self.corvane)
        self.own(self.holding, self.corvane_tr)
        self.wage(self.corvane_tr, country="TR", currency="TRY", pay="22000", period="month")
        self.record("Corvane Logistics GmbH cut the night bonus.", beta=True)
        ranked = xref.cross_reference(self.outsider, self.network)
        corvane = [a for a in ranked if self.corvane.pk in a.group.entity_ids]
        self.assertEqual(len(corvane), 1)
        self.assertEqual(corvane[0].group.head.pk, self.holding.pk)
        links = [e for e in corvane[0].evidence if e.kind == "link"]
        self.assertEqual(len([e for e in links if e.object_id == link.pk]), 1)
        self.assertEqual(corvane[0].breadth[0], 2)
        self.assertEqual(
            self.appearance_of(self.outsider, self.corvane_tr).group.id, corvane[0].group.id
        )

    def test_every_kind_of_evidence_is_gathered(self) -> None:
        wage = self.wage(self.corvane)
        link = self.own(self.holding, self.corvane)
        testimony = self.record("Corvane Logistics GmbH cut the night bonus.", beta=True)
        tactic = actions.record_tactic(
            self.outsider,
            network=self.network,
            organization=self.beta,
            tactic=actions.TacticFields(
                jurisdiction="Hamburg labour court",
                issue="Unpaid night bonus",
                tactic="Collective claim for the unpaid bonus.",
                outcome="won",
                against=self.corvane,
                visibility="network",
            ),
        )
        original = self.record("A Corvane Logistics GmbH cortou o bônus.", language="pt")
        translation = actions.save_translation(
            self.translator,
            item=original,
            language="en",
            title="The bonus was cut",
            text="Corvane Logistics GmbH cut the bonus.",
        )
        report = self.report("The depot belongs to Corvane Logistics GmbH now.")
        found = self.appearance_of(self.outsider, self.corvane)
        by_kind = {kind: {e.object_id for e in items} for kind, items in found.by_kind().items()}
        self.assertEqual(
            by_kind,
            {
                "wage": {wage.pk},
                "link": {link.pk},
                "testimony": {testimony.pk, original.pk},
                "tactic": {tactic.pk},
                "translation": {translation.pk},
                "report": {report.pk},
            },
        )
        [excerpt] = [
            e.excerpt
            for e in found.evidence
            if (e.kind, e.object_id) == ("testimony", testimony.pk)
        ]
        self.assertIn("Corvane Logistics GmbH cut the night bonus.", excerpt)

    def test_a_private_relay_report_is_evidence_for_its_organization_only(self) -> None:
        report = self.report(
            "The depot belongs to Corvane Logistics GmbH now.", visibility="private"
        )
        mine = self.appearance_of(self.member, self.corvane)
        self.assertEqual([(e.kind, e.object_id) for e in mine.evidence], [("report", report.pk)])
        self.assertEqual(self.appearance_of(self.outsider, self.corvane).evidence, [])

    def test_a_private_organization_is_never_named_by_its_shared_records(self) -> None:
        self.report("The depot belongs to Corvane Logistics GmbH now.")
        self.record("Corvane Logistics GmbH cut the night bonus.")
        self.record("Corvane Logistics GmbH pays late.", beta=True)
        type(self.alpha).objects.filter(pk=self.alpha.pk).update(visibility="private")
        theirs = self.appearance_of(self.outsider, self.corvane)
        self.assertEqual([o.pk for o in theirs.organizations], [self.beta.pk])
        self.assertEqual({e.kind for e in theirs.evidence}, {"testimony"})
        mine = self.appearance_of(self.member, self.corvane)
        self.assertEqual({o.pk for o in mine.organizations}, {self.alpha.pk, self.beta.pk})
        self.assertIn("report", {e.kind for e in mine.evidence})


class PayTests(CrossReferenceTestCase):
    def setUp(self) -> None:
        for on, common in (
            (date(2025, 6, 1), 95),
            (date(2026, 1, 1), 108),
            (date(2026, 4, 1), 120),
        ):
            actions.record_rate(
                self.member,
                network=self.network,
                on=on,
                amount=Money(100, "EUR"),
                common=Money(common, "USD"),
            )
        actions.record_rate(
            self.member,
            network=self.network,
            on=date(2026, 1, 1),
            amount=Money(100, "GBP"),
            common=Money(125, "USD"),
        )

    def compare(self, reader: Any = None) -> tuple[str, dict[int, xref.Pay]]:
        group = resolution.groups(reader or self.member, self.network)[self.corvane.pk]
        common, pay = xref.pay_comparison(reader or self.member, self.network, group)
        return common, {p.record.pk: p for p in pay}

    def test_a_monthly_wage_is_made_hourly_exactly_rounding_half_to_even(self) -> None:
        monthly = self.wage(self.corvane, pay="2602.33", period="month", hours="173.2")
        self.assertEqual((monthly.pay, monthly.hours), (260_233, 17_320))
        _common, pay = self.compare()
        self.assertEqual(pay[monthly.pk].hourly, Money(1502, "EUR"))  # 1502.5 exactly

    def test_the_common_figure_uses_the_latest_rate_on_or_before_the_record(self) -> None:
        monthly = self.wage(self.corvane, pay="2602.33", period="month", hours="173.2")
        on_the_day = self.wage(self.corvane, pay="10", observed_on=date(2026, 4, 1))
        common, pay = self.compare()
        self.assertEqual(common, "USD")
        # 1502.5 × 108/100 = 1622.7: the exact hourly pay is converted, not the rounded one.
        self.assertEqual(pay[monthly.pk].common, Money(1623, "USD"))
        self.assertEqual(pay[monthly.pk].rate_on, date(2026, 1, 1))
        self.assertEqual(pay[on_the_day.pk].common, Money(1200, "USD"))
        self.assertEqual(pay[on_the_day.pk].rate_on, date(2026, 4, 1))

    def test_the_conversion_rounds_half_to_even(self) -> None:
        british = self.wage(self.corvane, pay="8.02", currency="GBP", country="GB")
        _common, pay = self.compare()
        self.assertEqual(pay[british.pk].hourly, Money(802, "GBP"))
        self.assertEqual(pay[british.pk].common, Money(1002, "USD"))  # 1002.5

    def test_a_record_with_no_rate_on_or_before_its_date_has_no_common_figure(self) -> None:
        early = self.wage(self.corvane, pay="12", observed_on=date(2025, 1, 1))
        lira = self.wage(
            self.corvane, pay="22000", currency="TRY", period="month", hours="187.5", country="TR"
        )
        dollars = self.wage(self.corvane, pay="15.25", currency="USD", country="US")
        _common, pay = self.compare()
        self.assertEqual((pay[early.pk].common, pay[early.pk].rate_on), (None, None))
        self.assertEqual((pay[lira.pk].common, pay[lira.pk].rate_on), (None, None))
        self.assertEqual(pay[lira.pk].hourly, Money(11_733, "TRY"))
        self.assertEqual(pay[dollars.pk].common, Money(1525, "USD"))

    def test_records_are_listed_by_common_pay_then_those_without(self) -> None:
        low = self.wage(self.corvane, pay="10")
        high = self.wage(self.corvane, pay="20")
        none = self.wage(self.corvane, pay="22000", currency="TRY", period="month", country="TR")
        group = resolution.groups(self.member, self.network)[self.corvane.pk]
        _common, pay = xref.pay_comparison(self.member, self.network, group)
        self.assertEqual([p.record.pk for p in pay], [high.pk, low.pk, none.pk])

    def test_a_private_wage_of_another_organization_is_not_compared(self) -> None:
        private = self.wage(self.corvane, pay="10", visibility="private")
        shared = self.wage(self.corvane, pay="11")
        _common, pay = self.compare(self.outsider)
        self.assertEqual(set(pay), {shared.pk})
        self.assertIn(private.pk, self.compare(self.member)[1])


SCRIPT = "The company is like a family to all of us."
PARAPHRASE = "This company is like one big family to all of us"


class RhetoricTests(CrossReferenceTestCase):
    def sources(self, reader: Any) -> list[set[tuple[str, str]]]:
        return [
            {(p.organization.name, p.label) for p in passages}
            for passages in xref.recurring_rhetoric(reader, self.network)
        ]

    def test_paraphrases_in_two_testimonies_are_grouped(self) -> None:
        self.record(f"The manager came at night. {SCRIPT}", title="Depot A")
        self.record(f"{PARAPHRASE}. The supervisor said it twice.", beta=True, title="Depot B")
        [passages] = xref.recurring_rhetoric(self.outsider, self.network)
        self.assertEqual(
            {(p.organization.name, p.label) for p in passages},
            {("Alpha Union", "Depot A"), ("Beta Collective", "Depot B")},
        )
        self.assertIn(SCRIPT, [p.passage.text for p in passages])
        self.assertTrue(all(p.url.startswith("/archive/testimonies/") for p in passages))

    def test_a_testimony_and_its_own_translation_alone_are_not_grouped(self) -> None:
        original = self.record(SCRIPT, language="es", title="Depot A")
        actions.save_translation(
            self.translator, item=original, language="en", title="Depot A", text=SCRIPT
        )
        self.assertEqual(xref.recurring_rhetoric(self.member, self.network), [])

    def test_a_translation_joins_a_script_across_languages(self) -> None:
        original = self.record("A empresa é como uma família para todos nós.", language="pt")
        actions.save_translation(
            self.translator, item=original, language="en", title="Depot A", text=SCRIPT
        )
        self.record(PARAPHRASE, beta=True, title="Depot B")
        [passages] = xref.recurring_rhetoric(self.outsider, self.network)
        self.assertEqual({p.language for p in passages}, {"en"})
        self.assertEqual(len({p.organization.pk for p in passages}), 2)

    def test_a_private_testimony_is_no_source_for_another_organization(self) -> None:
        self.record(SCRIPT, visibility="private", title="Depot A")
        self.record(PARAPHRASE, beta=True, title="Depot B")
        self.assertEqual(xref.recurring_rhetoric(self.outsider, self.network), [])
        self.assertEqual(len(xref.recurring_rhetoric(self.member, self.network)), 1)


class RedactionTests(CrossReferenceTestCase):
    def test_a_redaction_never_appears_in_another_organization_s_rhetoric(self) -> None:
        self.record(
            "The manager [[Volkmar Brandt]] said the company is like a family to all of us.",
            title="Depot A",
        )
        self.record("The manager said the company is like a family to all of us.", beta=True)
        [theirs] = xref.recurring_rhetoric(self.outsider, self.network)
        self.assertEqual(len(theirs), 2)
        for passage in theirs:
            self.assertNotIn("Volkmar", passage.passage.text)
            self.assertNotIn("Brandt", passage.passage.text)
        [ours] = xref.recurring_rhetoric(self.member, self.network)
        self.assertIn(
            "The manager Volkmar Brandt said the company is like a family to all of us.",
            [p.passage.text for p in ours],
        )

    def test_a_redaction_never_appears_in_another_organization_s_excerpts(self) -> None:
        testimony = self.record(
            "Corvane Logistics GmbH fired [[Kemal Aydın, the night foreman,]] for organising."
        )
        [theirs] = [e for e in self.appearance_of(self.outsider, self.corvane).evidence]
        self.assertEqual((theirs.kind, theirs.object_id), ("testimony", testimony.pk))
        self.assertNotIn("Kemal", theirs.excerpt)
        self.assertIn("Corvane Logistics GmbH fired […] for organising.", theirs.excerpt)
        [ours] = [e for e in self.appearance_of(self.member, self.corvane).evidence]
        self.assertIn("Kemal Aydın", ours.excerpt)

    def test_a_name_inside_a_redaction_is_evidence_for_its_organization_only(self) -> None:
        testimony = self.record("The pallets came from [[Aldmark Foods Ltd]] that night.")
        self.assertEqual(self.appearance_of(self.outsider, self.aldmark).evidence, [])
        self.assertNotIn(
            self.aldmark.pk,
            {
                pk
                for a in xref.cross_reference(self.outsider, self.network)
                for pk in a.group.entity_ids
            },
        )
        [ours] = self.appearance_of(self.member, self.aldmark).evidence
        self.assertEqual((ours.kind, ours.object_id), ("testimony", testimony.pk))

    def test_an_excerpt_after_a_redaction_of_another_organization_is_cut_at_the_name(self) -> None:
        self.record(
            "[[Our steward Ilse Marquardt, who lives on Hafenstraße 12,]] told us that "
            "Corvane Logistics GmbH will close the depot."
        )
        [theirs] = self.appearance_of(self.outsider, self.corvane).evidence
        self.assertNotIn("Marquardt", theirs.excerpt)
        self.assertNotIn("Hafenstraße", theirs.excerpt)
        self.assertIn("Corvane Logistics GmbH will close the depot.", theirs.excerpt)

    def test_a_name_inside_a_translation_s_redaction_is_evidence_for_its_organization_only(
        self,
    ) -> None:
        original = self.record("Os paletes vieram de [[uma empresa]] naquela noite.", language="pt")
        translation = actions.save_translation(
            self.translator,
            item=original,
            language="en",
            title="Pallets at night",
            text="The pallets came from [[Aldmark Foods Ltd]] that night.",
        )
        self.assertEqual(self.appearance_of(self.outsider, self.aldmark).evidence, [])
        [ours] = self.appearance_of(self.member, self.aldmark).evidence
        self.assertEqual((ours.kind, ours.object_id), ("translation", translation.pk))

    def test_a_name_inside_a_redaction_of_a_tactic_s_translation_is_read_by_its_organization(
        self,
    ) -> None:
        tactic = actions.record_tactic(
            self.member,
            network=self.network,
            organization=self.alpha,
            tactic=actions.TacticFields(
                jurisdiction="Tribunal do Trabalho",
                issue="Unpaid night bonus",
                tactic="Collective claim for the unpaid bonus.",
                outcome="pending",
                visibility="network",
            ),
        )
        translation = actions.save_translation(
            self.translator,
            item=tactic,
            language="pt",
            title="Bônus noturno",
            text="Ação coletiva contra [[Aldmark Foods Ltd]] pelo bônus.",
        )
        self.assertEqual(list(access.mentions_of(self.outsider, self.network, [self.aldmark])), [])
        self.assertEqual(self.appearance_of(self.outsider, self.aldmark).evidence, [])
        [mention] = access.mentions_of(self.member, self.network, [self.aldmark])
        self.assertEqual(mention.translation_id, translation.pk)
        [ours] = self.appearance_of(self.member, self.aldmark).evidence
        self.assertEqual((ours.kind, ours.object_id), ("translation", translation.pk))
