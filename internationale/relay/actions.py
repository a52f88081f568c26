"""Every write of the relay: starting a relay, reports, passing on, transcripts.

Audio is made safe (`relay/audio.py`) before anything is stored: the raw upload is probed,
re-encoded without metadata and deleted, and only the safe Opus and MP3 files reach the
storage. Machine transcription and translation run as background tasks that call back into
`run_transcription` and `run_machine_translation` here.
"""

import functools
import secrets
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from internationale.core import audit
from internationale.core.languages import is_language, language_name
from internationale.core.timezones import format_moment
from internationale.core.visibility import Visibility
from internationale.network.actions import _text
from internationale.network.models import Capability, Circle, Member, Membership, Network
from internationale.relay import audio, language_detection, machine_translation
from internationale.relay.models import (
    Feed,
    Job,
    Leg,
    LegState,
    Origin,
    Relay,
    Report,
    ReportKind,
    Review,
    Segment,
    Transcript,
)

MAX_LEGS = 20
MAX_SEGMENTS = 2_000


# Starting a relay -------------------------------------------------------------------------


def can_start_relay(member: Member | None, network: Network) -> bool:
    return member is not None and member.coordinates_in(network)


def start_relay(
    actor: Member,
    *,
    network: Network,
    title: str,
    prompt: str,
    circles: Sequence[Circle],
    languages: Sequence[str],
    leg_days: int = 7,
) -> Relay:
    """A coordinator of the network starts a relay: the first circle is on duty at once."""
    if not can_start_relay(actor, network):
        raise ValidationError(_("Only coordinators of the network's organizations can do this."))
    title = _text(title, field="title", limit=200)
    prompt = _text(prompt, field="prompt", limit=4000, multiline=True)
    if not 1 <= leg_days <= 90:
        raise ValidationError({"leg_days": _("A leg lasts from 1 to 90 days.")})
    if not circles:
        raise ValidationError({"circles": _("Choose at least one circle.")})
    if len(circles) > MAX_LEGS:
        raise ValidationError(
            {"circles": _("A relay has at most %(count)d legs.") % {"count": MAX_LEGS}}
        )
    member_orgs = set(network.organizations.values_list("pk", flat=True))
    for circle in circles:
        if circle.organization_id not in member_orgs:
            raise ValidationError(
                {"circles": _("%(circle)s is not in this network.") % {"circle": circle}}
            )
    if len({c.pk for c in circles}) != len(circles):
        raise ValidationError({"circles": _("Choose each circle once.")})
    codes = _languages(languages)
    now = timezone.now()
    with transaction.atomic():
        relay = Relay.objects.create(
            network=network,
            title=title,
            prompt=prompt,
            languages=codes,
            leg_days=leg_days,
            started_by=actor,
            started_at=now,
        )
        Leg.objects.bulk_create(
            Leg(relay=relay, position=i, circle=circle) for i, circle in enumerate(circles)
        )
        audit.record(actor, "relay.start", relay, legs=len(circles), languages=codes)
        _open(relay.legs.get(position=0), now=now)
    return relay


def _languages(values: Sequence[str]) -> list[str]:
    codes = []
    for value in values:
        code = value.strip().lower()
        if not is_language(code):
            raise ValidationError({"languages": _("Choose languages from the list.")})
        if code not in codes:
            codes.append(code)
    if not codes:
        raise ValidationError({"languages": _("Choose at least one language.")})
    return codes


def _open(leg: Leg, *, now: datetime) -> None:
    leg.state = LegState.OPEN
    leg.opened_at = now
    leg.due_at = now + timedelta(days=leg.relay.leg_days)
    leg.save(update_fields=["state", "opened_at", "due_at"])
    audit.record(None, "relay.leg.open", leg, circle=leg.circle_id, due=leg.due_at.isoformat())
    from internationale.relay import tasks

    transaction.on_commit(lambda: tasks.tell_circle.enqueue(leg.pk))
    due = leg.due_at
    if tasks.pass_on_overdue.get_backend().supports_defer:
        # The worker passes the leg on when its time is up (the database backend waits for
        # `run_after`); `pass_on_overdue` is idempotent, so an early or repeated run is safe.
        transaction.on_commit(
            lambda: tasks.pass_on_overdue.using(run_after=due + timedelta(seconds=1)).enqueue()
        )


def tell_circle(leg_id: int) -> int:
    """E-mail each member of an open leg's circle who gave an address (one message each, so
    no one sees another's address), in their language and time zone. Returns how many."""
    leg = Leg.objects.open().filter(pk=leg_id).select_related("relay", "circle").first()
    if leg is None or leg.due_at is None:
        return 0
    told = 0
    for member in leg.circle.members.exclude(email=""):
        with translation.override(member.language):
            subject = _("Your circle is on duty: %(title)s") % {"title": leg.relay.title}
            body = render_to_string(
                "relay/email_on_duty.txt",
                {
                    "member": member,
                    "leg": leg,
                    "relay": leg.relay,
                    "due": format_moment(leg.due_at, zone=member.time_zone),
                    "link": settings.SITE_URL + leg.get_absolute_url(),
                },
            )
        send_mail(subject, body, None, [member.email])
        told += 1
    return told


# Passing on -------------------------------------------------------------------------------


def is_on_duty(member: Member | None, leg: Leg) -> bool:
    """Whether `member` may report for `leg`: a member of its circle, or a coordinator of
    the circle's organization, while the leg is open."""
    if member is None or leg.state != LegState.OPEN:
        return False
    if member.is_coordinator_of(leg.circle.organization):
        return True
    return leg.circle.members.filter(pk=member.pk).exists()


def pass_on(actor: Member | None, *, leg: Leg) -> Leg | None:
    """The circle on duty has reported (or its time is up, when `actor` is None): close the
    leg and open the next one. Returns the leg now on duty, or None when the relay ended."""
    with transaction.atomic():
        # Lock the leg only: a FOR UPDATE through the joins would lock the relay and the
        # circle too, and two legs' closings could then wait on each other.
        leg = (
            Leg.objects.select_for_update(of=("self",))
            .select_related("relay", "circle")
            .get(pk=leg.pk)
        )
        if leg.state == LegState.WAITING:
            raise ValidationError(_("This leg is not on duty yet."))
        if leg.state != LegState.OPEN:
            raise ValidationError(_("This leg was already passed on."))
        if actor is not None and not is_on_duty(actor, leg):
            raise ValidationError(_("Only the circle on duty can pass the relay on."))
        if actor is not None and not leg.reports.exists():
            raise ValidationError(_("Add a report before passing the relay on."))
        now = timezone.now()
        leg.state = LegState.DONE
        leg.closed_at = now
        leg.save(update_fields=["state", "closed_at"])
        audit.record(actor, "relay.leg.pass", leg, reports=leg.reports.count())
        following = leg.relay.legs.filter(position__gt=leg.position).order_by("position").first()
        if following is None:
            relay = leg.relay
            relay.finished_at = now
            relay.save(update_fields=["finished_at"])
            audit.record(actor, "relay.finish", relay)
            return None
        _open(following, now=now)
        return following


def pass_on_overdue(*, now: datetime | None = None) -> list[int]:
    """Pass on every leg whose time-box has ended; returns their ids. Idempotent."""
    passed = []
    for leg in Leg.objects.overdue(now or timezone.now()):
        try:
            pass_on(None, leg=leg)
        except ValidationError:
            continue  # another worker passed it on meanwhile
        passed.append(leg.pk)
    return passed


# Reports ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportFields:
    """What a person says about their report, whatever its kind."""

    title: str
    speaker: str
    language: str
    visibility: str = Visibility.NETWORK
    responds_to: Report | None = None


def _report_fields(actor: Member, leg: Leg, fields: ReportFields) -> ReportFields:
    language = fields.language.strip().lower()
    if not is_language(language):
        raise ValidationError({"language": _("Choose a language from the list.")})
    if fields.visibility not in Visibility.values:
        raise ValidationError({"visibility": _("Choose who can see it.")})
    answered = fields.responds_to
    if answered is not None and (
        answered.leg.relay_id != leg.relay_id
        or answered.leg.position >= leg.position
        or not answered.is_visible_to(actor)
    ):
        raise ValidationError({"responds_to": _("Respond to a report of an earlier leg.")})
    return ReportFields(
        title=_text(fields.title, field="title", limit=200),
        speaker=_text(fields.speaker, field="speaker", limit=80),
        language=language,
        visibility=fields.visibility,
        responds_to=answered,
    )


def _check_on_duty(actor: Member, leg: Leg) -> None:
    if leg.state != LegState.OPEN:
        raise ValidationError(_("This leg is not on duty: its circle cannot add reports now."))
    if not is_on_duty(actor, leg):
        raise ValidationError(_("Only the circle on duty can add reports to this leg."))


def add_text_report(actor: Member, *, leg: Leg, fields: ReportFields, text: str) -> Report:
    """A written report: its text is the original transcript, one segment per paragraph."""
    _check_on_duty(actor, leg)
    fields = _report_fields(actor, leg, fields)
    text = _text(text, field="text", limit=40_000, multiline=True)
    paragraphs = [p.strip() for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]
    with transaction.atomic():
        report = _create_report(actor, leg=leg, fields=fields, kind=ReportKind.TEXT)
        transcript = Transcript.objects.create(
            report=report,
            language=report.language,
            origin=Origin.PERSON,
            review=Review.REVIEWED,
            updated_by=actor,
            reviewed_by=actor,
            updated_at=report.created_at,
        )
        Segment.objects.bulk_create(
            Segment(transcript=transcript, index=i, start_ms=0, end_ms=0, text=paragraph)
            for i, paragraph in enumerate(paragraphs)
        )
        audit.record(actor, "relay.report.add", report, kind=report.kind)
    return report


def add_audio_report(
    actor: Member,
    *,
    leg: Leg,
    fields: ReportFields,
    upload: Path,
    disguise: int = 0,
) -> Report:
    """A recorded report. The upload at `upload` (a temporary file) is made safe and then
    deleted, whatever happens; only the safe files are stored."""
    try:
        _check_on_duty(actor, leg)
        fields = _report_fields(actor, leg, fields)
        if abs(disguise) > audio.MAX_SEMITONES:
            raise ValidationError({"disguise": _("Choose a disguise from the list.")})
    except ValidationError:
        upload.unlink(missing_ok=True)
        raise
    with tempfile.TemporaryDirectory(prefix="relay-") as folder:
        try:
            safe = audio.make_safe(
                upload,
                folder=Path(folder),
                max_seconds=settings.RELAY_MAX_SECONDS,
                max_bytes=settings.RELAY_MAX_UPLOAD_BYTES,
                disguise=audio.Disguise(disguise) if disguise else None,
            )
        except audio.AudioRefused as refused:
            raise ValidationError({"audio": refusal(refused)}, code=refused.code) from None
        stored: list[str] = []
        try:
            with transaction.atomic():
                report = _create_report(
                    actor, leg=leg, fields=fields, kind=ReportKind.AUDIO, disguised=bool(disguise)
                )
                name = secrets.token_hex(16)
                with safe.ogg.open("rb") as ogg, safe.mp3.open("rb") as mp3:
                    report.audio_ogg.save(f"{name}.ogg", File(ogg), save=False)
                    stored.append(report.audio_ogg.name)
                    report.audio_mp3.save(f"{name}.mp3", File(mp3), save=False)
                    stored.append(report.audio_mp3.name)
                report.audio_mp3_bytes = safe.mp3.stat().st_size
                report.duration_ms = safe.duration_ms
                report.save(
                    update_fields=["audio_ogg", "audio_mp3", "audio_mp3_bytes", "duration_ms"]
                )
                audit.record(
                    actor,
                    "relay.report.add",
                    report,
                    kind=report.kind,
                    seconds=report.duration_ms // 1000,
                    disguised=report.disguised,
                )
        except Exception:
            # The rows were rolled back: the files must not outlive them.
            _delete_files(stored)
            raise
    if settings.WHISPER_MODEL:
        request_transcription(actor, report=report)
    return report


def _delete_files(names: list[str]) -> None:
    for name in names:
        default_storage.delete(name)


def _create_report(
    actor: Member, *, leg: Leg, fields: ReportFields, kind: str, disguised: bool = False
) -> Report:
    return Report.objects.create(
        leg=leg,
        organization=leg.circle.organization,
        network=leg.relay.network,
        author=actor,
        title=fields.title,
        speaker=fields.speaker,
        language=fields.language,
        kind=kind,
        visibility=fields.visibility,
        responds_to=fields.responds_to,
        disguised=disguised,
        created_at=timezone.now(),
    )


def refusal(refused: "audio.AudioRefused") -> str:
    """Why an upload was refused, in the reader's words."""
    minutes = settings.RELAY_MAX_SECONDS // 60
    megabytes = settings.RELAY_MAX_UPLOAD_BYTES // (1024 * 1024)
    messages = {
        "unreadable": _("This file could not be read as audio. Nothing of it was kept."),
        "not_audio": _("This file holds no sound. Nothing of it was kept."),
        "format": _(
            "This kind of file is not accepted. Send Ogg, WebM, MP3, M4A, AAC, WAV or FLAC."
        ),
        "too_long": ngettext(
            "A report lasts at most %(count)d minute. Nothing of this file was kept.",
            "A report lasts at most %(count)d minutes. Nothing of this file was kept.",
            minutes,
        )
        % {"count": minutes},
        "too_large": _("This file is larger than %(count)d MB. Nothing of it was kept.")
        % {"count": megabytes},
        "empty": _("This recording is empty. Nothing of it was kept."),
    }
    return messages.get(refused.code, messages["unreadable"])


# Transcripts ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    start_ms: int
    end_ms: int
    text: str


def can_edit_transcripts(member: Member | None, report: Report) -> bool:
    """Members of the report's organization edit its original; translators of the network
    (and the organization's members) edit translations."""
    if member is None:
        return False
    if report.organization_id in member.organization_ids():
        return True
    return is_translator(member, report.network)


def is_translator(member: Member | None, network: Network) -> bool:
    if member is None:
        return False
    return any(
        m.has(Capability.TRANSLATOR)
        for m in Membership.objects.in_network(network).filter(member=member)
    )


def save_transcript(
    actor: Member,
    *,
    report: Report,
    language: str,
    lines: Sequence[Line],
) -> Transcript:
    """A person writes or corrects the report's words in `language` (its own language: the
    original; another: a translation of the original, segment by segment). Saving makes
    the transcript a person's draft again until someone reviews it."""
    if not can_edit_transcripts(actor, report):
        raise ValidationError(_("You cannot edit the transcripts of this report."))
    language = language.strip().lower()
    if not is_language(language):
        raise ValidationError({"language": _("Choose a language from the list.")})
    if len(lines) > MAX_SEGMENTS:
        raise ValidationError(
            _("A transcript has at most %(count)d lines.") % {"count": MAX_SEGMENTS}
        )
    clean = []
    for number, line in enumerate(lines, start=1):
        if line.start_ms < 0 or line.end_ms < line.start_ms:
            raise ValidationError(_("Line %(number)d ends before it starts.") % {"number": number})
        clean.append(
            Line(
                line.start_ms,
                line.end_ms,
                _text(line.text, field="text", limit=5_000, required=False, multiline=True),
            )
        )
    with transaction.atomic():
        source = None
        if language != report.language:
            source = report.transcripts.filter(language=report.language).first()
            if source is None:
                raise ValidationError(_("Transcribe the report before translating it."))
        transcript, _created = Transcript.objects.update_or_create(
            report=report,
            language=language,
            defaults={
                "source": source,
                "origin": Origin.PERSON,
                "engine": "",
                "review": Review.DRAFT,
                "reviewed_by": None,
                "updated_by": actor,
                "updated_at": timezone.now(),
            },
        )
        _replace_segments(transcript, clean)
        audit.record(
            actor, "relay.transcript.save", transcript, language=language, lines=len(clean)
        )
    return transcript


def _replace_segments(transcript: Transcript, lines: Sequence[Line]) -> None:
    transcript.segments.all().delete()
    Segment.objects.bulk_create(
        Segment(
            transcript=transcript,
            index=i,
            start_ms=line.start_ms,
            end_ms=line.end_ms,
            text=line.text,
        )
        for i, line in enumerate(lines)
    )


def review_transcript(actor: Member, *, transcript: Transcript) -> Transcript:
    """Someone other than its last editor marks a transcript reviewed."""
    if not can_edit_transcripts(actor, transcript.report):
        raise ValidationError(_("You cannot review the transcripts of this report."))
    if transcript.job in (Job.QUEUED, Job.RUNNING):
        raise ValidationError(_("Wait until the machine has finished."))
    if transcript.updated_by_id == actor.pk and transcript.origin == Origin.PERSON:
        raise ValidationError(_("Someone other than its last editor reviews a transcript."))
    transcript.review = Review.REVIEWED
    transcript.reviewed_by = actor
    with transaction.atomic():
        transcript.save(update_fields=["review", "reviewed_by"])
        audit.record(actor, "relay.transcript.review", transcript)
    return transcript


# Machine work -----------------------------------------------------------------------------


def request_transcription(
    actor: Member | None, *, report: Report, english: bool = False, enqueue: bool = True
) -> Transcript:
    """Queue machine transcription of a report's audio (or, with `english`, Whisper's own
    translation of the speech into English). Needs INTERNATIONALE_WHISPER_MODEL."""
    if not settings.WHISPER_MODEL:
        raise ValidationError(_("No speech model is configured on this server."))
    if not report.has_audio:
        raise ValidationError(_("Only a recorded report can be transcribed by a machine."))
    if actor is not None and not can_edit_transcripts(actor, report):
        raise ValidationError(_("You cannot edit the transcripts of this report."))
    language = "en" if english else report.language
    if english and report.language == "en":
        raise ValidationError(_("This report is in English already."))
    from internationale.relay import tasks

    with transaction.atomic():
        transcript = _machine_transcript(report, language=language, engine="whisper")
        audit.record(actor, "relay.transcript.machine", transcript, task="speech")
        if enqueue:
            transaction.on_commit(lambda: tasks.transcribe.enqueue(transcript.pk))
    return transcript


def _machine_transcript(report: Report, *, language: str, engine: str) -> Transcript:
    existing = Transcript.objects.select_for_update().filter(report=report, language=language)
    found = existing.first()
    if found is not None and found.job in (Job.QUEUED, Job.RUNNING):
        raise ValidationError(_("The machine is already working on this."))
    if found is not None and found.origin == Origin.PERSON and found.segments.exists():
        raise ValidationError(
            _("A person has written this version; a machine draft would replace their work.")
        )
    source = None
    if language != report.language:
        source = report.transcripts.filter(language=report.language).first()
    transcript, _created = Transcript.objects.update_or_create(
        report=report,
        language=language,
        defaults={
            "source": source,
            "origin": Origin.MACHINE,
            "engine": engine,
            "review": Review.DRAFT,
            "reviewed_by": None,
            "updated_by": None,
            "job": Job.QUEUED,
            "progress": 0,
            "updated_at": timezone.now(),
        },
    )
    return transcript


def _take(transcript_id: int) -> Transcript | None:
    """Mark a transcript waiting for the machine as being worked on, and return it; None when
    it is not waiting (done already, or taken by another worker)."""
    with transaction.atomic():
        transcript = (
            Transcript.objects.select_for_update(of=("self",))
            .select_related("report")
            .filter(pk=transcript_id, job=Job.QUEUED)
            .first()
        )
        if transcript is not None:
            transcript.job = Job.RUNNING
            transcript.save(update_fields=["job"])
    return transcript


def run_transcription(transcript_id: int) -> None:
    """The task's body: transcribe and store the segments. Idempotent: a transcript not
    queued (done, or taken by another worker) is left alone."""
    from internationale.relay import speech

    transcript = _take(transcript_id)
    if transcript is None:
        return
    report = transcript.report
    english = transcript.language != report.language

    def progress(fraction: float) -> None:
        Transcript.objects.filter(pk=transcript.pk).update(progress=int(fraction * 100))

    try:
        with (
            report.audio_ogg.open("rb") as stored,
            tempfile.NamedTemporaryFile(suffix=".ogg") as copy,
        ):
            shutil.copyfileobj(stored, copy)
            copy.flush()
            spoken: str | None = report.language.split("-")[0]
            for attempt in (spoken, None):
                try:
                    result = speech.transcribe(
                        Path(copy.name),
                        model_dir=Path(settings.WHISPER_MODEL),
                        language=attempt,
                        task="translate" if english else "transcribe",
                        progress=progress,
                    )
                    break
                except ValueError:
                    if attempt is None:
                        raise  # a language Whisper does not know: let it detect it

    except Exception:
        Transcript.objects.filter(pk=transcript.pk).update(job=Job.FAILED)
        raise
    with transaction.atomic():
        _replace_segments(
            transcript,
            [Line(s.start_ms, s.end_ms, s.text) for s in result.segments],
        )
        Transcript.objects.filter(pk=transcript.pk).update(
            job=Job.DONE, progress=100, updated_at=timezone.now()
        )
        audit.record(None, "relay.transcript.machine.done", transcript, lines=len(result.segments))


def machine_translator() -> machine_translation.Translator | None:
    """The configured machine translation backend (INTERNATIONALE_MACHINE_TRANSLATION)."""
    return _translator(
        settings.MACHINE_TRANSLATION,
        settings.MACHINE_TRANSLATION_API_KEY,
        settings.MACHINE_TRANSLATION_VIA,
    )


@functools.cache
def _translator(value: str, api_key: str, via: str) -> machine_translation.Translator | None:
    return machine_translation.translator_from_setting(value, api_key=api_key, via=via)


def request_machine_translation(
    actor: Member | None, *, report: Report, language: str, enqueue: bool = True
) -> Transcript:
    """Queue a machine draft of the report's translation into `language`, from its
    original transcript, line by line (a person reviews it before it counts as reviewed)."""
    translator = machine_translator()
    if translator is None:
        raise ValidationError(_("No machine translation is configured on this server."))
    if actor is not None and not can_edit_transcripts(actor, report):
        raise ValidationError(_("You cannot edit the transcripts of this report."))
    language = language.strip().lower()
    if not is_language(language) or language == report.language:
        raise ValidationError({"language": _("Choose another language than the report's.")})
    original = report.transcripts.filter(language=report.language).first()
    if original is None or not original.segments.exists():
        raise ValidationError(_("Transcribe the report before translating it."))
    if not translator.supports(report.language, language):
        raise ValidationError(
            _("The machine cannot translate from %(source)s into %(target)s.")
            % {"source": language_name(report.language), "target": language_name(language)}
        )
    from internationale.relay import tasks

    with transaction.atomic():
        transcript = _machine_transcript(report, language=language, engine=translator.name)
        audit.record(actor, "relay.transcript.machine", transcript, task="translation")
        if enqueue:
            transaction.on_commit(lambda: tasks.translate.enqueue(transcript.pk))
    return transcript


def run_machine_translation(transcript_id: int) -> None:
    """The task's body: translate the original's lines. Idempotent like `run_transcription`."""
    translator = machine_translator()
    transcript = _take(transcript_id) if translator is not None else None
    if transcript is None or translator is None:
        return
    report = transcript.report
    original = report.transcripts.get(language=report.language)
    lines = list(original.segments.all())
    try:
        texts = translator.translate(
            [line.text for line in lines], source=report.language, target=transcript.language
        )
    except machine_translation.MachineTranslationError:
        Transcript.objects.filter(pk=transcript.pk).update(job=Job.FAILED)
        raise
    with transaction.atomic():
        _replace_segments(
            transcript,
            [Line(a.start_ms, a.end_ms, text) for a, text in zip(lines, texts, strict=True)],
        )
        Transcript.objects.filter(pk=transcript.pk).update(
            job=Job.DONE, progress=100, source=original, updated_at=timezone.now()
        )
        audit.record(None, "relay.transcript.machine.done", transcript, lines=len(lines))


def language_doubt(text: str, *, declared: str, among: Sequence[str]) -> str | None:
    """A warning when `text` reads like another language than the one declared for it;
    None when it agrees or cannot be told (short text, unknown language)."""
    verdict = language_detection.check_declared(text, declared, among=among)
    if verdict.agrees is not False or verdict.detected is None:
        return None
    return _("You said %(declared)s, but this reads like %(detected)s. Check the language.") % {
        "declared": language_name(declared),
        "detected": language_name(verdict.detected),
    }


# Publishing -------------------------------------------------------------------------------


def set_feed(actor: Member, *, relay: Relay, feed: str) -> Relay:
    """A coordinator chooses whether the relay has a podcast feed, private or public. A new
    secret link is made each time the private feed is turned on."""
    if not can_start_relay(actor, relay.network):
        raise ValidationError(_("Only coordinators of the network's organizations can do this."))
    if feed not in Feed.values:
        raise ValidationError({"feed": _("Choose a kind of feed.")})
    if feed == Feed.PRIVATE and (relay.feed != Feed.PRIVATE or not relay.feed_secret):
        relay.feed_secret = secrets.token_urlsafe(24)
    if feed == Feed.NONE:
        relay.feed_secret = ""
    relay.feed = feed
    with transaction.atomic():
        relay.save(update_fields=["feed", "feed_secret"])
        audit.record(actor, "relay.feed", relay, feed=feed)
    return relay
