"""The archive API: the access matrix of every endpoint, testimonies read as their reader
may read them (a redaction never leaves its organization), money as exact decimal text,
imports that write all or nothing, and judgements that join and part records."""

import json
from datetime import date
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from internationale.archive import actions, resolution
from internationale.archive import models as archive
from internationale.archive.tests.world import ArchiveTestCase
from internationale.network import actions as network_actions

PERSONAS = ("member", "outsider", "stranger", "anonymous")
READ = {"member": 200, "outsider": 200, "stranger": 404, "anonymous": 401}
OWN_ORGANIZATION = {"member": 200, "outsider": 404, "stranger": 404, "anonymous": 401}
RECORD = {"member": 201, "outsider": 403, "stranger": 404, "anonymous": 401}

REDACTED_WORDS = ("Ayla", "Kestane")
FIRE_EXIT = (
    "The supervisor at Corvane Logistics GmbH locked the fire exit. "
    "[[Ayla Demir of Kestane street saw Corvane Lojistik A.Ş. trucks at night.]] "
    "We stopped work until it was opened."
)
OVERTIME = "Corvane Lojistik A.Ş. withholds the overtime pay of the Gaziantep loaders."

WAGES = (
    "key,employer,country,city,job,pay,currency,period,hours,observed_on,visibility\n"
    "w1,corvane-de,DE,Hamburg,picker,14.50,EUR,hour,1,2026-03-01,network\n"
    "w2,corvane-tr,TR,Gaziantep,loader,22000,TRY,month,225,2026-03-01,private\n"
)


class ArchiveApiTestCase(ArchiveTestCase):
    fire_exit: Any
    overtime: Any

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.tokens = {
            persona: network_actions.create_api_token(getattr(cls, persona), name="tests")[1]
            for persona in ("coordinator", "member", "outsider", "stranger")
        }
        cls.fire_exit = cls.record_testimony(
            title="The locked fire exit", text=FIRE_EXIT, visibility="network", key="fire-exit"
        )
        cls.overtime = cls.record_testimony(title="Hidden overtime", text=OVERTIME, key="overtime")

    @classmethod
    def record_testimony(
        cls, *, title: str, text: str, visibility: str = "private", key: str
    ) -> Any:
        return actions.record_testimony(
            cls.member,
            network=cls.network,
            organization=cls.alpha,
            testimony=actions.TestimonyFields(
                title=title,
                speaker="Lantern",
                language="en",
                text=text,
                consent="network",
                visibility=visibility,
                key=key,
            ),
        )

    def call(self, persona: str, method: str, path: str, body: Any = None) -> Any:
        headers = {}
        if persona != "anonymous":
            headers["HTTP_AUTHORIZATION"] = f"Bearer {self.tokens[persona]}"
        kwargs: dict[str, Any] = {"content_type": "application/json"}
        if body is not None:
            kwargs["data"] = json.dumps(body)
        return getattr(Client(), method)(f"/api/v1/archive{path}", **kwargs, **headers)

    def statuses(
        self, method: str, path: str, body: Any = None, personas: tuple[str, ...] = PERSONAS
    ) -> dict[str, int]:
        return {p: self.call(p, method, path, body).status_code for p in personas}

    def ok(self, persona: str, method: str, path: str, body: Any = None) -> Any:
        response = self.call(persona, method, path, body)
        self.assertIn(response.status_code, (200, 201), response.content)
        return response.json()

    def refused(self, persona: str, method: str, path: str, body: Any = None) -> Any:
        response = self.call(persona, method, path, body)
        self.assertEqual(response.status_code, 400, response.content)
        return response.json()["error"]

    @property
    def base(self) -> str:
        return f"/networks/{self.network.slug}"

    def wage_body(self, **more: Any) -> dict[str, Any]:
        return {
            "organization": self.alpha.slug,
            "employer": self.corvane.pk,
            "country": "DE",
            "city": "Hamburg",
            "job": "picker",
            "pay": {"amount": "14.50", "currency": "EUR"},
            "period": "hour",
            "hours": "1",
            "observed_on": "2026-03-01",
            "visibility": "network",
            **more,
        }

    def judge_same(self, level: str = "group") -> Any:
        return resolution.judge(
            self.coordinator,
            network=self.network,
            level=level,
            first=self.corvane,
            second=self.corvane_tr,
            verdict="same",
        )

    def assertNothingRedacted(self, response: Any) -> None:
        for word in REDACTED_WORDS:
            self.assertNotIn(word, response.content.decode())


class EntityTests(ArchiveApiTestCase):
    def test_a_network_s_entities_are_for_its_members(self) -> None:
        self.assertEqual(self.statuses("get", f"{self.base}/entities"), READ)
        listed = self.ok("outsider", "get", f"{self.base}/entities")
        self.assertEqual(listed["count"], 2)
        self.assertEqual(
            [e["name"] for e in listed["entities"]],
            ["Corvane Logistics GmbH", "Corvane Lojistik A.Ş."],
        )
        self.assertEqual(listed["entities"][0]["schema"], "Company")
        found = self.ok("member", "get", f"{self.base}/entities?q=gmbh")
        self.assertEqual([e["id"] for e in found["entities"]], [self.corvane.pk])
        other = f"/networks/{self.other_network.slug}/entities"
        self.assertEqual(self.call("member", "get", other).status_code, 404)

    def test_the_list_takes_as_many_queries_for_many_entities_as_for_two(self) -> None:
        path = f"{self.base}/entities"
        self.ok("member", "get", path)  # the token's first use today is written down
        with CaptureQueriesContext(connection) as few:
            self.ok("member", "get", path)
        for number in range(5):
            actions.save_entity(
                self.member,
                network=self.network,
                fields=actions.EntityFields(name=f"Supplier {number}", aliases=["Other"]),
            )
        with CaptureQueriesContext(connection) as many:
            self.assertEqual(self.ok("member", "get", path)["count"], 7)
        self.assertEqual(len(many), len(few))

    def test_an_entity_is_added_and_then_updated_by_its_key(self) -> None:
        body = {
            "name": "Corvane Holding SE",
            "aliases": ["Corvane Group"],
            "countries": ["lu"],
            "identifiers": {"leiCode": ["529900T8BM49AURSDO55"]},
            "key": "holding",
        }
        self.assertEqual(
            self.statuses("post", f"{self.base}/entities", body),
            {"member": 201, "outsider": 200, "stranger": 404, "anonymous": 401},
        )
        saved = self.ok("member", "post", f"{self.base}/entities", {**body, "schema": "Company"})
        self.assertEqual(saved["countries"], ["LU"])
        self.assertEqual(saved["identifiers"], {"leiCode": ["529900T8BM49AURSDO55"]})
        self.assertEqual(archive.Entity.objects.filter(key="holding").count(), 1)
        error = self.refused("member", "post", f"{self.base}/entities", {**body, "schema": "Ship"})
        self.assertIn("schema", error["fields"])

    def test_an_entity_shows_its_group_and_the_texts_that_name_it(self) -> None:
        self.assertEqual(self.statuses("get", f"/entities/{self.corvane.pk}"), READ)
        self.judge_same()
        found = self.ok("member", "get", f"/entities/{self.corvane.pk}")
        self.assertEqual(found["names"], ["Corvane Logistics GmbH"])
        self.assertEqual(found["network"], self.network.slug)
        self.assertEqual(found["group"]["members"], [self.corvane.pk, self.corvane_tr.pk])
        self.assertEqual(found["group"]["head"]["id"], self.corvane.pk)
        self.assertEqual(
            found["mentions"],
            [
                {
                    "kind": "testimony",
                    "object_id": self.fire_exit.pk,
                    "title": "The locked fire exit",
                    "language": "en",
                    "surface": "Corvane Logistics GmbH",
                }
            ],
        )

    def test_an_entity_s_mentions_leave_out_what_the_reader_may_not_read(self) -> None:
        path = f"/entities/{self.corvane_tr.pk}"
        own = self.ok("member", "get", path)["mentions"]
        self.assertEqual(
            sorted(m["object_id"] for m in own), sorted([self.fire_exit.pk, self.overtime.pk])
        )
        response = self.call("outsider", "get", path)
        self.assertEqual(response.json()["mentions"], [])
        self.assertNotIn("Hidden overtime", response.content.decode())


class TestimonyTests(ArchiveApiTestCase):
    def test_a_private_testimony_is_for_its_organization_only(self) -> None:
        self.assertEqual(self.statuses("get", f"/testimonies/{self.overtime.pk}"), OWN_ORGANIZATION)
        self.assertEqual(self.statuses("get", f"/testimonies/{self.fire_exit.pk}"), READ)

    def test_a_public_testimony_is_read_outside_the_network_without_its_entities(
        self,
    ) -> None:
        public = actions.record_testimony(
            self.member,
            network=self.network,
            organization=self.alpha,
            testimony=actions.TestimonyFields(
                title="Open letter",
                speaker="Lantern",
                language="en",
                text="Corvane Logistics GmbH must unlock its doors. [[Signed by Ayla.]]",
                consent="public",
                visibility="public",
            ),
        )
        path = f"/testimonies/{public.pk}"
        self.assertEqual(
            self.statuses("get", path),
            {"member": 200, "outsider": 200, "stranger": 200, "anonymous": 401},
        )
        response = self.call("stranger", "get", path)
        self.assertEqual(response.json()["mentions"], [])
        self.assertNothingRedacted(response)
        body = {"title": "Carta aberta", "text": "A Corvane deve abrir as portas."}
        response = self.call("stranger", "put", f"{path}/translations/pt", body)
        self.assertEqual(response.status_code, 403)

    def test_a_testimony_is_read_whole_by_its_organization_and_redacted_by_others(
        self,
    ) -> None:
        path = f"/testimonies/{self.fire_exit.pk}"
        own = self.ok("member", "get", path)
        self.assertIn("Ayla Demir of Kestane street", own["text"])
        self.assertNotIn("[[", own["text"])
        response = self.call("outsider", "get", path)
        shared = response.json()
        self.assertIn("[…]", shared["text"])
        self.assertNothingRedacted(response)
        for reader in (own, shared):
            for mention in reader["mentions"]:
                self.assertEqual(
                    reader["text"][mention["start"] : mention["end"]], mention["surface"]
                )
        self.assertEqual(
            [m["entity"]["id"] for m in own["mentions"]], [self.corvane.pk, self.corvane_tr.pk]
        )
        self.assertEqual(
            shared["mentions"],
            [
                {
                    "entity": {"id": self.corvane.pk, "name": "Corvane Logistics GmbH"},
                    "start": 18,
                    "end": 40,
                    "surface": "Corvane Logistics GmbH",
                }
            ],
        )

    def test_a_member_records_a_testimony_for_their_own_organization(self) -> None:
        body = {
            "organization": self.alpha.slug,
            "title": "Heat in the warehouse",
            "speaker": "Kite",
            "language": "en",
            "text": "It was 40 degrees at Corvane Logistics GmbH.",
            "consent": "network",
            "visibility": "network",
        }
        self.assertEqual(self.statuses("post", f"{self.base}/testimonies", body), RECORD)
        created = self.ok("member", "post", f"{self.base}/testimonies", {**body, "key": "heat"})
        self.assertEqual(created["organization"], self.alpha.slug)
        self.assertEqual(created["mentions"][0]["entity"]["id"], self.corvane.pk)
        again = self.call(
            "member", "post", f"{self.base}/testimonies", {**body, "key": "heat", "title": "Heat"}
        )
        self.assertEqual((again.status_code, again.json()["id"]), (200, created["id"]))
        error = self.refused(
            "member", "post", f"{self.base}/testimonies", {**body, "consent": "organization"}
        )
        self.assertIn("visibility", error["fields"])
        error = self.refused(
            "member", "post", f"{self.base}/testimonies", {**body, "organization": self.gamma.slug}
        )
        self.assertIn("organization", error["fields"])

    def test_a_translation_is_saved_and_reviewed_by_someone_else(self) -> None:
        path = f"/testimonies/{self.fire_exit.pk}/translations/pt"
        body = {
            "title": "A saída de emergência trancada",
            "text": "O supervisor trancou a saída. [[Ayla Demir viu os caminhões.]]",
        }
        self.assertEqual(
            self.statuses("put", path, body),
            {"member": 200, "outsider": 200, "stranger": 404, "anonymous": 401},
        )
        saved = self.ok("member", "put", path, body)
        self.assertEqual((saved["review"], saved["origin"]), ("draft", "human"))
        self.assertIn("Ayla Demir", saved["text"])
        self.assertIn("other than", self.refused("member", "post", f"{path}/review")["message"])
        self.assertEqual(
            self.statuses("post", f"{path}/review", personas=("stranger", "anonymous")),
            {"stranger": 404, "anonymous": 401},
        )
        reviewed = self.ok("coordinator", "post", f"{path}/review")
        self.assertEqual(reviewed["review"], "reviewed")
        response = self.call("outsider", "get", f"/testimonies/{self.fire_exit.pk}")
        translations = response.json()["translations"]
        self.assertEqual(translations[0]["text"], "O supervisor trancou a saída. […]")
        self.assertNothingRedacted(response)
        missing = f"/testimonies/{self.fire_exit.pk}/translations/tr/review"
        self.assertEqual(self.call("coordinator", "post", missing).status_code, 404)
        private = f"/testimonies/{self.overtime.pk}/translations/pt"
        self.assertEqual(self.call("outsider", "put", private, body).status_code, 404)


class KnowledgeTests(ArchiveApiTestCase):
    def test_a_wage_is_recorded_with_its_pay_as_exact_decimal_text(self) -> None:
        self.assertEqual(self.statuses("post", f"{self.base}/wages", self.wage_body()), RECORD)
        saved = self.ok(
            "member",
            "post",
            f"{self.base}/wages",
            self.wage_body(period="week", hours="37.5", pay={"amount": "580", "currency": "eur"}),
        )
        self.assertEqual(saved["pay"], {"amount": "580.00", "currency": "EUR", "minor": 58000})
        self.assertEqual((saved["hours"], saved["period"]), ("37.5", "week"))
        self.assertEqual(saved["employer"], {"id": self.corvane.pk, "name": self.corvane.name})

    def test_a_float_amount_is_refused_and_nothing_is_recorded(self) -> None:
        body = self.wage_body()
        body["pay"]["amount"] = 14.5
        response = self.call("member", "post", f"{self.base}/wages", body)
        self.assertEqual(response.status_code, 400)
        self.assertIn("pay.amount", response.json()["error"]["fields"])
        error = self.refused(
            "member",
            "post",
            f"{self.base}/wages",
            self.wage_body(pay={"amount": "14.505", "currency": "EUR"}),
        )
        self.assertEqual(list(error["fields"]), ["pay"])
        error = self.refused("member", "post", f"{self.base}/rates", self.rate_body(common=1.0))
        self.assertIn("common.amount", error["fields"])
        self.assertFalse(archive.WageRecord.objects.exists())
        self.assertFalse(archive.Rate.objects.exists())

    def test_an_employer_must_be_of_the_network_s_archive(self) -> None:
        elsewhere = actions.save_entity(
            self.stranger,
            network=self.other_network,
            fields=actions.EntityFields(name="Elsewhere Ltd"),
        )
        error = self.refused(
            "member", "post", f"{self.base}/wages", self.wage_body(employer=elsewhere.pk)
        )
        self.assertIn("employer", error["fields"])

    def test_a_link_and_a_tactic_are_recorded_for_the_member_s_organization(self) -> None:
        link = {
            "organization": self.alpha.slug,
            "kind": "owns",
            "source": self.corvane.pk,
            "target": self.corvane_tr.pk,
            "share": "51.25",
            "evidence": "Trade register extract",
        }
        self.assertEqual(self.statuses("post", f"{self.base}/links", link), RECORD)
        saved = self.ok("member", "post", f"{self.base}/links", {**link, "key": "own-1"})
        self.assertEqual(saved["share"], "51.25")
        self.assertEqual(saved["target"]["id"], self.corvane_tr.pk)
        tactic = {
            "organization": self.alpha.slug,
            "jurisdiction": "Hamburg labour court",
            "issue": "Locked fire exits",
            "tactic": "Injunction on safety grounds",
            "outcome": "won",
            "against": self.corvane.pk,
        }
        self.assertEqual(self.statuses("post", f"{self.base}/tactics", tactic), RECORD)
        saved = self.ok("member", "post", f"{self.base}/tactics", tactic)
        self.assertEqual(saved["against"], {"id": self.corvane.pk, "name": self.corvane.name})
        error = self.refused(
            "member", "post", f"{self.base}/tactics", {**tactic, "outcome": "maybe"}
        )
        self.assertIn("outcome", error["fields"])

    def rate_body(self, common: Any = "2.50") -> dict[str, Any]:
        return {
            "on": "2026-02-01",
            "amount": {"amount": "100", "currency": "TRY"},
            "common": {"amount": common, "currency": "USD"},
        }

    def test_a_rate_is_recorded_as_two_exact_amounts(self) -> None:
        self.assertEqual(
            self.statuses("post", f"{self.base}/rates", self.rate_body()),
            {"member": 201, "outsider": 201, "stranger": 404, "anonymous": 401},
        )
        rate = self.ok("member", "post", f"{self.base}/rates", self.rate_body("2.60"))
        self.assertEqual(rate["amount"], {"amount": "100.00", "currency": "TRY", "minor": 10000})
        self.assertEqual(rate["common"], {"amount": "2.60", "currency": "USD", "minor": 260})
        self.assertEqual(archive.Rate.objects.count(), 1)


class ImportTests(ArchiveApiTestCase):
    def test_an_import_creates_and_a_second_updates_by_key(self) -> None:
        path = f"{self.base}/imports/wages"
        body = {"organization": self.alpha.slug, "text": WAGES}
        self.assertEqual(self.ok("member", "post", path, body), {"created": 2, "updated": 0})
        self.assertEqual(self.ok("member", "post", path, body), {"created": 0, "updated": 2})
        self.assertEqual(
            self.statuses("post", path, body),
            {"member": 200, "outsider": 403, "stranger": 404, "anonymous": 401},
        )

    def test_an_import_with_one_bad_row_writes_nothing_and_names_its_line(self) -> None:
        text = WAGES + "w3,nobody,DE,Hamburg,picker,14.50,EUR,hour,1,2026-03-01,network\n"
        response = self.call(
            "member",
            "post",
            f"{self.base}/imports/wages",
            {"organization": self.alpha.slug, "text": text},
        )
        self.assertEqual(response.status_code, 422)
        error = response.json()["error"]
        self.assertEqual(error["code"], "import_refused")
        self.assertEqual([row["line"] for row in error["rows"]], [4])
        self.assertIn("nobody", error["rows"][0]["reason"])
        self.assertFalse(archive.WageRecord.objects.exists())

    def test_an_unknown_kind_is_refused(self) -> None:
        error = self.refused(
            "member",
            "post",
            f"{self.base}/imports/people",
            {"organization": self.alpha.slug, "text": "key,name\n"},
        )
        self.assertIn("kind", error["fields"])


class SearchTests(ArchiveApiTestCase):
    def search(self, persona: str, **query: str) -> Any:
        params = "&".join(f"{name}={value}" for name, value in query.items())
        return self.call(persona, "get", f"{self.base}/search?{params}")

    def test_search_is_for_the_network_s_members(self) -> None:
        self.assertEqual(self.statuses("get", f"{self.base}/search?q=fire"), READ)

    def test_a_private_testimony_is_found_by_its_organization_only(self) -> None:
        hits = self.search("member", q="gaziantep").json()
        self.assertEqual(
            [(h["kind"], h["object_id"]) for h in hits], [("testimony", self.overtime.pk)]
        )
        self.assertIn("<mark>Gaziantep</mark>", hits[0]["snippet"])
        self.assertEqual(hits[0]["organization"], self.alpha.slug)
        self.assertEqual(self.search("outsider", q="gaziantep").json(), [])
        self.assertEqual(self.search("outsider", q="overtime").json(), [])

    def test_a_redaction_is_never_found_and_never_in_a_snippet(self) -> None:
        for persona in ("member", "outsider"):
            self.assertEqual(self.search(persona, q="Ayla").json(), [])
        response = self.search("outsider", q="supervisor")
        self.assertEqual([h["object_id"] for h in response.json()], [self.fire_exit.pk])
        self.assertNothingRedacted(response)

    def test_hits_are_html_with_only_the_found_words_marked(self) -> None:
        self.record_testimony(title="<b>Pay</b> & dues", text="Dues rose twice.", key="dues")
        hits = self.search("member", q="dues").json()
        self.assertEqual(hits[0]["title"], "&lt;b&gt;Pay&lt;/b&gt; &amp; <mark>dues</mark>")
        self.assertEqual(hits[0]["language"], "en")

    def test_filters_narrow_the_hits(self) -> None:
        self.ok("member", "post", f"{self.base}/wages", self.wage_body())
        self.assertEqual(
            [h["kind"] for h in self.search("outsider", q="corvane", kind="wage").json()],
            ["wage"],
        )
        self.assertEqual(self.search("outsider", q="corvane", country="BR", kind="wage").json(), [])
        found = self.search("member", q="corvane", organization=self.alpha.slug).json()
        self.assertTrue(found)
        self.assertTrue(all(h["organization"] == self.alpha.slug for h in found))
        self.assertEqual(self.search("member", q="corvane", kind="poem").status_code, 400)
        self.assertEqual(
            self.search("member", q="corvane", organization=self.gamma.slug).status_code, 400
        )


class PrivateOrganizationTests(ArchiveApiTestCase):
    def test_a_private_organization_answers_as_an_unknown_name_does(self) -> None:
        type(self.alpha).objects.filter(pk=self.alpha.pk).update(visibility="private")
        hidden = self.refused("outsider", "get", f"{self.base}/search?q=x&organization=alpha-union")
        unknown = self.refused("outsider", "get", f"{self.base}/search?q=x&organization=no-such")
        self.assertEqual(hidden, unknown)
        self.assertEqual(
            self.ok("member", "get", f"{self.base}/search?q=x&organization={self.alpha.slug}"),
            [],
        )


class ResolutionTests(ArchiveApiTestCase):
    def judgement_body(self, **more: Any) -> dict[str, Any]:
        return {
            "level": "entity",
            "left": self.corvane_tr.pk,
            "right": self.lookalike.pk,
            "verdict": "same",
            **more,
        }

    def setUp(self) -> None:
        self.lookalike = actions.save_entity(
            self.member,
            network=self.network,
            fields=actions.EntityFields(name="Corvane Logistics", countries=["DE"]),
        )

    def test_suggestions_pair_records_not_judged_yet(self) -> None:
        path = f"{self.base}/suggestions?level=entity"
        self.assertEqual(self.statuses("get", path), READ)
        suggested = self.ok("member", "get", path)
        pair = {self.corvane.pk, self.lookalike.pk}
        self.assertIn(pair, [{s["left"]["id"], s["right"]["id"]} for s in suggested])
        first = suggested[0]
        self.assertTrue(0 < first["score"] <= 1)
        self.assertEqual(len(first["reasons"]), len(first["reason_labels"]))
        self.ok(
            "coordinator",
            "post",
            f"{self.base}/judgements",
            self.judgement_body(left=self.corvane.pk, verdict="different"),
        )
        again = self.ok("member", "get", path)
        self.assertNotIn(pair, [{s["left"]["id"], s["right"]["id"]} for s in again])
        self.assertEqual(
            self.call("member", "get", f"{self.base}/suggestions?level=x").status_code, 400
        )

    def test_a_judgement_joins_two_records_until_it_is_withdrawn(self) -> None:
        path = f"{self.base}/judgements"
        self.assertEqual(
            self.statuses("post", path, self.judgement_body()),
            {"member": 403, "outsider": 403, "stranger": 404, "anonymous": 401},
        )
        judged = self.ok("coordinator", "post", path, self.judgement_body())
        self.assertEqual(
            (judged["left"]["id"], judged["right"]["id"]),
            tuple(sorted((self.corvane_tr.pk, self.lookalike.pk))),
        )
        self.assertEqual((judged["verdict"], judged["judged_by"]), ("same", "Coordinator A"))
        group = self.ok("outsider", "get", f"/entities/{self.lookalike.pk}")["group"]
        self.assertEqual(group["members"], sorted([self.corvane_tr.pk, self.lookalike.pk]))

        withdraw = f"/judgements/{judged['id']}"
        self.assertEqual(
            self.statuses("delete", withdraw),
            {"member": 403, "outsider": 403, "stranger": 404, "anonymous": 401},
        )
        self.assertEqual(self.call("coordinator", "delete", withdraw).status_code, 204)
        group = self.ok("outsider", "get", f"/entities/{self.lookalike.pk}")["group"]
        self.assertEqual(group["members"], [self.lookalike.pk])
        self.assertEqual(self.call("coordinator", "delete", withdraw).status_code, 404)
        self.assertFalse(archive.Judgement.objects.exists())

    def test_a_judgement_names_two_records_of_the_network(self) -> None:
        path = f"{self.base}/judgements"
        error = self.refused("coordinator", "post", path, self.judgement_body(verdict="maybe"))
        self.assertIn("verdict", error["fields"])
        error = self.refused("coordinator", "post", path, self.judgement_body(right=10**6))
        self.assertIn("right", error["fields"])
        error = self.refused(
            "coordinator", "post", path, self.judgement_body(right=self.corvane_tr.pk)
        )
        self.assertIn("different", error["message"])


class CrossReferenceTests(ArchiveApiTestCase):
    def setUp(self) -> None:
        self.judge_same()
        actions.record_wage(
            self.outsider,
            network=self.network,
            organization=self.beta,
            wage=actions.Wage(
                employer=self.corvane_tr,
                country="TR",
                job="loader",
                pay="22000",
                currency="TRY",
                period="month",
                hours="225",
                observed_on=date(2026, 3, 1),
                city="Gaziantep",
                visibility="network",
            ),
        )

    def test_a_group_named_by_two_organizations_is_cross_referenced(self) -> None:
        path = f"{self.base}/cross-reference"
        self.assertEqual(self.statuses("get", path), READ)
        for persona in ("member", "outsider"):
            (group,) = self.ok(persona, "get", path)
            self.assertEqual(group["group"]["head"]["id"], self.corvane.pk)
            self.assertEqual(group["organizations"], [self.alpha.slug, self.beta.slug])
            self.assertEqual(group["countries"], ["TR", "US"])
            self.assertTrue(group["shared"])
            self.assertEqual(
                group["breadth"],
                {"organizations": 2, "countries": 2, "evidence": len(group["evidence"])},
            )

    def test_a_private_testimony_and_a_redaction_are_never_evidence_for_others(self) -> None:
        path = f"{self.base}/cross-reference"
        (own,) = self.ok("member", "get", path)
        testimonies = {e["object_id"] for e in own["evidence"] if e["kind"] == "testimony"}
        self.assertEqual(testimonies, {self.fire_exit.pk, self.overtime.pk})
        response = self.call("outsider", "get", path)
        (shared,) = response.json()
        testimonies = {e["object_id"] for e in shared["evidence"] if e["kind"] == "testimony"}
        self.assertEqual(testimonies, {self.fire_exit.pk})
        self.assertNotIn("Hidden overtime", response.content.decode())
        self.assertNothingRedacted(response)
        wage = next(e for e in shared["evidence"] if e["kind"] == "wage")
        self.assertEqual(
            (wage["organization"], wage["country"], wage["entity"]),
            (self.beta.slug, "TR", self.corvane_tr.pk),
        )


class PayTests(ArchiveApiTestCase):
    def setUp(self) -> None:
        self.judge_same()
        self.ok("member", "post", f"{self.base}/wages", self.wage_body())
        self.ok(
            "member",
            "post",
            f"{self.base}/wages",
            self.wage_body(
                employer=self.corvane_tr.pk,
                country="TR",
                city="Gaziantep",
                job="loader",
                pay={"amount": "22000", "currency": "TRY"},
                period="month",
                hours="225",
            ),
        )
        self.ok(
            "member",
            "post",
            f"{self.base}/rates",
            {
                "on": "2026-02-01",
                "amount": {"amount": "100", "currency": "TRY"},
                "common": {"amount": "2.50", "currency": "USD"},
            },
        )

    def test_a_group_s_pay_is_compared_per_hour_in_the_common_currency(self) -> None:
        path = f"{self.base}/groups/{self.corvane.pk}/pay"
        self.assertEqual(self.statuses("get", path), READ)
        compared = self.ok("outsider", "get", path)
        self.assertEqual(compared["common_currency"], "USD")
        self.assertEqual(
            compared["group"]["members"], sorted([self.corvane.pk, self.corvane_tr.pk])
        )
        loader, picker = compared["records"]
        self.assertEqual(loader["hourly"], {"amount": "97.78", "currency": "TRY", "minor": 9778})
        self.assertEqual(loader["common"], {"amount": "2.44", "currency": "USD", "minor": 244})
        self.assertEqual((loader["rate_on"], loader["city"]), ("2026-02-01", "Gaziantep"))
        self.assertEqual(picker["hourly"], {"amount": "14.50", "currency": "EUR", "minor": 1450})
        self.assertIsNone(picker["common"])
        self.assertIsNone(picker["rate_on"])

    def test_an_entity_of_another_network_has_no_pay_here(self) -> None:
        elsewhere = actions.save_entity(
            self.stranger,
            network=self.other_network,
            fields=actions.EntityFields(name="Elsewhere Ltd"),
        )
        path = f"{self.base}/groups/{elsewhere.pk}/pay"
        self.assertEqual(self.call("member", "get", path).status_code, 404)
