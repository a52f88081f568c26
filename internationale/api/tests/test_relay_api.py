"""The relay API: the access matrix of every endpoint, and the whole journey of a relay,
from starting it through reports, recordings and translations to its podcast feed."""

import json
import shutil
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from internationale.network import actions as network_actions
from internationale.relay import actions, audio
from internationale.relay.models import Report
from internationale.relay.tests.world import RelayTestCase, media_storage

MEDIA = tempfile.mkdtemp(prefix="relay-api-media-")
UPLOADS = tempfile.mkdtemp(prefix="relay-api-uploads-")

PERSONAS = ("member", "outsider", "stranger", "anonymous")
READ = {"member": 200, "outsider": 200, "stranger": 404, "anonymous": 401}
ON_DUTY = {"member": 201, "outsider": 403, "stranger": 404, "anonymous": 401}


def tearDownModule() -> None:
    shutil.rmtree(MEDIA, ignore_errors=True)
    shutil.rmtree(UPLOADS, ignore_errors=True)


def speech_wav(text: str = "The night shift pays less than the day shift.") -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        path = audio.synthesize_speech(text, voice="en", path=Path(folder) / "speech.wav")
        return path.read_bytes()


def stored_files() -> set[Path]:
    return {p for p in Path(MEDIA).rglob("*") if p.is_file()}


@override_settings(
    STORAGES=media_storage(MEDIA),
    FILE_UPLOAD_TEMP_DIR=UPLOADS,
    WHISPER_MODEL="",
    MACHINE_TRANSLATION="",
)
class RelayApiTestCase(RelayTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.tokens = {
            persona: network_actions.create_api_token(getattr(cls, persona), name="tests")[1]
            for persona in (
                "coordinator",
                "coordinator_b",
                "member",
                "translator",
                "outsider",
                "stranger",
            )
        }

    def headers(self, persona: str) -> dict[str, str]:
        if persona == "anonymous":
            return {}
        return {"HTTP_AUTHORIZATION": f"Bearer {self.tokens[persona]}"}

    def call(self, persona: str, method: str, path: str, body: Any = None) -> Any:
        kwargs: dict[str, Any] = {"content_type": "application/json"}
        if body is not None:
            kwargs["data"] = json.dumps(body)
        return getattr(Client(), method)(f"/api/v1/relay{path}", **kwargs, **self.headers(persona))

    def upload(self, persona: str, leg: int, content: bytes, **fields: Any) -> Any:
        data = {
            "title": "Night shift",
            "speaker": "Lantern",
            "language": "en",
            "visibility": "network",
            "disguise": "0",
            **fields,
            "audio": SimpleUploadedFile("phone.wav", content, "audio/wav"),
        }
        return Client().post(f"/api/v1/relay/legs/{leg}/recordings", data, **self.headers(persona))

    def statuses(
        self, method: str, path: str, body: Any = None, personas: tuple[str, ...] = PERSONAS
    ) -> dict[str, int]:
        return {p: self.call(p, method, path, body).status_code for p in personas}

    def ok(self, persona: str, method: str, path: str, body: Any = None) -> Any:
        response = self.call(persona, method, path, body)
        self.assertIn(response.status_code, (200, 201, 202), response.content)
        return response.json()

    def refused(self, persona: str, method: str, path: str, body: Any = None) -> Any:
        response = self.call(persona, method, path, body)
        self.assertEqual(response.status_code, 400, response.content)
        return response.json()["error"]

    def report_body(self, **more: Any) -> dict[str, Any]:
        return {
            "title": "Night shift",
            "speaker": "Lantern",
            "language": "en",
            "visibility": "network",
            "text": "We work twelve hours.\n\nThe pay is late.",
            **more,
        }


class RelayReadingTests(RelayApiTestCase):
    def test_a_network_s_relays_are_for_its_members(self) -> None:
        path = f"/networks/{self.network.slug}/relays"
        self.assertEqual(self.statuses("get", path), READ)
        listed = self.ok("outsider", "get", path)
        self.assertEqual([r["id"] for r in listed], [self.relay.pk])
        self.assertEqual(
            [(leg["position"], leg["circle"]["name"], leg["state"]) for leg in listed[0]["legs"]],
            [(0, "Harbour circle", "open"), (1, "Depot circle", "waiting")],
        )
        self.assertEqual(self.call("member", "get", "/networks/nope/relays").status_code, 404)

    def test_the_relays_are_listed_in_the_same_number_of_queries_however_many(self) -> None:
        path = f"/networks/{self.network.slug}/relays"
        self.ok("outsider", "get", path)  # the token's first use of the day is noted once
        with CaptureQueriesContext(connection) as one:
            self.ok("outsider", "get", path)
        for title in ("Heat", "Rent", "Childcare"):
            actions.start_relay(
                self.coordinator,
                network=self.network,
                title=title,
                prompt="Tell us.",
                circles=[self.circle_b, self.circle_a],
                languages=["en"],
            )
        with CaptureQueriesContext(connection) as four:
            self.assertEqual(len(self.ok("outsider", "get", path)), 4)
        self.assertEqual(len(four), len(one))

    def test_a_relay_with_its_legs_is_for_its_network(self) -> None:
        path = f"/relays/{self.relay.pk}"
        self.assertEqual(self.statuses("get", path), READ)
        relay = self.ok("member", "get", path)
        first, second = relay["legs"]
        self.assertEqual(first["organization"], {"slug": self.alpha.slug, "name": "Alpha Union"})
        self.assertEqual(first["circle"]["id"], self.circle_a.pk)
        self.assertIsNotNone(first["opened_at"])
        self.assertIsNotNone(first["due_at"])
        self.assertIsNone(second["opened_at"])
        self.assertTrue(first["you_are_on_duty"])
        self.assertFalse(self.ok("outsider", "get", path)["legs"][0]["you_are_on_duty"])
        self.assertEqual(relay["languages"], ["en", "pt"])
        self.assertEqual((relay["feed"], relay["feed_url"]), ("none", None))
        self.assertFalse(relay["you_can_publish"])
        self.assertTrue(self.ok("coordinator", "get", path)["you_can_publish"])
        self.assertEqual(self.call("member", "get", "/relays/999999").status_code, 404)

    def test_each_reader_gets_the_reports_they_may_read(self) -> None:
        shared = self.text_report(self.member, text="Shared with the network.")
        private = self.text_report(self.member, text="Only for Alpha.", visibility="private")
        path = f"/relays/{self.relay.pk}"
        own = self.ok("member", "get", path)["reports"]
        self.assertEqual([r["id"] for r in own], [shared.pk, private.pk])
        other = self.ok("outsider", "get", path)["reports"]
        self.assertEqual([r["id"] for r in other], [shared.pk])
        self.assertEqual(self.statuses("get", f"/reports/{shared.pk}"), READ)
        self.assertEqual(
            self.statuses("get", f"/reports/{private.pk}"),
            {"member": 200, "outsider": 404, "stranger": 404, "anonymous": 401},
        )

    def test_a_report_comes_with_its_versions_and_its_original_s_segments(self) -> None:
        report = self.text_report(self.member)
        read = self.ok("outsider", "get", f"/reports/{report.pk}")
        self.assertEqual(
            {k: read[k] for k in ("leg", "relay", "organization", "kind", "language", "audio")},
            {
                "leg": self.leg(0).pk,
                "relay": self.relay.pk,
                "organization": self.alpha.slug,
                "kind": "text",
                "language": "en",
                "audio": None,
            },
        )
        self.assertEqual(
            read["versions"],
            [
                {
                    "language": "en",
                    "original": True,
                    "origin": "person",
                    "review": "reviewed",
                    "job": "",
                    "progress": 0,
                }
            ],
        )
        self.assertEqual(
            [s["text"] for s in read["segments"]], ["We work twelve hours.", "The pay is late."]
        )
        self.assertFalse(read["you_can_edit_transcripts"])
        self.assertTrue(
            self.ok("translator", "get", f"/reports/{report.pk}")["you_can_edit_transcripts"]
        )

    def test_a_public_report_is_read_beyond_the_network_but_its_relay_is_not(self) -> None:
        public = self.text_report(self.member, visibility="public")
        self.assertEqual(self.call("stranger", "get", f"/reports/{public.pk}").status_code, 200)
        self.assertEqual(self.call("stranger", "get", f"/relays/{self.relay.pk}").status_code, 404)

    def test_an_answer_names_only_a_report_its_reader_may_read(self) -> None:
        private = self.text_report(self.member, visibility="private")
        actions.pass_on(self.member, leg=self.leg(0))
        answer = self.text_report(self.outsider, position=1)
        Report.objects.filter(pk=answer.pk).update(responds_to=private)
        self.assertEqual(
            self.ok("member", "get", f"/reports/{answer.pk}")["responds_to"], private.pk
        )
        self.assertIsNone(self.ok("outsider", "get", f"/reports/{answer.pk}")["responds_to"])
        listed = self.ok("outsider", "get", f"/relays/{self.relay.pk}")["reports"]
        self.assertEqual([(r["id"], r["responds_to"]) for r in listed], [(answer.pk, None)])

    def test_the_relay_is_read_in_the_same_number_of_queries_however_many_reports(self) -> None:
        self.text_report(self.member)
        path = f"/relays/{self.relay.pk}"
        self.ok("outsider", "get", path)  # the token's first use of the day is noted once
        with CaptureQueriesContext(connection) as one:
            self.ok("outsider", "get", path)
        for _ in range(4):
            self.text_report(self.member)
        with CaptureQueriesContext(connection) as five:
            self.assertEqual(len(self.ok("outsider", "get", path)["reports"]), 5)
        self.assertEqual(len(five), len(one))

    def test_the_openapi_schema_lists_the_relay(self) -> None:
        schema = Client().get("/api/v1/openapi.json").json()
        self.assertIn("/api/v1/relay/relays/{relay}", schema["paths"])
        recordings = schema["paths"]["/api/v1/relay/legs/{leg}/recordings"]["post"]
        self.assertIn("multipart/form-data", recordings["requestBody"]["content"])


class StartingRelayTests(RelayApiTestCase):
    def body(self, **more: Any) -> dict[str, Any]:
        return {
            "title": "Heat in the warehouses",
            "prompt": "How hot does it get?",
            "circles": [self.circle_b.pk, self.circle_a.pk],
            "languages": ["en", "tr"],
            "leg_days": 5,
            **more,
        }

    def test_only_coordinators_of_the_network_start_a_relay(self) -> None:
        path = f"/networks/{self.network.slug}/relays"
        self.assertEqual(
            self.statuses("post", path, self.body()),
            {"member": 403, "outsider": 403, "stranger": 404, "anonymous": 401},
        )
        started = self.ok("coordinator", "post", path, self.body())
        self.assertEqual(self.call("coordinator", "post", path, self.body()).status_code, 201)
        self.assertEqual(
            [(leg["circle"]["id"], leg["state"]) for leg in started["legs"]],
            [(self.circle_b.pk, "open"), (self.circle_a.pk, "waiting")],
        )
        self.assertEqual((started["languages"], started["leg_days"]), (["en", "tr"], 5))
        self.assertEqual(started["reports"], [])
        self.assertEqual(self.network.relays.filter(title="Heat in the warehouses").count(), 2)

    def test_a_circle_outside_the_network_or_chosen_twice_is_refused(self) -> None:
        path = f"/networks/{self.network.slug}/relays"
        coordinator_c = self.gamma.memberships.get(role="coordinator").member
        elsewhere = network_actions.create_circle(
            coordinator_c, organization=self.gamma, name="Far circle"
        )
        error = self.refused("coordinator", "post", path, self.body(circles=[elsewhere.pk]))
        self.assertIn("circles", error["fields"])
        error = self.refused(
            "coordinator", "post", path, self.body(circles=[self.circle_a.pk, self.circle_a.pk])
        )
        self.assertEqual(error["fields"], {"circles": ["Choose each circle once."]})
        error = self.refused("coordinator", "post", path, self.body(leg_days=0))
        self.assertIn("leg_days", error["fields"])
        self.assertFalse(self.network.relays.exclude(pk=self.relay.pk).exists())


class ReportingTests(RelayApiTestCase):
    def test_only_the_circle_on_duty_writes_a_report(self) -> None:
        path = f"/legs/{self.leg(0).pk}/reports"
        self.assertEqual(self.statuses("post", path, self.report_body()), ON_DUTY)
        self.assertEqual(self.call("translator", "post", path, self.report_body()).status_code, 403)
        # A coordinator of the circle's organization reports for it.
        self.assertEqual(
            self.call("coordinator", "post", path, self.report_body()).status_code, 201
        )
        self.assertEqual(
            list(Report.objects.values_list("author__display_name", flat=True)),
            ["Member A", "Coordinator A"],
        )

    def test_a_written_report_is_shaped_by_its_paragraphs(self) -> None:
        made = self.ok("member", "post", f"/legs/{self.leg(0).pk}/reports", self.report_body())
        self.assertEqual(made["kind"], "text")
        self.assertEqual(len(made["segments"]), 2)
        self.assertEqual(Report.objects.get().pk, made["id"])

    def test_a_report_the_action_refuses_comes_back_with_its_fields(self) -> None:
        path = f"/legs/{self.leg(0).pk}/reports"
        error = self.refused("member", "post", path, self.report_body(language="zz-nope"))
        self.assertIn("language", error["fields"])
        error = self.refused("member", "post", path, self.report_body(visibility="everyone"))
        self.assertIn("visibility", error["fields"])
        self.assertFalse(Report.objects.exists())

    def test_a_leg_not_on_duty_takes_no_report(self) -> None:
        error = self.refused(
            "outsider", "post", f"/legs/{self.leg(1).pk}/reports", self.report_body()
        )
        self.assertEqual(
            error["message"], "This leg is not on duty: its circle cannot add reports now."
        )

    def test_an_answer_is_to_a_report_its_author_may_read(self) -> None:
        shared = self.text_report(self.member)
        private = self.text_report(self.member, visibility="private")
        actions.pass_on(self.member, leg=self.leg(0))
        path = f"/legs/{self.leg(1).pk}/reports"
        error = self.refused("outsider", "post", path, self.report_body(responds_to=private.pk))
        self.assertIn("responds_to", error["fields"])
        answer = self.ok("outsider", "post", path, self.report_body(responds_to=shared.pk))
        self.assertEqual(answer["responds_to"], shared.pk)

    def test_passing_on_is_for_the_circle_on_duty_once_it_has_reported(self) -> None:
        first, second = self.leg(0), self.leg(1)
        path = f"/legs/{first.pk}/pass-on"
        error = self.refused("member", "post", path)
        self.assertEqual(error["message"], "Add a report before passing the relay on.")
        self.text_report(self.member)
        self.assertEqual(
            self.statuses("post", path, personas=("outsider", "stranger", "anonymous")),
            {"outsider": 403, "stranger": 404, "anonymous": 401},
        )
        self.assertEqual(self.ok("member", "post", path), {"next_leg": second.pk})
        self.assertEqual(
            self.refused("member", "post", path)["message"], "This leg was already passed on."
        )
        self.text_report(self.outsider, position=1)
        self.assertEqual(
            self.ok("outsider", "post", f"/legs/{second.pk}/pass-on"), {"next_leg": None}
        )
        relay = self.ok("member", "get", f"/relays/{self.relay.pk}")
        self.assertIsNotNone(relay["finished_at"])
        self.assertEqual([leg["state"] for leg in relay["legs"]], ["done", "done"])


class RecordingTests(RelayApiTestCase):
    def test_a_recording_is_stored_only_made_safe_and_heard_by_its_readers(self) -> None:
        wav = speech_wav()
        leg = self.leg(0).pk
        for persona, status in ON_DUTY.items():
            with self.subTest(persona):
                response = self.upload(persona, leg, wav)
                self.assertEqual(response.status_code, status, response.content)
                self.assertEqual(list(Path(UPLOADS).iterdir()), [])
        report = Report.objects.get()
        made = self.ok("outsider", "get", f"/reports/{report.pk}")
        self.assertEqual(made["kind"], "audio")
        self.assertGreater(made["duration_ms"], 1000)
        self.assertEqual(made["versions"], [])
        self.assertNotIn("phone", report.audio_ogg.name + report.audio_mp3.name)
        # The audio answers the API's token, with no session.
        heard = self.client.get(made["audio"]["ogg"], **self.headers("outsider"))
        self.assertEqual(heard["Content-Type"], "audio/ogg")
        self.assertEqual(b"".join(heard.streaming_content)[:4], b"OggS")
        self.assertEqual(
            self.client.get(made["audio"]["mp3"], **self.headers("outsider"))["Content-Type"],
            "audio/mpeg",
        )
        part = self.client.get(
            made["audio"]["ogg"], HTTP_RANGE="bytes=0-3", **self.headers("member")
        )
        self.assertEqual((part.status_code, part.content), (206, b"OggS"))
        self.assertEqual(
            self.client.get(made["audio"]["ogg"], **self.headers("stranger")).status_code, 404
        )
        self.assertEqual(self.client.get(made["audio"]["ogg"]).status_code, 401)

    def test_a_file_that_is_not_audio_is_refused_and_nothing_of_it_kept(self) -> None:
        before = stored_files()
        response = self.upload("member", self.leg(0).pk, b"not sound at all" * 100)
        self.assertEqual(response.status_code, 400, response.content)
        fields = response.json()["error"]["fields"]
        self.assertEqual(list(fields), ["audio"])
        self.assertIn("Nothing of it was kept.", fields["audio"][0])
        self.assertFalse(Report.objects.exists())
        self.assertEqual(stored_files(), before)
        self.assertEqual(list(Path(UPLOADS).iterdir()), [])

    @override_settings(
        FILE_UPLOAD_HANDLERS=["django.core.files.uploadhandler.MemoryFileUploadHandler"]
    )
    def test_an_upload_held_in_memory_is_copied_to_disk_and_never_left_there(self) -> None:
        wav = speech_wav("Short.")
        self.assertEqual(self.upload("outsider", self.leg(0).pk, wav).status_code, 403)
        self.assertEqual(list(Path(UPLOADS).iterdir()), [])
        self.assertEqual(self.upload("member", self.leg(0).pk, wav).status_code, 201)
        self.assertEqual(list(Path(UPLOADS).iterdir()), [])

    def test_a_recording_is_queued_for_the_speech_model_by_its_editors(self) -> None:
        made = self.upload("member", self.leg(0).pk, speech_wav("Short.")).json()
        path = f"/reports/{made['id']}/machine-transcription"
        with override_settings(WHISPER_MODEL="/srv/models/whisper-base"):
            self.assertEqual(
                self.statuses(
                    "post", path, {"english": False}, personas=("outsider", "stranger", "anonymous")
                ),
                {"outsider": 403, "stranger": 404, "anonymous": 401},
            )
            queued = self.call("member", "post", path, {"english": False})
        self.assertEqual(queued.status_code, 202, queued.content)
        self.assertEqual(
            {k: queued.json()[k] for k in ("language", "original", "origin", "engine", "job")},
            {
                "language": "en",
                "original": True,
                "origin": "machine",
                "engine": "whisper",
                "job": "queued",
            },
        )

    def test_a_recording_without_its_fields_is_malformed(self) -> None:
        response = Client().post(
            f"/api/v1/relay/legs/{self.leg(0).pk}/recordings",
            {"title": "Night shift"},
            **self.headers("member"),
        )
        self.assertEqual(response.status_code, 400)
        self.assertFalse(Report.objects.exists())


class TranscriptTests(RelayApiTestCase):
    def setUp(self) -> None:
        self.report = self.text_report(self.member, text="We work twelve hours.")
        self.path = f"/reports/{self.report.pk}/transcripts"

    def test_a_translator_translates_and_a_member_reviews(self) -> None:
        lines = {"segments": [{"start_ms": 0, "end_ms": 2500, "text": "Trabalhamos doze horas."}]}
        self.assertEqual(
            self.statuses(
                "put", f"{self.path}/pt", lines, personas=("outsider", "stranger", "anonymous")
            ),
            {"outsider": 403, "stranger": 404, "anonymous": 401},
        )
        draft = self.ok("translator", "put", f"{self.path}/pt", lines)
        self.assertEqual(
            {k: draft[k] for k in ("language", "original", "origin", "review", "engine")},
            {
                "language": "pt",
                "original": False,
                "origin": "person",
                "review": "draft",
                "engine": "",
            },
        )
        self.assertEqual(self.statuses("get", f"{self.path}/pt"), READ)
        self.assertEqual(
            self.ok("outsider", "get", f"{self.path}/pt")["segments"],
            [{"start_ms": 0, "end_ms": 2500, "text": "Trabalhamos doze horas."}],
        )
        review = f"{self.path}/pt/review"
        self.assertEqual(
            self.refused("translator", "post", review)["message"],
            "Someone other than its last editor reviews a transcript.",
        )
        self.assertEqual(
            self.statuses("post", review, personas=("outsider", "stranger", "anonymous")),
            {"outsider": 403, "stranger": 404, "anonymous": 401},
        )
        self.assertEqual(self.ok("member", "post", review)["review"], "reviewed")
        versions = self.ok("outsider", "get", f"/reports/{self.report.pk}")["versions"]
        self.assertEqual(
            [(v["language"], v["original"], v["review"]) for v in versions],
            [("en", True, "reviewed"), ("pt", False, "reviewed")],
        )

    def test_a_version_is_also_served_as_webvtt(self) -> None:
        actions.save_transcript(
            self.translator,
            report=self.report,
            language="pt",
            lines=[actions.Line(0, 2500, "Trabalhamos doze horas.")],
        )
        response = self.call("outsider", "get", f"{self.path}/pt.vtt")
        self.assertEqual(response["Content-Type"], "text/vtt; charset=utf-8")
        self.assertIn(
            "00:00:00.000 --> 00:00:02.500\nTrabalhamos doze horas.", response.content.decode()
        )
        self.assertEqual(self.call("stranger", "get", f"{self.path}/pt.vtt").status_code, 404)

    def test_a_missing_version_or_a_line_out_of_order_is_refused(self) -> None:
        self.assertEqual(self.call("member", "get", f"{self.path}/tr").status_code, 404)
        backwards = {"segments": [{"start_ms": 900, "end_ms": 100, "text": "Backwards."}]}
        error = self.refused("translator", "put", f"{self.path}/pt", backwards)
        self.assertEqual(error["message"], "Line 1 ends before it starts.")
        self.assertFalse(self.report.transcripts.filter(language="pt").exists())

    def test_machine_transcription_needs_a_speech_model(self) -> None:
        path = f"/reports/{self.report.pk}/machine-transcription"
        self.assertEqual(
            self.statuses(
                "post", path, {"english": False}, personas=("outsider", "stranger", "anonymous")
            ),
            {"outsider": 403, "stranger": 404, "anonymous": 401},
        )
        error = self.refused("member", "post", path, {"english": False})
        self.assertEqual(error["message"], "No speech model is configured on this server.")

    def test_machine_translation_needs_a_backend_and_then_is_queued(self) -> None:
        path = f"/reports/{self.report.pk}/machine-translation"
        error = self.refused("translator", "post", path, {"language": "es"})
        self.assertEqual(error["message"], "No machine translation is configured on this server.")
        with override_settings(MACHINE_TRANSLATION="apertium"):
            self.assertEqual(
                self.statuses(
                    "post", path, {"language": "es"}, personas=("outsider", "stranger", "anonymous")
                ),
                {"outsider": 403, "stranger": 404, "anonymous": 401},
            )
            queued = self.call("translator", "post", path, {"language": "es"})
        self.assertEqual(queued.status_code, 202, queued.content)
        self.assertEqual(
            {k: queued.json()[k] for k in ("language", "origin", "engine", "job")},
            {"language": "es", "origin": "machine", "engine": "apertium", "job": "queued"},
        )


class FeedTests(RelayApiTestCase):
    def test_only_coordinators_set_the_podcast_feed(self) -> None:
        path = f"/relays/{self.relay.pk}/feed"
        self.assertEqual(
            self.statuses("put", path, {"feed": "public"}),
            {"member": 403, "outsider": 403, "stranger": 404, "anonymous": 401},
        )
        self.relay.refresh_from_db()
        self.assertEqual(self.relay.feed, "none")
        private = self.ok("coordinator", "put", path, {"feed": "private"})
        self.relay.refresh_from_db()
        self.assertEqual(private["feed"], "private")
        self.assertEqual(
            private["feed_url"],
            f"{settings.SITE_URL}/relays/{self.relay.pk}/private/{self.relay.feed_secret}/feed.xml",
        )
        self.assertTrue(self.relay.feed_secret)
        self.assertEqual(
            self.ok("member", "get", f"/relays/{self.relay.pk}")["feed_url"], private["feed_url"]
        )
        public = self.ok("coordinator_b", "put", path, {"feed": "public"})
        self.assertEqual(public["feed_url"], f"{settings.SITE_URL}/relays/{self.relay.pk}/feed.xml")
        self.assertEqual(
            self.ok("coordinator", "put", path, {"feed": "none"}),
            {"feed": "none", "feed_url": None},
        )
        error = self.refused("coordinator", "put", path, {"feed": "everywhere"})
        self.assertIn("feed", error["fields"])
