"""A relay's podcast: the feed, and the files its episodes point to.

A public feed carries the relay's public recordings; a private feed, behind a secret link,
also carries what the network may read. Podcast apps fetch without logging in, so every
file an episode names (audio, WebVTT transcripts, chapters) has an address under the feed's
own, checked against the same secret.
"""

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _

from internationale.relay import podcast
from internationale.relay.access import access_feed, access_feed_report, feed_reports
from internationale.relay.files import audio_response, vtt_response
from internationale.relay.models import Feed, Relay, Report


def _absolute(path: str) -> str:
    return settings.SITE_URL + path


def _feed_path(name: str, relay: Relay, secret: str, *args: object) -> str:
    if secret:
        return reverse(f"relay:private-{name}", args=[relay.pk, secret, *args])
    return reverse(f"relay:public-{name}", args=[relay.pk, *args])


def feed(request: HttpRequest, relay: int, secret: str = "") -> HttpResponse:
    found, scope = access_feed(relay, secret)
    episodes = [_episode(found, report, secret) for report in feed_reports(found, scope)]
    show = podcast.Show(
        title=found.title,
        description=found.prompt,
        link=_absolute(found.get_absolute_url()),
        feed_url=_absolute(_feed_path("feed", found, secret)),
        language=found.languages[0] if found.languages else "en",
        author=found.network.name,
        image_url=_absolute(static("relay/cover.png")),
        episodes=episodes,
        private=found.feed == Feed.PRIVATE,
    )
    response = HttpResponse(podcast.feed(show), content_type="application/rss+xml; charset=utf-8")
    response["Cache-Control"] = "private, max-age=300" if secret else "public, max-age=300"
    return response


def _episode(relay: Relay, report: Report, secret: str) -> podcast.Episode:
    transcripts = [
        podcast.Transcript(
            url=_absolute(_feed_path("vtt", relay, secret, report.pk, t.language)),
            language=t.language,
        )
        for t in report.transcripts.all()
        if any(s.end_ms > s.start_ms for s in t.segments.all())
    ]
    circle = report.leg.circle
    return podcast.Episode(
        guid=f"internationale-relay-{relay.pk}-report-{report.pk}",
        title=report.title,
        description=_("%(speaker)s, %(circle)s (%(organization)s), leg %(number)d.")
        % {
            "speaker": report.speaker,
            "circle": circle.name,
            "organization": circle.organization.name,
            "number": report.leg.number,
        },
        link=_absolute(relay.get_absolute_url()) + f"#report-{report.pk}",
        published=report.created_at,
        audio_url=_absolute(_feed_path("audio", relay, secret, report.pk)),
        audio_bytes=report.audio_mp3_bytes,
        duration_ms=report.duration_ms,
        chapters_url=_absolute(_feed_path("chapters", relay, secret, report.pk)),
        transcripts=transcripts,
    )


def audio(request: HttpRequest, relay: int, report: int, secret: str = "") -> HttpResponseBase:
    return audio_response(request, access_feed_report(relay, report, secret), "mp3")


def vtt(
    request: HttpRequest, relay: int, report: int, language: str, secret: str = ""
) -> HttpResponse:
    found = access_feed_report(relay, report, secret)
    transcript = next((t for t in found.transcripts.all() if t.language == language), None)
    if transcript is None:
        raise Http404
    return vtt_response(transcript)


def chapters(request: HttpRequest, relay: int, report: int, secret: str = "") -> HttpResponse:
    found = access_feed_report(relay, report, secret)
    original = next((t for t in found.transcripts.all() if t.is_original), None)
    lines = [(s.start_ms, s.text) for s in original.segments.all()] if original else []
    items = podcast.chapters_from_lines(lines) or [podcast.Chapter(0, found.title)]
    return HttpResponse(
        podcast.chapters(items, title=found.title),
        content_type="application/json+chapters; charset=utf-8",
    )
