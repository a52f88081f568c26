"""`internationale relay <subcommand>`: the journey from the command line, who acts, and
clean failures."""

import io
import tempfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from internationale.relay import audio, speech, webvtt
from internationale.relay.models import Job, LegState, Origin, Relay, Report, Review
from internationale.relay.tests.world import RelayTestCase, media_storage

MEDIA = tempfile.mkdtemp(prefix="relay-cli-media-")


def relay(*args: str) -> str:
    out, err = io.StringIO(), io.StringIO()
    call_command("relay", *args, stdout=out, stderr=err)
    return out.getvalue()


@pytest.fixture(scope="module")
def installed_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A model directory made by the command itself, from the installed packages."""
    target = tmp_path_factory.mktemp("model") / "whisper-base"
    out = io.StringIO()
    call_command("relay", "install-model", str(target), stdout=out)
    assert f"INTERNATIONALE_WHISPER_MODEL={target}" in out.getvalue()
    return target


@override_settings(STORAGES=media_storage(MEDIA))
class CommandTests(RelayTestCase):
    model: Path

    @pytest.fixture(autouse=True)
    def _model(self, installed_model: Path) -> None:
        self.model = installed_model

    def test_install_model_builds_a_directory_faster_whisper_loads(self) -> None:
        speech.check_model(self.model)
        parts = speech.packaged_model_sources()
        size = sum(p.stat().st_size for folder in parts for p in folder.glob("model.bin.part*"))
        self.assertEqual((self.model / "model.bin").stat().st_size, size)
        with self.assertRaises(CommandError):
            relay("install-model", str(self.model))  # not over an existing model

    def test_the_journey_from_the_command_line(self) -> None:
        out = relay(
            "start",
            "--as",
            "Coordinator A",
            "--network",
            self.network.slug,
            "--title",
            "From the shell",
            "--prompt",
            "What does the night cost?",
            "--circle",
            str(self.circle_a.pk),
            "--circle",
            str(self.circle_b.pk),
            "--language",
            "en",
            "--language",
            "es",
        )
        started = Relay.objects.get(title="From the shell")
        self.assertIn(str(started.pk), out)
        first = started.legs.get(position=0)
        with tempfile.TemporaryDirectory() as folder:
            wav = audio.synthesize_speech(
                "The workers at the harbour went on strike.",
                voice="en",
                path=Path(folder) / "a.wav",
            )
            relay(
                "report",
                "--as",
                "Member A",
                "--leg",
                str(first.pk),
                "--title",
                "Harbour",
                "--speaker",
                "Gull",
                "--language",
                "en",
                "--audio",
                str(wav),
            )
            self.assertTrue(wav.exists(), "the operator's own file is never deleted")
        report = Report.objects.get(title="Harbour")
        with override_settings(WHISPER_MODEL=str(self.model)):
            out = relay("transcribe", str(report.pk), "--now")
        original = report.transcripts.get(language="en")
        self.assertEqual((original.job, original.origin), (Job.DONE, Origin.MACHINE))
        self.assertIn("strike", " ".join(s.text for s in original.segments.all()).lower())
        with override_settings(MACHINE_TRANSLATION="apertium"):
            relay("translate", str(report.pk), "--language", "es", "--now")
        spanish = report.transcripts.get(language="es")
        self.assertEqual((spanish.origin, spanish.engine), (Origin.MACHINE, "apertium"))
        self.assertIn("huelga", " ".join(s.text for s in spanish.segments.all()).lower())
        # A person corrects the Spanish from a WebVTT file; someone else reviews it.
        vtt = relay("vtt", str(report.pk), "--language", "es")
        cues = webvtt.read(vtt)
        with tempfile.TemporaryDirectory() as folder:
            corrected = Path(folder) / "es.vtt"
            corrected.write_text(
                webvtt.write(
                    [(cues[0][0], cues[0][1], "Los trabajadores del puerto fueron a la huelga.")]
                ),
                encoding="utf-8",
            )
            relay(
                "save", "--as", "Translator A", str(report.pk), "--language", "es", str(corrected)
            )
        relay("review", "--as", "Member A", str(report.pk), "--language", "es")
        spanish.refresh_from_db()
        self.assertEqual((spanish.origin, spanish.review), (Origin.PERSON, Review.REVIEWED))
        relay("pass-on", "--as", "Member A", str(first.pk))
        second = started.legs.get(position=1)
        self.assertEqual(second.state, LegState.OPEN)
        relay(
            "report",
            "--as",
            "Outsider B",
            "--leg",
            str(second.pk),
            "--title",
            "Depot",
            "--speaker",
            "Forklift",
            "--language",
            "en",
            "--responds-to",
            str(report.pk),
            "--text",
            "Twelve hours here too.",
        )
        self.assertEqual(Report.objects.get(title="Depot").responds_to, report)
        out = relay("feed", "--as", "Coordinator A", str(started.pk), "--set", "public")
        self.assertIn("Public", out)
        shown = relay("show", str(started.pk))
        self.assertIn(f"-> #{report.pk} Depot", shown)
        self.assertIn("es (by a person, reviewed)", shown)
        listed = relay("list", "--network", self.network.slug)
        self.assertIn("From the shell", listed)
        self.assertIn(self.circle_a.name, relay("circles", "--network", self.network.slug))

    def test_a_person_s_acts_are_checked_as_theirs(self) -> None:
        first = self.relay.legs.get(position=0)
        for name in ("Outsider B", "Stranger C"):
            with self.subTest(name=name), self.assertRaises(CommandError):
                relay(
                    "report",
                    "--as",
                    name,
                    "--leg",
                    str(first.pk),
                    "--title",
                    "T",
                    "--speaker",
                    "S",
                    "--language",
                    "en",
                    "--text",
                    "Not my turn.",
                )
        with self.assertRaises(CommandError):
            relay("feed", "--as", "Member A", str(self.relay.pk), "--set", "public")
        with self.assertRaises(CommandError):
            relay(
                "start",
                "--as",
                "Nobody Here",
                "--network",
                self.network.slug,
                "--title",
                "T",
                "--prompt",
                "P",
                "--circle",
                str(self.circle_a.pk),
                "--language",
                "en",
            )
        self.assertFalse(Report.objects.exists())

    def test_a_file_that_is_not_audio_is_refused_and_nothing_is_kept(self) -> None:
        first = self.relay.legs.get(position=0)
        with tempfile.TemporaryDirectory() as folder:
            bogus = Path(folder) / "notes.mp3"
            bogus.write_text("not sound", encoding="utf-8")
            with self.assertRaises(CommandError) as refused:
                relay(
                    "report",
                    "--as",
                    "Member A",
                    "--leg",
                    str(first.pk),
                    "--title",
                    "T",
                    "--speaker",
                    "S",
                    "--language",
                    "en",
                    "--audio",
                    str(bogus),
                )
            self.assertTrue(bogus.exists())
        self.assertIn("Nothing of it was kept", str(refused.exception))
        self.assertFalse(Report.objects.exists())
