"""The demo's relays: one finished across the five places, with recordings, transcripts and
translations, published; one in progress."""

import itertools
import tempfile

from django.test import TestCase, override_settings
from django.urls import reverse

from internationale.network.demo import load_demo as load_network_demo
from internationale.relay import demo
from internationale.relay.models import Feed, LegState, Relay, Report
from internationale.relay.tests.world import media_storage

MEDIA = tempfile.mkdtemp(prefix="relay-demo-media-")


@override_settings(STORAGES=media_storage(MEDIA))
class DemoRelayTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        load_network_demo()
        with override_settings(STORAGES=media_storage(MEDIA)):
            demo.load_demo()
        cls.finished = Relay.objects.get(title=demo.FINISHED)
        cls.ongoing = Relay.objects.get(title=demo.IN_PROGRESS)

    def test_the_finished_relay_crosses_five_countries_each_answering_the_last(self) -> None:
        legs = list(self.finished.legs.select_related("circle__organization"))
        self.assertEqual(len({leg.circle.organization.country for leg in legs}), 5)
        self.assertTrue(all(leg.state == LegState.DONE for leg in legs))
        self.assertTrue(self.finished.is_finished)
        reports = list(Report.objects.filter(leg__relay=self.finished).order_by("leg__position"))
        self.assertEqual(len(reports), 5)
        self.assertEqual({r.language for r in reports}, {"en", "tr", "pt", "bn"})
        for earlier, later in itertools.pairwise(reports):
            self.assertEqual(later.responds_to, earlier)
        for report in reports:
            self.assertTrue(report.has_audio)
            self.assertGreater(report.duration_ms, 3_000)
            self.assertGreaterEqual(report.transcripts.count(), 2)
            original = report.transcripts.get(language=report.language)
            self.assertEqual(original.review, "reviewed")
            last = original.segments.last()
            assert last is not None
            self.assertLessEqual(last.end_ms, report.duration_ms)
        self.assertEqual(self.finished.feed, Feed.PUBLIC)

    def test_the_relay_in_progress_has_a_circle_on_duty(self) -> None:
        self.assertEqual(self.ongoing.legs.get(position=0).state, LegState.DONE)
        self.assertEqual(self.ongoing.legs.get(position=1).state, LegState.OPEN)
        self.assertFalse(self.ongoing.is_finished)

    def test_the_public_feed_carries_the_public_recordings(self) -> None:
        feed = self.client.get(reverse("relay:public-feed", args=[self.finished.pk]))
        self.assertEqual(feed.status_code, 200)
        self.assertEqual(feed.content.count(b"<enclosure"), 4)  # one report is the network's

    def test_it_loads_once(self) -> None:
        self.assertTrue(demo.demo_exists())
