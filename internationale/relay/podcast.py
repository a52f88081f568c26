"""Podcast feeds and chapter files of a relay, written from plain data (no Django here).

The feed is RSS 2.0 with the tags podcast apps ask for (the iTunes namespace: author,
image, category, explicit, type, duration) and the Podcasting 2.0 namespace
(`podcast:guid` for the show; `podcast:transcript` with a WebVTT file and
`podcast:chapters` with a JSON chapters file for each episode). Everything is written with
ElementTree, so text a person wrote is always escaped.
"""

import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from email.utils import format_datetime
from xml.etree import ElementTree as ET

ITUNES = "http://www.itunes.com/dtds/podcast-1.0.dtd"
PODCAST = "https://podcastindex.org/namespace/1.0"
ATOM = "http://www.w3.org/2005/Atom"
# The namespace's own UUID for podcast:guid (a UUIDv5 of the feed's address without scheme).
PODCAST_GUID_NAMESPACE = uuid.UUID("ead4c236-bf58-58c6-a2c6-a6b28d128cb6")
CHAPTERS_TYPE = "application/json+chapters"

ET.register_namespace("itunes", ITUNES)
ET.register_namespace("podcast", PODCAST)
ET.register_namespace("atom", ATOM)


@dataclass(frozen=True)
class Transcript:
    url: str
    language: str


@dataclass(frozen=True)
class Episode:
    guid: str
    title: str
    description: str
    link: str
    published: datetime
    audio_url: str
    audio_bytes: int
    duration_ms: int
    chapters_url: str
    transcripts: Sequence[Transcript] = ()


@dataclass(frozen=True)
class Show:
    title: str
    description: str
    link: str
    feed_url: str
    language: str
    author: str
    image_url: str
    episodes: Sequence[Episode] = field(default_factory=tuple)
    category: str = "Society & Culture"
    private: bool = False


def podcast_guid(feed_url: str) -> str:
    """The show's podcast:guid: a UUIDv5 of its feed address without scheme and slashes."""
    bare = feed_url.split("://", 1)[-1].rstrip("/")
    return str(uuid.uuid5(PODCAST_GUID_NAMESPACE, bare))


def duration(milliseconds: int) -> str:
    seconds = max(milliseconds, 0) // 1000
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}"


def feed(show: Show) -> bytes:
    """The RSS document of `show`, encoded in UTF-8 with its XML declaration."""
    rss = ET.Element("rss", {"version": "2.0"})
    channel = ET.SubElement(rss, "channel")
    _text(channel, "title", show.title)
    _text(channel, "link", show.link)
    _text(channel, "description", show.description or show.title)
    _text(channel, "language", show.language)
    _text(channel, "generator", "Internationale")
    ET.SubElement(
        channel,
        f"{{{ATOM}}}link",
        {"href": show.feed_url, "rel": "self", "type": "application/rss+xml"},
    )
    image = ET.SubElement(channel, "image")
    _text(image, "url", show.image_url)
    _text(image, "title", show.title)
    _text(image, "link", show.link)
    _text(channel, f"{{{ITUNES}}}author", show.author)
    ET.SubElement(channel, f"{{{ITUNES}}}image", {"href": show.image_url})
    ET.SubElement(channel, f"{{{ITUNES}}}category", {"text": show.category})
    _text(channel, f"{{{ITUNES}}}explicit", "false")
    _text(channel, f"{{{ITUNES}}}type", "episodic")
    if show.private:
        # Asks directories not to list a feed meant for the network only.
        _text(channel, f"{{{ITUNES}}}block", "Yes")
        _text(channel, f"{{{PODCAST}}}block", "yes")
    _text(channel, f"{{{PODCAST}}}guid", podcast_guid(show.feed_url))
    for episode in show.episodes:
        _item(channel, episode)
    ET.indent(rss)
    return ET.tostring(rss, encoding="utf-8", xml_declaration=True)


def _item(channel: ET.Element, episode: Episode) -> None:
    item = ET.SubElement(channel, "item")
    _text(item, "title", episode.title)
    _text(item, "description", episode.description or episode.title)
    _text(item, "link", episode.link)
    _text(item, "guid", episode.guid).set("isPermaLink", "false")
    _text(item, "pubDate", format_datetime(episode.published))
    ET.SubElement(
        item,
        "enclosure",
        {"url": episode.audio_url, "length": str(episode.audio_bytes), "type": "audio/mpeg"},
    )
    _text(item, f"{{{ITUNES}}}duration", duration(episode.duration_ms))
    _text(item, f"{{{ITUNES}}}explicit", "false")
    _text(item, f"{{{ITUNES}}}episodeType", "full")
    for transcript in episode.transcripts:
        ET.SubElement(
            item,
            f"{{{PODCAST}}}transcript",
            {
                "url": transcript.url,
                "type": "text/vtt",
                "language": transcript.language,
                "rel": "captions",
            },
        )
    ET.SubElement(
        item, f"{{{PODCAST}}}chapters", {"url": episode.chapters_url, "type": CHAPTERS_TYPE}
    )


def _text(parent: ET.Element, tag: str, text: str) -> ET.Element:
    element = ET.SubElement(parent, tag)
    element.text = text
    return element


@dataclass(frozen=True)
class Chapter:
    start_ms: int
    title: str


def chapters(items: Sequence[Chapter], *, title: str) -> str:
    """A Podcasting 2.0 JSON chapters file."""
    return json.dumps(
        {
            "version": "1.2.0",
            "title": title,
            "chapters": [
                {"startTime": round(item.start_ms / 1000, 3), "title": item.title} for item in items
            ],
        },
        ensure_ascii=False,
        indent=1,
    )


def chapters_from_lines(
    lines: Sequence[tuple[int, str]], *, every_ms: int = 30_000, words: int = 8
) -> list[Chapter]:
    """Chapters from a transcript's timed lines: one at the start, then one at the first
    line after each `every_ms`, titled by its first words."""
    found: list[Chapter] = []
    for start_ms, text in lines:
        if found and start_ms - found[-1].start_ms < every_ms:
            continue
        title = " ".join(text.split()[:words])
        if len(text.split()) > words:
            title += " …"
        found.append(Chapter(start_ms=0 if not found else start_ms, title=title))
    return found
