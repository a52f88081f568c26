import json
import re
import tempfile
import uuid
from pathlib import Path
from xml.etree import ElementTree as ET

import feedparser
from django.test import override_settings
from django.urls import reverse

from internationale.relay import actions, audio, podcast, webvtt
from internationale.relay.tests.world import RelayTestCase, media_storage

MEDIA = tempfile.mkdtemp(prefix="relay-feed-media-")
PODCAST = "{https://podcastindex.org/namespace/1.0}"


def recorded(case: RelayTestCase, *, title: str, visibility: str) -> actions.Report:
    folder = Path(tempfile.mkdtemp())
    wav = audio.synthesize_speech(
        "Our shift starts at night and ends at noon.", voice="en", path=folder / "s.wav"
    )
    report = actions.add_audio_report(
        case.member,
        leg=case.leg(0),
        fields=actions.ReportFields(
            title=title, speaker="Lantern", language="en", visibility=visibility
        ),
        upload=wav,
    )
    actions.save_transcript(
        case.member,
        report=report,
        language="en",
        lines=[
            actions.Line(0, 1500, "Our shift starts at night"),
            actions.Line(1500, 3000, "and ends at noon."),
        ],
    )
    return report


def check_podcast_namespace(document: bytes) -> list[str]:
    """The rules of the Podcasting 2.0 namespace for the elements a relay's feed uses:
    podcast:guid (a UUID, once, in the channel), podcast:transcript (url and type required,
    in an item), podcast:chapters (url and type required, once per item), podcast:block
    (yes or no, in the channel). Returns what breaks them."""
    problems = []
    root = ET.fromstring(document)
    channel = root.find("channel")
    assert channel is not None
    for element in root.iter():
        if not element.tag.startswith(PODCAST):
            continue
        name = element.tag.removeprefix(PODCAST)
        if name not in {"guid", "transcript", "chapters", "block"}:
            problems.append(f"unexpected podcast:{name}")
    guids = channel.findall(f"{PODCAST}guid")
    if len(guids) != 1:
        problems.append("podcast:guid must appear once in the channel")
    else:
        try:
            uuid.UUID(guids[0].text or "")
        except ValueError:
            problems.append("podcast:guid is not a UUID")
    for block in channel.findall(f"{PODCAST}block"):
        if block.text not in ("yes", "no"):
            problems.append("podcast:block is yes or no")
    for item in channel.findall("item"):
        if len(item.findall(f"{PODCAST}chapters")) > 1:
            problems.append("podcast:chapters appears once per item")
        for name in ("transcript", "chapters"):
            for element in item.findall(f"{PODCAST}{name}"):
                for attribute in ("url", "type"):
                    if not element.get(attribute):
                        problems.append(f"podcast:{name} needs {attribute}")
                if not re.match(r"https?://", element.get("url", "")):
                    problems.append(f"podcast:{name} url is not absolute")
    for element in root.iter(f"{PODCAST}transcript"):
        if element.get("rel") not in (None, "captions"):
            problems.append("podcast:transcript rel is captions")
    return problems


@override_settings(
    STORAGES=media_storage(MEDIA),
    SITE_URL="https://relay.example.org",
)
class FeedTests(RelayTestCase):
    def setUp(self) -> None:
        self.public = recorded(self, title="Public report", visibility="public")
        self.shared = recorded(self, title="Network report", visibility="network")
        self.private = recorded(self, title="Alpha only", visibility="private")

    def test_there_is_no_feed_until_a_coordinator_publishes_one(self) -> None:
        url = reverse("relay:public-feed", args=[self.relay.pk])
        self.assertEqual(self.client.get(url).status_code, 404)
        actions.set_feed(self.coordinator, relay=self.relay, feed="public")
        self.assertEqual(self.client.get(url).status_code, 200)

    def test_a_public_feed_parses_and_carries_only_public_recordings(self) -> None:
        actions.set_feed(self.coordinator, relay=self.relay, feed="public")
        response = self.client.get(reverse("relay:public-feed", args=[self.relay.pk]))
        parsed = feedparser.parse(response.content)
        self.assertFalse(parsed.bozo, parsed.get("bozo_exception"))
        self.assertEqual(parsed.feed.title, self.relay.title)
        self.assertEqual(parsed.feed.language, "en")
        self.assertTrue(parsed.feed.image.href.endswith("/cover.png"))
        self.assertEqual(parsed.feed.author, self.network.name)
        self.assertEqual([e.title for e in parsed.entries], ["Public report"])
        episode = parsed.entries[0]
        enclosure = episode.enclosures[0]
        self.assertEqual(enclosure.type, "audio/mpeg")
        self.assertEqual(int(enclosure.length), self.public.audio_mp3_bytes)
        self.assertEqual(episode.itunes_duration, podcast.duration(self.public.duration_ms))
        self.assertEqual(check_podcast_namespace(response.content), [])
        # Every address the episode names answers without logging in.
        local = enclosure.href.removeprefix("https://relay.example.org")
        mp3 = self.client.get(local)
        self.assertEqual(mp3.status_code, 200)
        self.assertEqual(int(mp3["Content-Length"]), self.public.audio_mp3_bytes)
        root = ET.fromstring(response.content)
        transcript = root.find(f"channel/item/{PODCAST}transcript")
        chapters = root.find(f"channel/item/{PODCAST}chapters")
        assert transcript is not None
        assert chapters is not None
        vtt = self.client.get(transcript.get("url", "").removeprefix("https://relay.example.org"))
        self.assertEqual(
            webvtt.read(vtt.content.decode()),
            [(0, 1500, "Our shift starts at night"), (1500, 3000, "and ends at noon.")],
        )
        body = self.client.get(chapters.get("url", "").removeprefix("https://relay.example.org"))
        self.assertEqual(json.loads(body.content)["chapters"][0]["startTime"], 0)

    def test_a_network_recording_is_not_reachable_through_the_public_feed(self) -> None:
        actions.set_feed(self.coordinator, relay=self.relay, feed="public")
        url = reverse("relay:public-audio", args=[self.relay.pk, self.shared.pk])
        self.assertEqual(self.client.get(url).status_code, 404)

    def test_a_private_feed_needs_its_secret_and_never_carries_private_reports(self) -> None:
        actions.set_feed(self.coordinator, relay=self.relay, feed="private")
        self.assertEqual(
            self.client.get(reverse("relay:public-feed", args=[self.relay.pk])).status_code, 404
        )
        wrong = reverse("relay:private-feed", args=[self.relay.pk, "x" * 32])
        self.assertEqual(self.client.get(wrong).status_code, 404)
        url = reverse("relay:private-feed", args=[self.relay.pk, self.relay.feed_secret])
        response = self.client.get(url)
        parsed = feedparser.parse(response.content)
        self.assertEqual(
            sorted(e.title for e in parsed.entries), ["Network report", "Public report"]
        )
        self.assertNotIn(b"Alpha only", response.content)
        self.assertEqual(check_podcast_namespace(response.content), [])
        hidden = reverse(
            "relay:private-audio", args=[self.relay.pk, self.relay.feed_secret, self.private.pk]
        )
        self.assertEqual(self.client.get(hidden).status_code, 404)

    def test_the_namespace_check_finds_a_broken_element(self) -> None:
        broken = (
            b'<rss version="2.0" xmlns:podcast="https://podcastindex.org/namespace/1.0">'
            b"<channel><podcast:guid>not-a-uuid</podcast:guid><item>"
            b'<podcast:transcript url="https://x/t.vtt"/></item></channel></rss>'
        )
        self.assertEqual(
            check_podcast_namespace(broken),
            ["podcast:guid is not a UUID", "podcast:transcript needs type"],
        )


def test_the_show_guid_follows_the_namespace_s_rule() -> None:
    # The namespace's documented example: podcastindex.org/namespace/1.0 example feed address.
    assert podcast.podcast_guid("https://mp3s.nashownotes.com/pc20rss.xml") == (
        "917393e3-1b1e-5cef-ace4-edaa54e1f810"
    )
