"""A testimony's recording: made safe, stored, and transcribed by a machine where the text is
still blank.

An upload is made safe by the relay's audio core (`relay/audio.py`) before anything is
stored: probed, re-encoded without metadata into Ogg Opus and MP3, and deleted. Only the safe
files reach the storage, under random names. With a speech model configured
(INTERNATIONALE_WHISPER_MODEL), a background task (`archive/tasks.py`) transcribes the
recording into the testimony's text, but only while that text is blank: a person's words are
never replaced by a machine's.

`Testimony.transcribing` says where the machine is: "" (not asked), "queued", "running",
"done" or "failed".
"""

import secrets
import shutil
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from internationale.archive import indexing
from internationale.archive.models import Testimony
from internationale.core import audit
from internationale.network.models import Member
from internationale.relay import audio

MAX_SECONDS = audio.MAX_SECONDS
MAX_BYTES = audio.MAX_BYTES

QUEUED = "queued"
RUNNING = "running"
DONE = "done"
FAILED = "failed"


# Both bases declare `code`: a str in AudioRefused, optional in ValidationError; it is
# always a str here.
class RecordingRefused(audio.AudioRefused, ValidationError):  # type: ignore[misc]
    """An upload that will not be kept. It is an `AudioRefused` (with its `code` and `limit`)
    and a `ValidationError` whose message, on the field "audio", says why in the reader's
    language, so a view handles it like any action's error."""

    def __init__(self, refused: audio.AudioRefused) -> None:
        ValidationError.__init__(self, {"audio": refusal(refused)}, code=refused.code)
        self.code = refused.code
        self.limit = refused.limit


def refusal(refused: audio.AudioRefused) -> str:
    """Why an upload was refused, in the reader's words."""
    minutes = MAX_SECONDS // 60
    megabytes = MAX_BYTES // (1024 * 1024)
    messages = {
        "unreadable": _("This file could not be read as audio. Nothing of it was kept."),
        "not_audio": _("This file holds no sound. Nothing of it was kept."),
        "format": _(
            "This kind of file is not accepted. Send Ogg, WebM, MP3, M4A, AAC, WAV or FLAC."
        ),
        "too_long": ngettext(
            "A recording lasts at most %(count)d minute. Nothing of this file was kept.",
            "A recording lasts at most %(count)d minutes. Nothing of this file was kept.",
            minutes,
        )
        % {"count": minutes},
        "too_large": _("This file is larger than %(count)d MB. Nothing of it was kept.")
        % {"count": megabytes},
        "empty": _("This recording is empty. Nothing of it was kept."),
    }
    return messages.get(refused.code, messages["unreadable"])


def attach_recording(
    actor: Member | None, testimony: Testimony, upload: Path, *, disguise_semitones: int = 0
) -> Testimony:
    """Make the upload at `upload` (a temporary file) safe and keep it as the testimony's
    recording, replacing any earlier one; returns the testimony as saved. The upload is
    deleted whatever happens.

    Raises `ValidationError` when the actor is not a member of the testimony's organization
    or the disguise is out of range, and `RecordingRefused` (a `ValidationError` too) when
    the upload is not audio that can be kept; nothing is stored then. With a speech model
    configured, transcription is queued once the transaction commits."""
    try:
        if actor is not None and testimony.organization_id not in actor.organization_ids():
            raise ValidationError(
                _("Only members of %(organization)s can do this.")
                % {"organization": testimony.organization}
            )
        if abs(disguise_semitones) > audio.MAX_SEMITONES:
            raise ValidationError({"disguise": _("Choose a disguise from the list.")})
    except ValidationError:
        upload.unlink(missing_ok=True)
        raise
    with tempfile.TemporaryDirectory(prefix="archive-") as folder:
        try:
            safe = audio.make_safe(
                upload,
                folder=Path(folder),
                max_seconds=MAX_SECONDS,
                max_bytes=MAX_BYTES,
                disguise=audio.Disguise(disguise_semitones) if disguise_semitones else None,
            )
        except audio.AudioRefused as refused:
            raise RecordingRefused(refused) from None
        stored: list[str] = []
        try:
            with transaction.atomic():
                row = Testimony.objects.select_for_update().get(pk=testimony.pk)
                earlier = [name for name in (row.audio_ogg.name, row.audio_mp3.name) if name]
                name = secrets.token_hex(16)
                with safe.ogg.open("rb") as ogg, safe.mp3.open("rb") as mp3:
                    row.audio_ogg.save(f"{name}.ogg", File(ogg), save=False)
                    stored.append(row.audio_ogg.name)
                    row.audio_mp3.save(f"{name}.mp3", File(mp3), save=False)
                    stored.append(row.audio_mp3.name)
                row.duration_ms = safe.duration_ms
                row.transcribing = QUEUED if settings.WHISPER_MODEL else ""
                row.updated_at = timezone.now()
                row.save(
                    update_fields=[
                        "audio_ogg",
                        "audio_mp3",
                        "duration_ms",
                        "transcribing",
                        "updated_at",
                    ]
                )
                audit.record(
                    actor,
                    "archive.testimony.recording",
                    row,
                    seconds=row.duration_ms // 1000,
                    disguised=bool(disguise_semitones),
                    replaced=bool(earlier),
                )
                if earlier:
                    transaction.on_commit(lambda: _delete_files(earlier))
                if row.transcribing == QUEUED:
                    from internationale.archive import tasks

                    transaction.on_commit(lambda: tasks.transcribe.enqueue(row.pk))
        except Exception:
            # The row was rolled back: the files must not outlive it.
            _delete_files(stored)
            raise
    return row


def _delete_files(names: list[str]) -> None:
    for name in names:
        default_storage.delete(name)


def _take(testimony_id: int) -> Testimony | None:
    """Mark a testimony waiting for the machine as being worked on, and return it; None when
    it is not waiting (done already, or taken by another worker)."""
    with transaction.atomic():
        testimony = (
            Testimony.objects.select_for_update()
            .filter(pk=testimony_id, transcribing=QUEUED)
            .first()
        )
        if testimony is not None:
            testimony.transcribing = RUNNING
            testimony.save(update_fields=["transcribing"])
    return testimony


def run_transcription(testimony_id: int) -> None:
    """The task's body: transcribe the recording and write it into the testimony's text if
    that text is still blank. Idempotent: a testimony not queued (done, or taken by another
    worker) is left alone. When a new recording replaced this one meanwhile, the result is
    dropped and the new recording's own job decides. On failure the testimony is marked
    "failed" and the error raised again."""
    from internationale.relay import speech

    testimony = _take(testimony_id)
    if testimony is None:
        return
    recording = testimony.audio_ogg.name
    # Only this recording's job may mark the outcome.
    ours = Testimony.objects.filter(pk=testimony.pk, transcribing=RUNNING, audio_ogg=recording)
    try:
        with (
            testimony.audio_ogg.open("rb") as stored,
            tempfile.NamedTemporaryFile(suffix=".ogg") as copy,
        ):
            shutil.copyfileobj(stored, copy)
            copy.flush()
            spoken: str | None = testimony.language.split("-")[0]
            for attempt in (spoken, None):
                try:
                    result = speech.transcribe(
                        Path(copy.name),
                        model_dir=Path(settings.WHISPER_MODEL),
                        language=attempt,
                    )
                    break
                except ValueError:
                    if attempt is None:
                        raise  # a language Whisper does not know: let it detect it
    except Exception:
        ours.update(transcribing=FAILED)
        raise
    with transaction.atomic():
        row = ours.select_for_update().first()
        if row is None:
            return
        filled = not row.text.strip() and bool(result.text.strip())
        if filled:
            row.text = result.text.strip()
        row.transcribing = DONE
        row.updated_at = timezone.now()
        row.save(update_fields=["text", "transcribing", "updated_at"])
        audit.record(
            None, "archive.testimony.transcription", row, filled=filled, language=result.language
        )
        indexing.index_testimony(row)
