"""The relay's journey in Chromium: a coordinator starts a relay; the first circle uploads a
recording (transcribed by the Whisper model) and records one in the page; a translator
translates; the circle passes it on; the second circle responds; the coordinator publishes;
the feed and the dossier open. Then the relay's pages on a phone, in English and Arabic."""

import tempfile
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from internationale.core.tests.test_browser_shell import PHONE, axe_problems
from internationale.network import actions as network_actions
from internationale.network.models import Member
from internationale.relay import actions, audio, speech
from internationale.relay.models import Relay, Report

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def whisper_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return speech.assemble_model(
        speech.packaged_model_sources(), tmp_path_factory.mktemp("model") / "whisper-base"
    )


@pytest.fixture
def circles(world: dict[str, Any], settings: Any, tmp_path: Path) -> dict[str, Any]:
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "media"},
        },
    }
    coordinator_b = Member.objects.get(display_name="Coordinator B")
    return {
        "harbour": network_actions.create_circle(
            world["coordinator"],
            organization=world["alpha"],
            name="Harbour circle",
            members=[world["member"]],
        ),
        "depot": network_actions.create_circle(
            coordinator_b,
            organization=world["beta"],
            name="Depot circle",
            members=[world["outsider"]],
        ),
    }


def test_a_relay_from_prompt_to_published_feed_and_dossier(
    new_page: Any,
    world: dict[str, Any],
    circles: dict[str, Any],
    log_in: Any,
    settings: Any,
    whisper_model: Path,
) -> None:
    settings.WHISPER_MODEL = str(whisper_model)
    network = world["network"]

    coordinator = new_page()
    log_in(coordinator, world["coordinator"])
    coordinator.goto(reverse("relay:relays", args=[network.slug]))
    coordinator.get_by_role("link", name="Start a relay").click()
    coordinator.get_by_label("Title").fill("The harbour at night")
    coordinator.get_by_label("Prompt for the first circle").fill("What does the night cost?")
    coordinator.get_by_label("Circle of leg 1").select_option(label="Harbour circle — Alpha Union")
    coordinator.get_by_label("Circle of leg 2").select_option(
        label="Depot circle — Beta Collective"
    )
    coordinator.get_by_label("Languages the chain must be available in").select_option(["en", "pt"])
    coordinator.get_by_role("button", name="Start the relay").click()
    expect(coordinator.get_by_role("status")).to_contain_text("The relay has started")
    relay = Relay.objects.get(title="The harbour at night")

    # The first circle is told on its home page, and uploads a recording.
    member = new_page()
    log_in(member, world["member"])
    member.goto("/")
    member.get_by_role("link", name="The harbour at night").click()
    expect(member.get_by_role("heading", level=1)).to_contain_text("Harbour circle")
    with tempfile.TemporaryDirectory() as folder:
        wav = audio.synthesize_speech(
            "The workers at the harbour went on strike for better wages.",
            voice="en",
            path=Path(folder) / "phone-recording.wav",
        )
        upload = member.locator("form.recorder")
        upload.get_by_label("Title").fill("Strike at the harbour")
        upload.get_by_label("Speaker's pseudonym").fill("Gull")
        upload.get_by_label("Language spoken or written").select_option("en")
        upload.get_by_label("Recording").set_input_files(str(wav))
        upload.get_by_role("button", name="Send the recording").click()
    expect(member.get_by_role("status")).to_contain_text("made safe")
    report = Report.objects.get(title="Strike at the harbour")
    # Transcribed by the machine as the upload was stored; the lines follow the audio.
    lines = member.locator(f"#transcript-{report.pk}")
    expect(lines).to_contain_text("strike")
    expect(lines.locator("a.time").first).to_have_text("0:00")

    # A second report, recorded in the page with the browser's own recorder.
    member.goto(report.leg.get_absolute_url())
    recorder = member.locator("form.recorder")
    recorder.get_by_role("button", name="Record", exact=True).click()
    member.wait_for_timeout(2500)
    recorder.get_by_role("button", name="Stop", exact=True).click()
    expect(recorder.locator("audio[data-preview]")).to_be_visible()
    recorder.get_by_label("Title").fill("Recorded on the phone")
    recorder.get_by_label("Speaker's pseudonym").fill("Gull")
    recorder.get_by_role("button", name="Send the recording").click()
    expect(member.get_by_role("status")).to_contain_text("made safe")
    recorded = Report.objects.get(title="Recorded on the phone")
    assert recorded.audio_ogg.name.endswith(".ogg")
    assert recorded.duration_ms > 1500

    # A translator translates the first report into Portuguese; the member reviews it.
    translator = new_page()
    log_in(translator, world["translator"])
    translator.goto(reverse("relay:transcript", args=[report.pk, "pt"]))
    expect(translator.get_by_role("heading", level=1)).to_have_text("Translate into Portuguese")
    translator.get_by_label("Line 1", exact=True).fill(
        "Os trabalhadores do porto entraram em greve por salários melhores."
    )
    translator.get_by_role("button", name="Save as a draft").click()
    expect(translator.get_by_role("status")).to_contain_text("Saved as a draft")
    member.goto(report.get_absolute_url())
    member.locator("li", has_text="Portuguese").get_by_role("button", name="mark reviewed").click()
    expect(member.get_by_role("status")).to_contain_text("Marked as reviewed")

    # The circle passes the relay on; the next circle is on duty and responds.
    member.goto(report.leg.get_absolute_url())
    member.get_by_role("button", name="Pass the relay on").click()
    expect(member.get_by_role("status")).to_contain_text("Depot circle is on duty now")
    outsider = new_page()
    log_in(outsider, world["outsider"])
    outsider.goto("/")
    outsider.get_by_role("link", name="The harbour at night").click()
    written = outsider.locator("form", has=outsider.locator("input[name=kind][value=text]"))
    written.get_by_label("Title").fill("The depot answers")
    written.get_by_label("Speaker's pseudonym").fill("Forklift")
    written.get_by_label("Language spoken or written").select_option("pt")
    written.get_by_label("Responds to").select_option(label=str(report))
    written.get_by_label("Report").fill("Aqui também: turnos de doze horas.")
    written.get_by_role("button", name="Add the report").click()
    expect(outsider.get_by_role("status")).to_contain_text("Your report is added")
    outsider.goto(relay.get_absolute_url() + "?language=pt")
    expect(outsider.locator("main")).to_contain_text("Os trabalhadores do porto")
    expect(outsider.locator(".report", has_text="The depot answers")).to_contain_text(
        "Strike at the harbour"
    )

    # The coordinator publishes a public feed; the feed and the dossier open for anyone.
    coordinator.goto(relay.get_absolute_url())
    coordinator.get_by_label("Podcast feed").select_option("public")
    coordinator.get_by_role("button", name="Save").click()
    expect(coordinator.get_by_role("status")).to_contain_text("The podcast feed is set")
    visitor = new_page()
    feed = visitor.request.get(reverse("relay:public-feed", args=[relay.pk]))
    assert feed.ok
    assert feed.headers["content-type"].startswith("application/rss+xml")
    assert b"<enclosure" not in feed.body()  # nothing public yet: the reports are the network's
    coordinator.goto(reverse("relay:dossier", args=[relay.pk]))
    with coordinator.expect_download() as download:
        coordinator.get_by_role("link", name="Download as PDF").click()
    pdf = Path(download.value.path()).read_bytes()
    assert pdf.startswith(b"%PDF")


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_relay_pages_fit_a_phone_in_either_direction(
    new_page: Any, world: dict[str, Any], circles: dict[str, Any], log_in: Any, language: str
) -> None:
    relay = actions.start_relay(
        world["coordinator"],
        network=world["network"],
        title="The harbour at night",
        prompt="What does the night cost?",
        circles=[circles["harbour"], circles["depot"]],
        languages=["en", "ar"],
    )
    report = actions.add_text_report(
        world["member"],
        leg=relay.legs.get(position=0),
        fields=actions.ReportFields(title="Night", speaker="Gull", language="en"),
        text="We work twelve hours.",
    )
    actions.save_transcript(
        world["translator"],
        report=report,
        language="ar",
        lines=[actions.Line(0, 0, "نعمل اثنتي عشرة ساعة.")],
    )
    network_actions.set_language(world["member"], language=language)
    page = new_page(language=language, viewport=PHONE)
    log_in(page, world["member"])
    problems = []
    for url in (
        relay.get_absolute_url(),
        relay.legs.get(position=0).get_absolute_url(),
        report.get_absolute_url(),
        reverse("relay:transcript", args=[report.pk, "ar"]),
        reverse("relay:dossier", args=[relay.pk]),
    ):
        page.goto(url)
        assert page.evaluate("document.documentElement.dir") == (
            "rtl" if language == "ar" else "ltr"
        )
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"{url} is {width} px wide"
        problems += axe_problems(page, url)
    assert problems == [], "\n".join(problems)
