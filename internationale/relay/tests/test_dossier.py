import subprocess
import tempfile
from pathlib import Path

from django.urls import reverse

from internationale.relay import actions
from internationale.relay.tests.world import RelayTestCase


def pdf_text(pdf: bytes) -> str:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "dossier.pdf"
        path.write_bytes(pdf)
        done = subprocess.run(
            ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, timeout=60
        )
        return done.stdout.decode()


def pdf_pages(pdf: bytes, folder: Path) -> list[Path]:
    path = folder / "dossier.pdf"
    path.write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-r", "60", "-png", str(path), str(folder / "page")], check=True, timeout=60
    )
    return sorted(folder.glob("page*.png"))


class DossierTests(RelayTestCase):
    def setUp(self) -> None:
        self.report = self.text_report(
            self.member, text="We work twelve hours.\n\nThe pay is late.", visibility="public"
        )
        actions.save_transcript(
            self.translator,
            report=self.report,
            language="pt",
            lines=[
                actions.Line(0, 0, "Trabalhamos doze horas."),
                actions.Line(0, 0, "O pagamento atrasa."),
            ],
        )
        actions.save_transcript(
            self.translator,
            report=self.report,
            language="ar",
            lines=[actions.Line(0, 0, "نعمل اثنتي عشرة ساعة."), actions.Line(0, 0, "الأجر متأخر.")],
        )
        self.secret = self.text_report(self.member, text="Kept inside Alpha.", visibility="private")

    def test_the_pdf_holds_every_transcript_and_translation_on_rendered_pages(self) -> None:
        response = self.client_for(self.outsider).get(
            reverse("relay:dossier-pdf", args=[self.relay.pk])
        )
        self.assertEqual(response["Content-Type"], "application/pdf")
        text = pdf_text(response.content)
        for words in (
            self.relay.title,
            "We work twelve hours.",
            "Trabalhamos doze horas.",
            "O pagamento atrasa.",
        ):
            self.assertIn(words, text)
        self.assertIn("نعمل", text)  # Arabic shaped and kept as text
        self.assertIn("متأخر", text)
        self.assertNotIn("Kept inside Alpha.", text)
        with tempfile.TemporaryDirectory() as folder:
            pages = pdf_pages(response.content, Path(folder))
            self.assertGreaterEqual(len(pages), 1)
            self.assertGreater(pages[0].stat().st_size, 2_000)  # a page with text on it

    def test_the_html_dossier_sets_right_to_left_languages_right_to_left(self) -> None:
        page = self.client_for(self.member).get(reverse("relay:dossier", args=[self.relay.pk]))
        self.assertContains(page, '<div class="version" lang="ar" dir="rtl">', html=False)
        self.assertContains(page, '<div class="version" lang="pt" dir="ltr">', html=False)
        self.assertContains(page, "Kept inside Alpha.")  # Alpha's own member reads it

    def test_outside_the_network_the_dossier_exists_only_once_published(self) -> None:
        url = reverse("relay:dossier", args=[self.relay.pk])
        pdf = reverse("relay:dossier-pdf", args=[self.relay.pk])
        for persona in (self.stranger, None):
            self.assertEqual(self.client_for(persona).get(url).status_code, 404)
            self.assertEqual(self.client_for(persona).get(pdf).status_code, 404)
        self.text_report(self.member, text="For the network only.", visibility="network")
        actions.set_feed(self.coordinator, relay=self.relay, feed="public")
        page = self.client_for(None).get(url)
        self.assertContains(page, "We work twelve hours.")
        self.assertNotContains(page, "For the network only.")
        self.assertNotContains(page, "Kept inside Alpha.")
