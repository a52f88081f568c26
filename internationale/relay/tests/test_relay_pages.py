import tempfile
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from internationale.relay import actions, audio
from internationale.relay.models import Report
from internationale.relay.tests.world import RelayTestCase, media_storage

MEDIA = tempfile.mkdtemp(prefix="relay-media-")


def speech_wav(text: str = "The night shift pays less than the day shift.") -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        path = audio.synthesize_speech(text, voice="en", path=Path(folder) / "speech.wav")
        return path.read_bytes()


@override_settings(STORAGES=media_storage(MEDIA))
class RelayPageTests(RelayTestCase):
    def test_the_network_s_relays_are_for_its_members(self) -> None:
        url = reverse("relay:relays", args=[self.network.slug])
        for persona, status in (
            (self.member, 200),
            (self.outsider, 200),
            (self.stranger, 404),
            (None, 404),
        ):
            with self.subTest(persona=str(persona)):
                response = self.client_for(persona).get(url)
                self.assertEqual(response.status_code, status)
                if status == 200:
                    self.assertContains(response, self.relay.title)

    def test_a_coordinator_starts_a_relay_from_the_page(self) -> None:
        url = reverse("relay:new", args=[self.network.slug])
        self.assertEqual(self.client_for(self.member).get(url).status_code, 403)
        response = self.client_for(self.coordinator).post(
            url,
            {
                "title": "Heat in the warehouses",
                "prompt": "How hot does it get?",
                "leg_0": self.circle_b.pk,
                "leg_1": self.circle_a.pk,
                "languages": ["en", "tr"],
                "leg_days": 5,
            },
        )
        relay = self.network.relays.get(title="Heat in the warehouses")
        self.assertRedirects(response, relay.get_absolute_url())
        self.assertEqual([leg.circle for leg in relay.legs.all()], [self.circle_b, self.circle_a])
        self.assertEqual(relay.languages, ["en", "tr"])

    def test_the_mosaic_shows_each_reader_what_they_may_read(self) -> None:
        self.text_report(self.member, text="Shared with the network.")
        private = self.text_report(self.member, text="Only for Alpha.", visibility="private")
        url = self.relay.get_absolute_url()
        own = self.client_for(self.member).get(url)
        self.assertContains(own, "Shared with the network.")
        self.assertContains(own, "Only for Alpha.")
        other = self.client_for(self.outsider).get(url)
        self.assertContains(other, "Shared with the network.")
        self.assertNotContains(other, "Only for Alpha.")
        for persona in (self.stranger, None):
            self.assertEqual(self.client_for(persona).get(url).status_code, 404)
            self.assertEqual(
                self.client_for(persona).get(private.get_absolute_url()).status_code, 404
            )
        self.assertEqual(
            self.client_for(self.outsider).get(private.get_absolute_url()).status_code, 404
        )

    def test_only_the_circle_on_duty_opens_its_leg(self) -> None:
        url = self.leg(0).get_absolute_url()
        self.assertEqual(self.client_for(self.member).get(url).status_code, 200)
        self.assertEqual(self.client_for(self.outsider).get(url).status_code, 403)
        self.assertEqual(self.client_for(self.stranger).get(url).status_code, 404)
        self.assertEqual(self.client_for(None).get(url).status_code, 302)

    def test_a_written_report_and_passing_on_through_the_pages(self) -> None:
        client = self.client_for(self.member)
        response = client.post(
            self.leg(0).get_absolute_url(),
            {
                "kind": "text",
                "text-title": "Night shift",
                "text-speaker": "Lantern",
                "text-language": "en",
                "text-visibility": "network",
                "text-text": "We work twelve hours.",
            },
        )
        report = Report.objects.get()
        self.assertRedirects(response, report.get_absolute_url())
        client.post(reverse("relay:pass-on", args=[self.leg(0).pk]))
        self.assertEqual(self.leg(1).state, "open")
        self.assertContains(
            self.client_for(self.outsider).get(self.relay.get_absolute_url()),
            "Your circle is on duty",
        )

    def test_an_upload_is_stored_only_made_safe_and_heard_only_by_its_readers(self) -> None:
        response = self.client_for(self.member).post(
            self.leg(0).get_absolute_url(),
            {
                "kind": "audio",
                "audio-title": "Night shift",
                "audio-speaker": "Lantern",
                "audio-language": "en",
                "audio-visibility": "network",
                "audio-disguise": "0",
                "audio-audio": SimpleUploadedFile("phone.wav", speech_wav(), "audio/wav"),
            },
        )
        report = Report.objects.get()
        self.assertRedirects(response, report.get_absolute_url())
        self.assertTrue(report.audio_ogg.name.endswith(".ogg"))
        self.assertNotIn("phone", report.audio_ogg.name + report.audio_mp3.name)
        self.assertGreater(report.duration_ms, 1000)
        url = reverse("relay:audio", args=[report.pk, "ogg"])
        heard = self.client_for(self.outsider).get(url)
        self.assertEqual(heard.status_code, 200)
        self.assertEqual(heard["Content-Type"], "audio/ogg")
        self.assertEqual(b"".join(heard.streaming_content)[:4], b"OggS")
        part = self.client_for(self.outsider).get(url, HTTP_RANGE="bytes=0-3")
        self.assertEqual(part.status_code, 206)
        self.assertEqual(part.content, b"OggS")
        for persona in (self.stranger, None):
            self.assertEqual(self.client_for(persona).get(url).status_code, 404)

    def test_a_file_that_is_not_audio_is_refused_with_a_message_and_nothing_kept(self) -> None:
        response = self.client_for(self.member).post(
            self.leg(0).get_absolute_url(),
            {
                "kind": "audio",
                "audio-title": "Night shift",
                "audio-speaker": "Lantern",
                "audio-language": "en",
                "audio-visibility": "network",
                "audio-disguise": "0",
                "audio-audio": SimpleUploadedFile("notes.mp3", b"not sound at all" * 100),
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Nothing of it was kept")
        self.assertFalse(Report.objects.exists())

    def test_a_translator_edits_a_translation_and_exports_it_as_webvtt(self) -> None:
        report = self.text_report(self.member, text="We work twelve hours.")
        url = reverse("relay:transcript", args=[report.pk, "pt"])
        self.assertEqual(self.client_for(self.outsider).get(url).status_code, 403)
        client = self.client_for(self.translator)
        self.assertContains(client.get(url), "We work twelve hours.")
        client.post(
            url,
            {"count": "2", "start-0": "0", "end-0": "2500", "text-0": "Trabalhamos doze horas."},
        )
        translation = report.transcripts.get(language="pt")
        self.assertEqual(translation.updated_by, self.translator)
        vtt = self.client_for(self.outsider).get(reverse("relay:vtt", args=[report.pk, "pt"]))
        self.assertEqual(vtt["Content-Type"], "text/vtt; charset=utf-8")
        self.assertIn(
            "00:00:00.000 --> 00:00:02.500\nTrabalhamos doze horas.", vtt.content.decode()
        )
        self.assertEqual(
            self.client_for(self.stranger)
            .get(reverse("relay:vtt", args=[report.pk, "pt"]))
            .status_code,
            404,
        )

    def test_the_mosaic_switches_to_a_translation(self) -> None:
        report = self.text_report(self.member, text="We work twelve hours.")
        actions.save_transcript(
            self.translator,
            report=report,
            language="pt",
            lines=[actions.Line(0, 0, "Trabalhamos doze horas.")],
        )
        page = self.client_for(self.outsider).get(self.relay.get_absolute_url() + "?language=pt")
        self.assertContains(page, "Trabalhamos doze horas.")
        self.assertContains(page, "see the original")


class QueueAndAnswerPageTests(RelayTestCase):
    def test_a_translator_sees_what_waits_in_the_languages_they_read(self) -> None:
        from internationale.network import actions as network_actions

        network_actions.update_account(
            self.translator,
            display_name=self.translator.display_name,
            language="en",
            languages=["en", "pt"],
            time_zone="UTC",
        )
        report = self.text_report(self.member, text="We work twelve hours.")
        url = reverse("relay:queue")
        page = self.client_for(self.translator).get(url)
        self.assertContains(page, "To translate into Portuguese")
        self.assertContains(page, reverse("relay:transcript", args=[report.pk, "pt"]))
        actions.save_transcript(
            self.translator,
            report=report,
            language="pt",
            lines=[actions.Line(0, 0, "Trabalhamos doze horas.")],
        )
        self.assertContains(self.client_for(self.translator).get(url), "draft")
        actions.review_transcript(self.member, transcript=report.transcripts.get(language="pt"))
        self.assertContains(self.client_for(self.translator).get(url), "Nothing waits for you.")
        # Someone who is no translator has an empty queue.
        self.assertContains(self.client_for(self.outsider).get(url), "Nothing waits for you.")

    def test_a_private_report_s_title_never_shows_where_another_answers_it(self) -> None:
        private = self.text_report(self.member, text="Inside.", visibility="private", language="en")
        private.title = "Secret title"
        private.save(update_fields=["title"])
        # Alpha's own coordinator may answer it from a later leg of Alpha's.
        from internationale.network import actions as network_actions

        third = network_actions.create_circle(
            self.coordinator, organization=self.alpha, name="Day circle", members=[self.member]
        )
        relay = actions.start_relay(
            self.coordinator,
            network=self.network,
            title="Two legs of Alpha",
            prompt="P",
            circles=[self.circle_a, third],
            languages=["en"],
        )
        first = actions.add_text_report(
            self.member,
            leg=relay.legs.get(position=0),
            fields=actions.ReportFields(
                title="Secret title", speaker="S", language="en", visibility="private"
            ),
            text="Inside.",
        )
        actions.pass_on(self.member, leg=relay.legs.get(position=0))
        answer = actions.add_text_report(
            self.member,
            leg=relay.legs.get(position=1),
            fields=actions.ReportFields(
                title="Shared answer", speaker="S", language="en", responds_to=first
            ),
            text="Outside.",
        )
        for url in (relay.get_absolute_url(), answer.get_absolute_url()):
            page = self.client_for(self.outsider).get(url)
            self.assertContains(page, "Shared answer")
            self.assertNotContains(page, "Secret title")
        self.assertContains(
            self.client_for(self.member).get(relay.get_absolute_url()), "Secret title"
        )


class ProgressTests(RelayTestCase):
    def test_the_report_page_reloads_itself_while_the_machine_works(self) -> None:
        from internationale.relay.models import Job, Transcript

        report = self.text_report(self.member)
        page = self.client_for(self.member).get(report.get_absolute_url())
        self.assertNotContains(page, 'http-equiv="refresh"')
        Transcript.objects.filter(report=report).update(job=Job.RUNNING, progress=40)
        page = self.client_for(self.member).get(report.get_absolute_url())
        self.assertContains(page, 'http-equiv="refresh"')
        self.assertContains(page, '<progress max="100" value="40">')
