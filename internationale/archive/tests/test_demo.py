"""The demo's archive: knowledge from the five places, with one invented corporate group
under different names, scripts and legal forms in four of them."""

from django.test import TestCase

from internationale.archive import demo, matching, xref
from internationale.archive import models as archive
from internationale.network.demo import DEMO_NETWORK
from internationale.network.demo import load_demo as load_network_demo
from internationale.network.models import Member, Network


class DemoArchiveTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        load_network_demo()
        demo.load_demo()

    def test_one_group_appears_in_four_places_and_the_matcher_finds_it(self) -> None:
        group = archive.Entity.objects.filter(key__startswith="corvane-").exclude(
            key="corvane-holding"
        )
        self.assertEqual(
            sorted({c for e in group for c in e.countries}), ["BD", "BR", "NG", "TR", "US"]
        )
        self.assertIn("কোরভেন", group.get(key="corvane-bd").name)
        records = [(e.key, e.name, e.countries[0]) for e in archive.Entity.objects.all()]
        clusters = matching.cluster(records, level="group")
        corvane = {clusters[e.key] for e in group} | {clusters["corvane-holding"]}
        self.assertEqual(len(corvane), 1)
        others = {clusters[key] for key in ("rapidao", "kestrel", "meghna", "lagos-agency")}
        self.assertNotIn(corvane.pop(), others)

    def test_the_holding_owns_each_subsidiary(self) -> None:
        owned = archive.Link.objects.filter(kind="owns", source__key="corvane-holding")
        self.assertEqual(owned.count(), 4)
        self.assertEqual(owned.get(target__key="corvane-ng").share, 7_000)

    def test_every_place_recorded_knowledge(self) -> None:
        places = set(archive.WageRecord.objects.values_list("country", flat=True))
        self.assertEqual(places, {"US", "TR", "NG", "BR", "BD"})
        self.assertEqual(archive.Testimony.objects.count(), 4)
        self.assertEqual(sum("[[" in t.text for t in archive.Testimony.objects.all()), 3)
        self.assertEqual(archive.Translation.objects.count(), 2)
        self.assertEqual(archive.LegalTactic.objects.count(), 3)
        self.assertTrue(demo.demo_exists())

    def test_the_cross_reference_shows_the_group_in_four_places(self) -> None:
        network = Network.objects.get(name=DEMO_NETWORK)
        reader = Member.objects.get(display_name="Caio")
        broadest = xref.cross_reference(reader, network)[0]
        self.assertEqual(broadest.group.head.key, "corvane-holding")
        self.assertGreaterEqual(len(broadest.organizations), 4)
        self.assertGreaterEqual(len(broadest.countries), 4)
        kinds = {item.kind for item in broadest.evidence}
        self.assertTrue({"testimony", "wage", "link", "tactic"} <= kinds)
        common, pay = xref.pay_comparison(reader, network, broadest.group)
        self.assertEqual(common, "USD")
        self.assertTrue(pay)
        self.assertTrue(all(row.common is not None for row in pay))

    def test_the_family_script_recurs_across_three_organizations(self) -> None:
        network = Network.objects.get(name=DEMO_NETWORK)
        reader = Member.objects.get(display_name="Caio")
        recurring = xref.recurring_rhetoric(reader, network)
        family = next(g for g in recurring if any("family" in p.passage.text for p in g))
        self.assertEqual(len({p.organization.pk for p in family}), 3)
