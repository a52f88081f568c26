"""The demo's archive: knowledge from the five places, with one invented corporate group
under different names, scripts and legal forms in four of them."""

from django.test import TestCase

from internationale.archive import demo, matching
from internationale.archive import models as archive
from internationale.network.demo import load_demo as load_network_demo


class DemoArchiveTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        load_network_demo()
        demo.load_demo()

    def test_one_group_appears_in_four_places_and_the_matcher_finds_it(self) -> None:
        group = archive.Entity.objects.filter(key__startswith="corvane-").exclude(
            key="corvane-holding"
        )
        self.assertEqual(sorted(c for e in group for c in e.countries), ["BR", "NG", "TR", "US"])
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
        self.assertEqual(archive.Testimony.objects.count(), 2)
        self.assertTrue(all("[[" in t.text for t in archive.Testimony.objects.all()))
        self.assertEqual(archive.LegalTactic.objects.count(), 3)
        self.assertTrue(demo.demo_exists())
