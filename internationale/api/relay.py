"""API of the relay: relays passed from circle to circle, field reports, transcripts.

Every endpoint needs a token. The access rules are those of `relay/access.py` and the
pages: members of a relay's network read the relay and its legs, and a report (with its
transcripts) is read by whoever its visibility allows; anyone else gets 404. Writes by
someone who can read but may not act get 403: only the circle on duty (or a coordinator of
its organization) reports and passes on, only the report's organization and the network's
translators edit transcripts, only coordinators start relays and set the podcast feed.
The actions' own refusals (a leg no longer open, a reviewer who wrote the version, no
speech model configured) come back as 400 with their messages.

Recordings are sent as multipart/form-data. The upload lands in a temporary file (see
FILE_UPLOAD_HANDLERS) which `add_audio_report` makes safe and deletes; only the re-encoded
files are stored, and the raw upload never outlives the request.
"""

import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import TemporaryUploadedFile
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Status, UploadedFile

from internationale.api.auth import TokenAuth
from internationale.api.relay_schemas import (
    AudioReportIn,
    FeedIn,
    FeedOut,
    MachineTranscriptionIn,
    MachineTranslationIn,
    PassOnOut,
    RelayOut,
    RelaySummaryOut,
    ReportDetailOut,
    ReportFieldsIn,
    StartRelayIn,
    TextReportIn,
    TranscriptIn,
    TranscriptOut,
)
from internationale.network import access as network_access
from internationale.network.access import signed_in
from internationale.network.models import Circle, Member
from internationale.relay import actions
from internationale.relay.access import (
    access_leg,
    access_relay,
    access_report,
    access_transcript,
    reports_of,
)
from internationale.relay.files import audio_response, vtt_response
from internationale.relay.models import Feed, Leg, LegState, Relay, Report, Transcript

API_ROOT = "/api/v1/"

router = Router(tags=["relay"], auth=TokenAuth())


# Checks -------------------------------------------------------------------------------------


def _check_on_duty(member: Member, leg: Leg) -> None:
    """403 for whoever is not of the circle on duty. A leg that is not open (waiting, or
    passed on) is refused by the action itself, for everyone, with its reason (400)."""
    if leg.state == LegState.OPEN and not actions.is_on_duty(member, leg):
        raise PermissionDenied


def _check_editor(member: Member, report: Report) -> None:
    if not actions.can_edit_transcripts(member, report):
        raise PermissionDenied


# Shapes out ---------------------------------------------------------------------------------


def feed_url(relay: Relay) -> str | None:
    """The podcast feed's absolute address; the private one carries its secret."""
    if relay.feed == Feed.PUBLIC:
        return settings.SITE_URL + reverse("relay:public-feed", args=[relay.pk])
    if relay.feed == Feed.PRIVATE and relay.feed_secret:
        return settings.SITE_URL + reverse("relay:private-feed", args=[relay.pk, relay.feed_secret])
    return None


def _leg(leg: Leg) -> dict[str, Any]:
    organization = leg.circle.organization
    return {
        "id": leg.pk,
        "position": leg.position,
        "circle": {"id": leg.circle.pk, "name": leg.circle.name},
        "organization": {"slug": organization.slug, "name": organization.name},
        "state": leg.state,
        "opened_at": leg.opened_at,
        "due_at": leg.due_at,
        "closed_at": leg.closed_at,
    }


def _relay_fields(relay: Relay) -> dict[str, Any]:
    return {
        "id": relay.pk,
        "network": relay.network.slug,
        "title": relay.title,
        "prompt": relay.prompt,
        "languages": relay.languages,
        "leg_days": relay.leg_days,
        "feed": relay.feed,
        "started_at": relay.started_at,
        "finished_at": relay.finished_at,
    }


def _relay(member: Member, relay: Relay) -> dict[str, Any]:
    """The relay with its legs and the reports `member` may read."""
    legs = relay.legs.select_related("circle__organization")
    reports = reports_of(member, relay)
    readable = {r.pk for r in reports}
    return {
        **_relay_fields(relay),
        "legs": [{**_leg(leg), "you_are_on_duty": actions.is_on_duty(member, leg)} for leg in legs],
        "feed_url": feed_url(relay),
        "you_can_publish": actions.can_start_relay(member, relay.network),
        "reports": [
            _report(r, transcripts=list(r.transcripts.all()), readable=readable) for r in reports
        ],
    }


def _version(transcript: Transcript) -> dict[str, Any]:
    return {
        "language": transcript.language,
        "original": transcript.is_original,
        "origin": transcript.origin,
        "review": transcript.review,
        "job": transcript.job,
        "progress": transcript.progress,
    }


def _report(report: Report, *, transcripts: list[Transcript], readable: set[int]) -> dict[str, Any]:
    """A report as its readers see it. `responds_to` names the answered report only when
    it is in `readable`, so a private report's id does not travel with the answer."""
    audio = None
    if report.has_audio:
        # The API's own addresses, which take the same token as the rest of the API.
        audio = {
            "ogg": f"{API_ROOT}relay/reports/{report.pk}/audio/ogg",
            "mp3": f"{API_ROOT}relay/reports/{report.pk}/audio/mp3",
        }
    answered = report.responds_to_id
    ordered = sorted(transcripts, key=lambda t: (not t.is_original, t.language))
    return {
        "id": report.pk,
        "leg": report.leg_id,
        "organization": report.organization.slug,
        "title": report.title,
        "speaker": report.speaker,
        "language": report.language,
        "kind": report.kind,
        "visibility": report.visibility,
        "responds_to": answered if answered in readable else None,
        "disguised": report.disguised,
        "duration_ms": report.duration_ms,
        "audio": audio,
        "created_at": report.created_at,
        "versions": [_version(t) for t in ordered],
    }


def _report_detail(member: Member, report: Report) -> dict[str, Any]:
    transcripts = list(report.transcripts.prefetch_related("segments"))
    original = next((t for t in transcripts if t.is_original), None)
    readable: set[int] = set()
    answered = report.responds_to_id
    if answered is not None and Report.objects.visible_to(member).filter(pk=answered).exists():
        readable.add(answered)
    return {
        **_report(report, transcripts=transcripts, readable=readable),
        "relay": report.leg.relay_id,
        "you_can_edit_transcripts": actions.can_edit_transcripts(member, report),
        "segments": _segments(original) if original else [],
    }


def _segments(transcript: Transcript) -> list[dict[str, Any]]:
    return [
        {"start_ms": s.start_ms, "end_ms": s.end_ms, "text": s.text}
        for s in transcript.segments.all()
    ]


def _transcript(transcript: Transcript) -> dict[str, Any]:
    return {
        **_version(transcript),
        "engine": transcript.engine,
        "segments": _segments(transcript),
    }


# Relays -------------------------------------------------------------------------------------


@router.get("/relay/networks/{network}/relays", response=list[RelaySummaryOut])
def relays(request: HttpRequest, network: str) -> list[dict[str, Any]]:
    """The network's relays, newest first, with their legs."""
    found = network_access.access_network_members(signed_in(request), network)
    chain = (
        Relay.objects.filter(network=found)
        .select_related("network")
        .prefetch_related("legs__circle__organization")
    )
    return [{**_relay_fields(r), "legs": [_leg(leg) for leg in r.legs.all()]} for r in chain]


@router.post("/relay/networks/{network}/relays", response={201: RelayOut})
def start_relay(request: HttpRequest, network: str, payload: StartRelayIn) -> Any:
    """A coordinator starts a relay through `circles` (ids, in the order of the chain, each
    a circle of an organization of the network); the first is on duty at once."""
    member = signed_in(request)
    found = network_access.access_network_members(member, network)
    if not actions.can_start_relay(member, found):
        raise PermissionDenied
    known = {
        c.pk: c
        for c in Circle.objects.filter(
            pk__in=payload.circles, organization__in=found.organizations.all()
        ).select_related("organization")
    }
    for circle_id in payload.circles:
        if circle_id not in known:
            raise ValidationError(
                {"circles": _("%(circle)s is not in this network.") % {"circle": circle_id}}
            )
    relay = actions.start_relay(
        member,
        network=found,
        title=payload.title,
        prompt=payload.prompt,
        circles=[known[circle_id] for circle_id in payload.circles],
        languages=payload.languages,
        leg_days=payload.leg_days,
    )
    return Status(201, _relay(member, relay))


@router.get("/relay/relays/{relay}", response=RelayOut)
def relay(request: HttpRequest, relay: int) -> dict[str, Any]:
    """The relay, its legs in order, and the reports the reader may read."""
    member = signed_in(request)
    return _relay(member, access_relay(member, relay))


@router.put("/relay/relays/{relay}/feed", response=FeedOut)
def set_feed(request: HttpRequest, relay: int, payload: FeedIn) -> dict[str, Any]:
    """A coordinator sets the podcast feed: none, private (behind a secret link, made anew
    each time it is turned on) or public."""
    member = signed_in(request)
    found = access_relay(member, relay)
    if not actions.can_start_relay(member, found.network):
        raise PermissionDenied
    found = actions.set_feed(member, relay=found, feed=payload.feed)
    return {"feed": found.feed, "feed_url": feed_url(found)}


# The circle on duty -------------------------------------------------------------------------


def _fields(member: Member, payload: ReportFieldsIn) -> actions.ReportFields:
    """The report's fields; the answered report must be one the member may read."""
    answered = None
    if payload.responds_to is not None:
        try:
            answered = access_report(member, payload.responds_to)
        except Http404:
            raise ValidationError(
                {"responds_to": _("Respond to a report of an earlier leg.")}
            ) from None
    return actions.ReportFields(
        title=payload.title,
        speaker=payload.speaker,
        language=payload.language,
        visibility=payload.visibility,
        responds_to=answered,
    )


@router.post("/relay/legs/{leg}/reports", response={201: ReportDetailOut})
def add_text_report(request: HttpRequest, leg: int, payload: TextReportIn) -> Any:
    """A written report; paragraphs (separated by an empty line) become its segments."""
    member = signed_in(request)
    found = access_leg(member, leg)
    _check_on_duty(member, found)
    report = actions.add_text_report(
        member, leg=found, fields=_fields(member, payload), text=payload.text
    )
    return Status(201, _report_detail(member, report))


@router.post("/relay/legs/{leg}/recordings", response={201: ReportDetailOut})
def add_audio_report(
    request: HttpRequest,
    leg: int,
    payload: Form[AudioReportIn],
    audio: File[UploadedFile],
) -> Any:
    """A recorded report, as multipart/form-data with the file under `audio`. It is
    re-encoded without metadata (its voice disguised by `disguise` semitones, if asked)
    before anything is stored; a file that is not accepted audio is refused under
    `fields.audio` and nothing of it is kept."""
    raw = _on_disk(audio)
    try:
        member = signed_in(request)
        found = access_leg(member, leg)
        _check_on_duty(member, found)
        report = actions.add_audio_report(
            member,
            leg=found,
            fields=_fields(member, payload),
            upload=raw,
            disguise=payload.disguise,
        )
    finally:
        # The action deletes the upload; this covers a request refused before it.
        raw.unlink(missing_ok=True)
    return Status(201, _report_detail(member, report))


def _on_disk(upload: UploadedFile) -> Path:
    """The upload's temporary file. FILE_UPLOAD_HANDLERS puts every upload there; should
    an upload arrive in memory anyway, it is written to one."""
    if isinstance(upload, TemporaryUploadedFile):
        return Path(upload.temporary_file_path())
    with tempfile.NamedTemporaryFile(
        prefix="relay-upload-", dir=settings.FILE_UPLOAD_TEMP_DIR, delete=False
    ) as copy:
        for chunk in upload.chunks():
            copy.write(chunk)
    return Path(copy.name)


@router.post("/relay/legs/{leg}/pass-on", response=PassOnOut)
def pass_on(request: HttpRequest, leg: int) -> dict[str, Any]:
    """The circle on duty passes the relay on; `next_leg` is the leg now on duty, or null
    when the relay is complete."""
    member = signed_in(request)
    found = access_leg(member, leg)
    _check_on_duty(member, found)
    following = actions.pass_on(member, leg=found)
    return {"next_leg": following.pk if following else None}


# Reports and transcripts --------------------------------------------------------------------


@router.get("/relay/reports/{report}", response=ReportDetailOut)
def report(request: HttpRequest, report: int) -> dict[str, Any]:
    """A report, its versions, and the timed segments of its original."""
    member = signed_in(request)
    return _report_detail(member, access_report(member, report))


@router.get("/relay/reports/{report}/audio/{kind}")
def report_audio(request: HttpRequest, report: int, kind: str) -> HttpResponseBase:
    """The report's safe recording: `ogg` (Opus) or `mp3`, with range requests."""
    return audio_response(request, access_report(signed_in(request), report), kind)


# Before the JSON transcript: "{language}" would also match "pt.vtt".
@router.get("/relay/reports/{report}/transcripts/{language}.vtt")
def transcript_vtt(request: HttpRequest, report: int, language: str) -> HttpResponse:
    """The version as WebVTT captions (only its timed segments)."""
    return vtt_response(access_transcript(signed_in(request), report, language))


@router.get("/relay/reports/{report}/transcripts/{language}", response=TranscriptOut)
def transcript(request: HttpRequest, report: int, language: str) -> dict[str, Any]:
    found = access_transcript(signed_in(request), report, language)
    return _transcript(found)


@router.put("/relay/reports/{report}/transcripts/{language}", response=TranscriptOut)
def save_transcript(
    request: HttpRequest, report: int, language: str, payload: TranscriptIn
) -> dict[str, Any]:
    """Write or correct the version in `language` (the report's own: the original; any
    other: a translation, line by line). Saved as a person's draft until reviewed."""
    member = signed_in(request)
    found = access_report(member, report)
    _check_editor(member, found)
    saved = actions.save_transcript(
        member,
        report=found,
        language=language,
        lines=[actions.Line(s.start_ms, s.end_ms, s.text) for s in payload.segments],
    )
    return _transcript(saved)


@router.post("/relay/reports/{report}/transcripts/{language}/review", response=TranscriptOut)
def review_transcript(request: HttpRequest, report: int, language: str) -> dict[str, Any]:
    """Someone other than its last editor marks the version reviewed."""
    member = signed_in(request)
    found = access_transcript(member, report, language)
    _check_editor(member, found.report)
    return _transcript(actions.review_transcript(member, transcript=found))


@router.post("/relay/reports/{report}/machine-transcription", response={202: TranscriptOut})
def machine_transcription(
    request: HttpRequest, report: int, payload: MachineTranscriptionIn
) -> Any:
    """Queue a machine transcription of the recording (with `english`, a translation of the
    speech into English). Needs a speech model on the server; poll the version's `job` and
    `progress`."""
    member = signed_in(request)
    found = access_report(member, report)
    _check_editor(member, found)
    queued = actions.request_transcription(member, report=found, english=payload.english)
    return Status(202, _transcript(queued))


@router.post("/relay/reports/{report}/machine-translation", response={202: TranscriptOut})
def machine_translation(request: HttpRequest, report: int, payload: MachineTranslationIn) -> Any:
    """Queue a machine draft of the translation into `language`, from the original's lines.
    Needs machine translation on the server."""
    member = signed_in(request)
    found = access_report(member, report)
    _check_editor(member, found)
    queued = actions.request_machine_translation(member, report=found, language=payload.language)
    return Status(202, _transcript(queued))
