"""The demo network's relays: one finished across its five places, one in progress.

Everything here is invented: the people, their pseudonyms and what they say. The voices are
espeak-ng's, made safe like any upload. Transcripts and translations are written as the
network's members and translators would have written them (some reviewed, some drafts).

As in the treasury's demo, the actions stamp their own time; while a step of the story is
written, `django.utils.timezone.now` is replaced by the story's moment, so the legs open
and close on the days the story says. The load is a one-off command; nothing else runs in
the process meanwhile.
"""

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from unittest import mock

from django.utils import timezone

from internationale.network.demo import DEMO_NETWORK
from internationale.network.models import Circle, Member, Network
from internationale.relay import actions, audio
from internationale.relay.models import Leg, Relay, Report

FINISHED = "What does the peak season cost us?"
IN_PROGRESS = "Who decides the pace of our work?"


@dataclass(frozen=True)
class Told:
    """A report of the story: who records it, under which pseudonym, in which voice, and
    its sentences with their translations (language -> sentences)."""

    author: str
    speaker: str
    title: str
    language: str
    voice: str
    sentences: tuple[str, ...]
    translations: dict[str, tuple[str, ...]]
    translator: str = ""
    visibility: str = "public"


CHAIN = (
    (
        "Night shift circle",
        Told(
            "Jamal",
            "Night Owl",
            "Ten hours, six days",
            "en",
            "en-us",
            (
                "Peak season started early this year.",
                "They put us on mandatory overtime, ten hours, six days.",
                "The scanners count every second we stand still.",
            ),
            {
                "tr": (
                    "Yoğun sezon bu yıl erken başladı.",
                    "Bizi zorunlu fazla mesaiye koydular: on saat, altı gün.",
                    "Tarayıcılar durduğumuz her saniyeyi sayıyor.",
                ),
                "pt": (
                    "A alta temporada começou cedo este ano.",
                    "Colocaram-nos em horas extras obrigatórias, dez horas, seis dias.",
                    "Os leitores contam cada segundo em que ficamos parados.",
                ),
            },
            translator="Leyla",
        ),
    ),
    (
        "Workshop circle",
        Told(
            "Omar",
            "İğne",
            "Mesai ödenmiyor",
            "tr",
            "tr",
            (
                "Bizde de sezon erken başladı.",
                "Atölyede on iki saat çalışıyoruz ve mesai ücreti ödenmiyor.",
                "Kayıtsız çalışanlar şikâyet etmekten korkuyor.",
            ),
            {
                "en": (
                    "For us too the season started early.",
                    "We work twelve hours in the workshop and overtime is not paid.",
                    "Unregistered workers are afraid to complain.",
                ),
                "pt": (
                    "Para nós também a temporada começou cedo.",
                    "Trabalhamos doze horas na oficina e as horas extras não são pagas.",
                    "Os trabalhadores sem registro têm medo de reclamar.",
                ),
            },
            translator="Leyla",
        ),
    ),
    (
        "Port circle",
        Told(
            "Tunde",
            "Harbour Light",
            "Paid by the container",
            "en",
            "en",
            (
                "At the port the trucks wait for days.",
                "Students load at night and sit exams in the morning.",
                "The agency pays us by the container, not by the hour.",
            ),
            {
                "pt": (
                    "No porto os caminhões esperam dias.",
                    "Estudantes carregam à noite e fazem provas de manhã.",
                    "A agência nos paga por contêiner, não por hora.",
                ),
            },
            translator="Bia",
            visibility="network",
        ),
    ),
    (
        "Circle of the east zone",
        Told(
            "Caio",
            "Vento Leste",
            "A taxa caiu",
            "pt",
            "pt-br",
            (
                "Aqui o aplicativo baixou a taxa por entrega na alta temporada.",
                "Rodamos mais quilômetros para ganhar o mesmo.",
                "Quem recusa corrida é bloqueado.",
            ),
            {
                "en": (
                    "Here the app lowered the fee per delivery in peak season.",
                    "We ride more kilometres to earn the same.",
                    "Whoever refuses a ride is blocked.",
                ),
                "bn": (
                    "এখানে ব্যস্ত মৌসুমে অ্যাপ প্রতি ডেলিভারির ফি কমিয়েছে।",
                    "একই আয়ের জন্য আমাদের আরও বেশি কিলোমিটার চালাতে হয়।",
                    "যে রাইড ফিরিয়ে দেয়, তাকে ব্লক করা হয়।",
                ),
            },
            translator="Bia",
        ),
    ),
    (
        "Line leaders' circle",
        Told(
            "Rafiq",
            "সুতো",
            "অর্ডার বেড়েছে, মজুরি নয়",
            "bn",
            "bn",
            (
                "আমাদের কারখানায় অর্ডার বেড়েছে কিন্তু মজুরি বাড়েনি।",
                "রাতে দেরি পর্যন্ত কাজ করতে হয়।",
                "আমরা একসাথে দাবি তুলছি।",
            ),
            {
                "en": (
                    "In our factory orders have grown but wages have not.",
                    "We have to work late into the night.",
                    "We are raising our demands together.",
                ),
                "pt": (
                    "Na nossa fábrica os pedidos aumentaram, mas os salários não.",
                    "Temos que trabalhar até tarde da noite.",
                    "Estamos levantando nossas reivindicações juntos.",
                ),
            },
            translator="Ada",
        ),
    ),
)


def demo_exists() -> bool:
    return Relay.objects.filter(network__name=DEMO_NETWORK).exists()


@contextmanager
def _at(moment: datetime) -> Iterator[None]:
    with mock.patch.object(timezone, "now", return_value=moment):
        yield


def load_demo() -> None:
    network = Network.objects.get(name=DEMO_NETWORK)
    circles = {
        c.name: c for c in Circle.objects.filter(organization__in=network.organizations.all())
    }
    people = {
        m.display_name: m
        for m in Member.objects.filter(memberships__organization__in=network.organizations.all())
    }
    now = timezone.now().replace(microsecond=0)
    with tempfile.TemporaryDirectory(prefix="relay-demo-") as folder:
        _finished(network, circles, people, Path(folder), start=now - timedelta(days=40))
        _in_progress(network, circles, people, start=now - timedelta(days=9))


def _finished(
    network: Network,
    circles: dict[str, Circle],
    people: dict[str, Member],
    folder: Path,
    *,
    start: datetime,
) -> None:
    with _at(start):
        relay = actions.start_relay(
            people["Marisol"],
            network=network,
            title=FINISHED,
            prompt=(
                "Peak season is here. Tell the next circle what it costs you: the hours, the "
                "pay, the pace, and what you are doing about it."
            ),
            circles=[circles[name] for name, _told in CHAIN],
            languages=["en", "pt", "tr", "bn"],
            leg_days=7,
        )
    previous: Report | None = None
    moment = start
    for position, (_name, told) in enumerate(CHAIN):
        leg = relay.legs.get(position=position)
        moment += timedelta(days=3, hours=5)
        with _at(moment):
            report = _record(leg, told, people, folder, responds_to=previous)
        moment += timedelta(hours=20)
        with _at(moment):
            _translate(report, told, people)
        moment += timedelta(days=1)
        with _at(moment):
            actions.pass_on(people[told.author], leg=leg)
        previous = report
    with _at(moment):
        actions.set_feed(people["Marisol"], relay=relay, feed="public")


def _record(
    leg: Leg, told: Told, people: dict[str, Member], folder: Path, *, responds_to: Report | None
) -> Report:
    wav = audio.synthesize_speech(
        " ".join(told.sentences), voice=told.voice, path=folder / f"{leg.position}.wav", speed=150
    )
    author = people[told.author]
    report = actions.add_audio_report(
        author,
        leg=leg,
        fields=actions.ReportFields(
            title=told.title,
            speaker=told.speaker,
            language=told.language,
            visibility=told.visibility,
            responds_to=responds_to,
        ),
        upload=wav,
    )
    actions.save_transcript(
        author, report=report, language=told.language, lines=_timed(told.sentences, report)
    )
    return report


def _timed(sentences: tuple[str, ...], report: Report) -> list[actions.Line]:
    """Lines timed in proportion to their length over the recording."""
    total = sum(len(s) for s in sentences)
    lines, start = [], 0
    for sentence in sentences:
        end = start + report.duration_ms * len(sentence) // total
        lines.append(actions.Line(start, end, sentence))
        start = end
    return lines


def _translate(report: Report, told: Told, people: dict[str, Member]) -> None:
    translator = people[told.translator]
    reviewer = people["Ada"] if told.translator != "Ada" else people["Bia"]
    for number, (language, sentences) in enumerate(told.translations.items()):
        transcript = actions.save_transcript(
            translator,
            report=report,
            language=language,
            lines=[
                actions.Line(line.start_ms, line.end_ms, sentence)
                for line, sentence in zip(_timed(told.sentences, report), sentences, strict=True)
            ],
        )
        if number == 0:  # the first translation of each report has been reviewed
            actions.review_transcript(reviewer, transcript=transcript)
    original = report.transcripts.get(language=report.language)
    actions.review_transcript(translator, transcript=original)


def _in_progress(
    network: Network, circles: dict[str, Circle], people: dict[str, Member], *, start: datetime
) -> None:
    with _at(start):
        relay = actions.start_relay(
            people["Bia"],
            network=network,
            title=IN_PROGRESS,
            prompt=(
                "Apps, scanners and quotas set the pace of our work. Who decides it where you "
                "are, and how do you slow it down?"
            ),
            circles=[
                circles["Circle of the east zone"],
                circles["Workshop circle"],
                circles["Night shift circle"],
            ],
            languages=["pt", "tr", "en"],
            leg_days=10,
        )
    first = relay.legs.get(position=0)
    with _at(start + timedelta(days=2)):
        report = actions.add_text_report(
            people["Caio"],
            leg=first,
            fields=actions.ReportFields(
                title="O algoritmo decide",
                speaker="Vento Leste",
                language="pt",
                visibility="network",
            ),
            text=(
                "Quem decide o ritmo é o algoritmo: ele oferece a corrida e conta os segundos "
                "até aceitarmos.\n\nNa semana passada paramos juntos por duas horas na frente do "
                "shopping, e as taxas voltaram a subir no dia seguinte."
            ),
        )
        actions.save_transcript(
            people["Bia"],
            report=report,
            language="en",
            lines=[
                actions.Line(
                    0,
                    0,
                    "The algorithm decides the pace: it offers the ride and counts the seconds "
                    "until we accept.",
                ),
                actions.Line(
                    0,
                    0,
                    "Last week we stopped together for two hours in front of the mall, and the "
                    "fees went up again the next day.",
                ),
            ],
        )
    with _at(start + timedelta(days=3)):
        actions.pass_on(people["Caio"], leg=first)
