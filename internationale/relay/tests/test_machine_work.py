"""Machine transcription with a real Whisper model, and machine translation with Debian's
Apertium, through the actions and their background tasks."""

import tempfile
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings

from internationale.relay import actions, audio, speech
from internationale.relay.models import Job, Origin, Review
from internationale.relay.tests.world import RelayTestCase, media_storage

MEDIA = tempfile.mkdtemp(prefix="relay-machine-media-")
STORAGES = media_storage(MEDIA)


@pytest.fixture(scope="module")
def whisper_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return speech.assemble_model(
        speech.packaged_model_sources(), tmp_path_factory.mktemp("model") / "whisper-base"
    )


class TranscriptionTests(RelayTestCase):
    model: Path

    @pytest.fixture(autouse=True)
    def _model(self, whisper_model: Path) -> None:
        self.model = whisper_model

    def record(self, text: str, *, voice: str, language: str) -> actions.Report:
        folder = Path(tempfile.mkdtemp())
        wav = audio.synthesize_speech(text, voice=voice, path=folder / "clip.wav")
        with self.captureOnCommitCallbacks(execute=True):
            return actions.add_audio_report(
                self.member,
                leg=self.leg(0),
                fields=actions.ReportFields(title="Harbour", speaker="Gull", language=language),
                upload=wav,
            )

    def test_a_recording_is_transcribed_by_the_worker_when_a_model_is_set(self) -> None:
        with override_settings(STORAGES=STORAGES, WHISPER_MODEL=str(self.model)):
            report = self.record(
                "The workers at the harbour went on strike for better wages.",
                voice="en",
                language="en",
            )
        transcript = report.transcripts.get()
        self.assertEqual(transcript.job, Job.DONE)
        self.assertEqual(transcript.progress, 100)
        self.assertEqual(transcript.origin, Origin.MACHINE)
        self.assertEqual(transcript.review, Review.DRAFT)
        words = " ".join(s.text for s in transcript.segments.all()).lower()
        for word in ("workers", "strike", "wages"):
            self.assertIn(word, words)
        first = transcript.segments.first()
        assert first is not None
        self.assertLessEqual(first.end_ms, report.duration_ms)
        self.assertGreater(first.end_ms, first.start_ms)

    def test_whisper_offers_a_first_english_version_of_other_speech(self) -> None:
        with override_settings(STORAGES=STORAGES, WHISPER_MODEL=str(self.model)):
            report = self.record(
                "Buenos días. Los trabajadores están en huelga porque quieren salarios justos.",
                voice="es",
                language="es",
            )
            with self.captureOnCommitCallbacks(execute=True):
                english = actions.request_transcription(self.member, report=report, english=True)
        english.refresh_from_db()
        self.assertEqual(english.job, Job.DONE)
        self.assertEqual(english.source, report.transcripts.get(language="es"))
        text = " ".join(s.text for s in english.segments.all()).lower()
        self.assertIn("the", text.split())
        self.assertNotIn("trabajadores", text)

    def test_without_a_model_machine_transcription_is_refused(self) -> None:
        with override_settings(STORAGES=STORAGES, WHISPER_MODEL=""):
            report = self.record("A short test.", voice="en", language="en")
            self.assertFalse(report.transcripts.exists())
            with self.assertRaises(ValidationError):
                actions.request_transcription(self.member, report=report)


@override_settings(MACHINE_TRANSLATION="apertium")
class MachineTranslationTests(RelayTestCase):
    def test_apertium_drafts_a_translation_line_by_line_marked_as_a_machine_s(self) -> None:
        report = self.text_report(
            self.member, text="The workers went on strike.\n\nThe wages are low."
        )
        with self.captureOnCommitCallbacks(execute=True):
            draft = actions.request_machine_translation(
                self.translator, report=report, language="es"
            )
        draft.refresh_from_db()
        self.assertEqual(draft.job, Job.DONE)
        self.assertEqual(
            (draft.origin, draft.engine, draft.review), (Origin.MACHINE, "apertium", Review.DRAFT)
        )
        lines = [s.text for s in draft.segments.all()]
        self.assertEqual(len(lines), 2)
        self.assertIn("trabajadores", lines[0].lower())
        self.assertIn("huelga", lines[0].lower())
        # A person then corrects it and another person reviews it.
        actions.save_transcript(
            self.translator,
            report=report,
            language="es",
            lines=[
                actions.Line(0, 0, "Los trabajadores fueron a la huelga."),
                actions.Line(0, 0, lines[1]),
            ],
        )
        draft.refresh_from_db()
        self.assertEqual(draft.origin, Origin.PERSON)

    def test_a_person_s_translation_is_never_overwritten_by_a_machine_draft(self) -> None:
        report = self.text_report(self.member, text="The workers went on strike.")
        actions.save_transcript(
            self.translator,
            report=report,
            language="es",
            lines=[actions.Line(0, 0, "Hecho a mano.")],
        )
        with self.assertRaises(ValidationError):
            actions.request_machine_translation(self.translator, report=report, language="es")

    def test_a_pair_the_engine_lacks_is_refused_with_a_message(self) -> None:
        report = self.text_report(self.member, text="The workers went on strike.")
        with self.assertRaises(ValidationError) as refused:
            actions.request_machine_translation(self.translator, report=report, language="tr")
        self.assertIn("cannot translate", " ".join(refused.exception.messages))

    def test_a_declared_language_that_does_not_match_the_words_is_doubted(self) -> None:
        doubt = actions.language_doubt(
            "Os trabalhadores do porto estão em greve por salários melhores.",
            declared="en",
            among=["en", "pt"],
        )
        self.assertIsNotNone(doubt)
        self.assertIn("Portuguese", doubt or "")
        self.assertIsNone(
            actions.language_doubt(
                "The workers at the harbour are on strike for better wages.",
                declared="en",
                among=["en", "pt"],
            )
        )
