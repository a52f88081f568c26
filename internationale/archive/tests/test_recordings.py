"""A testimony's recording: made safe before it is stored, and transcribed by a real Whisper
model into a blank text, never over a person's words.

The uploads are real: espeak-ng speaks, ffmpeg encodes, and mutagen plants what a phone would
write (a title, GPS coordinates, the device's model, a cover picture)."""

import base64
import json
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.test import override_settings
from mutagen.flac import Picture
from mutagen.id3 import APIC, ID3, TIT2, TXXX
from mutagen.mp3 import MP3
from mutagen.oggopus import OggOpus

from internationale.archive import actions, recordings
from internationale.archive.models import SearchEntry
from internationale.archive.models import Testimony as SavedTestimony
from internationale.archive.tests.world import ArchiveTestCase
from internationale.core.models import AuditEvent
from internationale.relay import audio, speech
from internationale.relay.tests.world import media_storage

TITLE = "Meeting behind the warehouse"
DEVICE = "Pixel 7"
LATITUDE = "53.5511"
LONGITUDE = "9.9937"
PLANTED = [TITLE, DEVICE, LATITUDE, LONGITUDE]
SPOKEN = "The pickers at the warehouse stopped work because the wages came late."


@pytest.fixture(scope="module")
def whisper_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return speech.assemble_model(
        speech.packaged_model_sources(), tmp_path_factory.mktemp("model") / "whisper-base"
    )


def ffmpeg(*args: str | Path) -> None:
    subprocess.run(
        ["ffmpeg", "-nostdin", "-hide_banner", "-v", "error", "-y", *map(str, args)],
        check=True,
        stdin=subprocess.DEVNULL,
    )


def ffprobe(path: Path) -> dict:
    completed = subprocess.run(
        [
            *("ffprobe", "-v", "error", "-print_format", "json"),
            *("-show_format", "-show_streams", "-show_chapters", str(path)),
        ],
        check=True,
        capture_output=True,
    )
    return json.loads(completed.stdout)


def cover(folder: Path) -> bytes:
    ffmpeg("-f", "lavfi", "-i", "testsrc=size=32x32:rate=1", "-frames:v", "1", folder / "c.png")
    return (folder / "c.png").read_bytes()


def tagged_mp3(folder: Path, text: str = SPOKEN) -> Path:
    """An MP3 of `text` with the ID3 tags a phone writes."""
    wav = audio.synthesize_speech(text, voice="en", path=folder / "speech.wav")
    path = folder / "phone recording.mp3"
    ffmpeg("-i", wav, "-c:a", "libmp3lame", "-b:a", "96k", path)
    id3 = ID3()
    id3.add(TIT2(encoding=3, text=[TITLE]))
    id3.add(TXXX(encoding=3, desc="GPSLatitude", text=[LATITUDE]))
    id3.add(TXXX(encoding=3, desc="GPSLongitude", text=[LONGITUDE]))
    id3.add(TXXX(encoding=3, desc="DeviceModel", text=[DEVICE]))
    id3.add(APIC(encoding=3, mime="image/png", type=3, desc="cover", data=cover(folder)))
    id3.save(path)
    return path


def tagged_ogg(folder: Path, text: str = SPOKEN) -> Path:
    """An Ogg Opus of `text` with the Vorbis comments a phone writes."""
    wav = audio.synthesize_speech(text, voice="en", path=folder / "speech.wav")
    path = folder / "phone recording.ogg"
    ffmpeg("-i", wav, "-c:a", "libopus", "-f", "ogg", path)
    picture = Picture()
    picture.type, picture.mime, picture.data = 3, "image/png", cover(folder)
    ogg = OggOpus(path)
    assert ogg.tags is not None
    ogg.tags.update(
        {
            "TITLE": [TITLE],
            "GPSLATITUDE": [LATITUDE],
            "GPSLONGITUDE": [LONGITUDE],
            "DEVICE": [DEVICE],
            "METADATA_BLOCK_PICTURE": [base64.b64encode(picture.write()).decode()],
        }
    )
    ogg.save()
    return path


class RecordingTestCase(ArchiveTestCase):
    media: Path
    uploads: Path

    def setUp(self) -> None:
        super().setUp()
        self.media = Path(tempfile.mkdtemp(prefix="archive-media-"))
        self.uploads = Path(tempfile.mkdtemp(prefix="archive-uploads-"))
        self.addCleanup(shutil.rmtree, self.media, ignore_errors=True)
        self.addCleanup(shutil.rmtree, self.uploads, ignore_errors=True)
        self.enterContext(override_settings(STORAGES=media_storage(str(self.media))))

    def new_testimony(self, text: str = "We were told to skip our breaks.") -> SavedTestimony:
        return actions.record_testimony(
            self.member,
            network=self.network,
            organization=self.alpha,
            testimony=actions.TestimonyFields(
                title="Breaks at the warehouse", speaker="Heron", language="en", text=text
            ),
        )

    def blank(self, testimony: SavedTestimony) -> SavedTestimony:
        SavedTestimony.objects.filter(pk=testimony.pk).update(text="")
        testimony.refresh_from_db()
        return testimony

    def stored(self) -> list[Path]:
        return sorted(path for path in self.media.rglob("*") if path.is_file())

    def assert_bare(self, path: Path) -> None:
        info = ffprobe(path)
        self.assertNotIn("tags", info["format"])
        self.assertEqual(["tags" in stream for stream in info["streams"]], [False])
        self.assertEqual([s["codec_type"] for s in info["streams"]], ["audio"])
        self.assertEqual(info["chapters"], [])
        content = path.read_bytes()
        for text in PLANTED:
            self.assertNotIn(text.encode(), content)
            self.assertNotIn(text.encode("utf-16-le"), content)
        self.assertNotIn(b"\x89PNG", content)


@override_settings(WHISPER_MODEL="")
class AttachTests(RecordingTestCase):
    def test_it_keeps_a_phone_recording_as_bare_ogg_and_mp3_under_random_names(self) -> None:
        testimony = self.new_testimony()
        upload = tagged_mp3(self.uploads)
        with self.captureOnCommitCallbacks(execute=True):
            saved = recordings.attach_recording(self.member, testimony, upload)
        self.assertFalse(upload.exists())
        saved.refresh_from_db()
        ogg = Path(default_storage.path(saved.audio_ogg.name))
        mp3 = Path(default_storage.path(saved.audio_mp3.name))
        self.assertEqual(self.stored(), sorted([ogg, mp3]))
        self.assertEqual((ogg.parent.name, ogg.suffix, mp3.suffix), ("archive", ".ogg", ".mp3"))
        self.assertEqual(len(ogg.stem), 32)
        self.assertNotIn("phone", ogg.name + mp3.name)
        for path in (ogg, mp3):
            self.assert_bare(path)
        comments = OggOpus(ogg).tags
        assert comments is not None
        self.assertEqual(list(comments.keys()), [])
        self.assertIsNone(MP3(mp3).tags)
        spoken_ms = float(ffprobe(self.uploads / "speech.wav")["format"]["duration"]) * 1000
        self.assertAlmostEqual(saved.duration_ms, spoken_ms, delta=150)
        self.assertEqual(saved.transcribing, "")
        self.assertEqual(saved.text, "We were told to skip our breaks.")
        event = AuditEvent.objects.get(verb="archive.testimony.recording")
        self.assertEqual((event.actor, event.target_id), (self.member, str(testimony.pk)))

    def test_a_new_recording_replaces_the_old_files(self) -> None:
        testimony = self.new_testimony()
        with self.captureOnCommitCallbacks(execute=True):
            first = recordings.attach_recording(self.member, testimony, tagged_mp3(self.uploads))
        old = self.stored()
        self.assertEqual(len(old), 2)
        upload = tagged_ogg(self.uploads, "A second, shorter recording.")
        with self.captureOnCommitCallbacks(execute=True):
            second = recordings.attach_recording(self.member, first, upload)
        self.assertFalse(upload.exists())
        new = self.stored()
        self.assertEqual(len(new), 2)
        self.assertFalse(set(old) & set(new))
        self.assertEqual(
            new,
            sorted(
                Path(default_storage.path(name))
                for name in (second.audio_ogg.name, second.audio_mp3.name)
            ),
        )
        for path in new:
            self.assert_bare(path)
        self.assertLess(second.duration_ms, first.duration_ms)

    def test_a_file_that_is_not_audio_is_refused_and_nothing_is_kept(self) -> None:
        testimony = self.new_testimony()
        upload = self.uploads / "notes.mp3"
        upload.write_text("Meeting at the depot, Tuesday at eleven.\n")
        with self.assertRaises(recordings.RecordingRefused) as refused:
            recordings.attach_recording(self.member, testimony, upload)
        self.assertEqual(refused.exception.code, "not_audio")
        self.assertIsInstance(refused.exception, audio.AudioRefused)
        self.assertIsInstance(refused.exception, ValidationError)
        self.assertEqual(
            refused.exception.message_dict,
            {"audio": ["This file holds no sound. Nothing of it was kept."]},
        )
        self.assertFalse(upload.exists())
        self.assertEqual(self.stored(), [])
        testimony.refresh_from_db()
        self.assertEqual((testimony.audio_ogg.name, testimony.duration_ms), ("", 0))
        self.assertFalse(AuditEvent.objects.filter(verb="archive.testimony.recording").exists())

    def test_only_a_member_of_the_testimony_s_organization_attaches_one(self) -> None:
        testimony = self.new_testimony()
        upload = tagged_mp3(self.uploads)
        with self.assertRaises(ValidationError):
            recordings.attach_recording(self.outsider, testimony, upload)
        self.assertFalse(upload.exists())
        self.assertEqual(self.stored(), [])

    def test_a_disguise_beyond_the_list_is_refused(self) -> None:
        upload = tagged_mp3(self.uploads)
        with self.assertRaises(ValidationError) as refused:
            recordings.attach_recording(
                self.member, self.new_testimony(), upload, disguise_semitones=9
            )
        self.assertIn("disguise", refused.exception.message_dict)
        self.assertFalse(upload.exists())
        self.assertEqual(self.stored(), [])

    def test_a_failed_transcription_is_marked_and_raised(self) -> None:
        testimony = recordings.attach_recording(
            self.member, self.new_testimony(), tagged_mp3(self.uploads)
        )
        SavedTestimony.objects.filter(pk=testimony.pk).update(transcribing="queued")
        not_a_model = Path(tempfile.mkdtemp(dir=self.uploads))
        with (
            override_settings(WHISPER_MODEL=str(not_a_model)),
            self.assertRaises(speech.ModelError),
        ):
            recordings.run_transcription(testimony.pk)
        testimony.refresh_from_db()
        self.assertEqual(testimony.transcribing, "failed")
        self.assertEqual(testimony.text, "We were told to skip our breaks.")

    def test_a_result_for_a_recording_replaced_meanwhile_is_dropped(self) -> None:
        testimony = self.blank(
            recordings.attach_recording(self.member, self.new_testimony(), tagged_mp3(self.uploads))
        )
        SavedTestimony.objects.filter(pk=testimony.pk).update(transcribing="queued")

        def replaced_while_listening(*args: Any, **kwargs: Any) -> speech.Transcription:
            SavedTestimony.objects.filter(pk=testimony.pk).update(
                audio_ogg="archive/newer.ogg", transcribing="queued"
            )
            return speech.Transcription(
                language="en", duration_ms=1000, segments=(speech.Segment(0, 1000, "Old."),)
            )

        with (
            override_settings(WHISPER_MODEL=str(self.uploads)),
            mock.patch.object(speech, "transcribe", replaced_while_listening),
        ):
            recordings.run_transcription(testimony.pk)
        testimony.refresh_from_db()
        self.assertEqual((testimony.text, testimony.transcribing), ("", "queued"))


class TranscriptionTests(RecordingTestCase):
    model: Path

    @pytest.fixture(autouse=True)
    def _model(self, whisper_model: Path) -> None:
        self.model = whisper_model

    def test_it_writes_the_machine_s_words_into_a_blank_text(self) -> None:
        testimony = self.blank(self.new_testimony())
        with override_settings(WHISPER_MODEL=str(self.model)):
            with self.captureOnCommitCallbacks() as callbacks:
                queued = recordings.attach_recording(
                    self.member, testimony, tagged_mp3(self.uploads)
                )
            self.assertEqual(queued.transcribing, "queued")
            self.assertEqual(queued.text, "")
            for callback in callbacks:
                callback()
        testimony.refresh_from_db()
        self.assertEqual(testimony.transcribing, "done")
        words = testimony.text.lower()
        for word in ("warehouse", "work", "wages"):
            self.assertIn(word, words)
        self.assertGreater(testimony.updated_at, queued.updated_at)
        entry = SearchEntry.objects.get(kind="testimony", object_id=testimony.pk)
        self.assertIn("wages", entry.body.lower())
        self.assertTrue(
            AuditEvent.objects.filter(
                verb="archive.testimony.transcription", data__filled=True
            ).exists()
        )
        # Run again (a task delivered twice): nothing is taken, nothing changes.
        with override_settings(WHISPER_MODEL=str(self.model)):
            recordings.run_transcription(testimony.pk)
        self.assertEqual(SavedTestimony.objects.get(pk=testimony.pk).text, testimony.text)

    def test_it_never_overwrites_a_person_s_words(self) -> None:
        written = "Our own words: the pickers stopped work on Monday."
        testimony = self.new_testimony(written)
        with (
            override_settings(WHISPER_MODEL=str(self.model)),
            self.captureOnCommitCallbacks(execute=True),
        ):
            recordings.attach_recording(self.member, testimony, tagged_mp3(self.uploads))
        testimony.refresh_from_db()
        self.assertEqual(testimony.transcribing, "done")
        self.assertEqual(testimony.text, written)
        self.assertTrue(
            AuditEvent.objects.filter(
                verb="archive.testimony.transcription", data__filled=False
            ).exists()
        )
