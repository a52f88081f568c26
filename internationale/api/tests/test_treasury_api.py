"""The treasury API: the access matrix of every endpoint, money as exact decimal text,
idempotent contributions, blind review, and the whole journey of a draw."""

import csv
import io
import json
from datetime import date
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from internationale.network import actions as network_actions
from internationale.treasury import actions
from internationale.treasury.export import write_csv
from internationale.treasury.models import Contribution, Draw, DrawState, Pledge, Transfer
from internationale.treasury.tests.world import TODAY, FundTestCase, frozen

PERSONAS = ("steward", "member", "outsider", "stranger", "anonymous")
READ = {"steward": 200, "member": 200, "outsider": 200, "stranger": 404, "anonymous": 401}
STEWARDS_ONLY = {"steward": 201, "member": 403, "outsider": 403, "stranger": 404, "anonymous": 401}


class TreasuryApiTestCase(FundTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.tokens = {
            persona: network_actions.create_api_token(getattr(cls, persona), name="tests")[1]
            for persona in (
                "steward",
                "steward_b",
                "steward_e",
                "coordinator",
                "member",
                "outsider",
                "stranger",
            )
        }

    def call(self, persona: str, method: str, path: str, body: Any = None) -> Any:
        headers = {}
        if persona != "anonymous":
            headers["HTTP_AUTHORIZATION"] = f"Bearer {self.tokens[persona]}"
        kwargs: dict[str, Any] = {"content_type": "application/json"}
        if body is not None:
            kwargs["data"] = json.dumps(body)
        return getattr(Client(), method)(f"/api/v1/treasury{path}", **kwargs, **headers)

    def statuses(
        self, method: str, path: str, body: Any = None, personas: tuple[str, ...] = PERSONAS
    ) -> dict[str, int]:
        return {p: self.call(p, method, path, body).status_code for p in personas}

    def ok(self, persona: str, method: str, path: str, body: Any = None) -> Any:
        response = self.call(persona, method, path, body)
        self.assertIn(response.status_code, (200, 201), response.content)
        return response.json()

    @property
    def base(self) -> str:
        return f"/funds/{self.fund.slug}"

    def contribution_body(self, key: str, amount: str = "100.00", **more: Any) -> dict[str, Any]:
        return {
            "key": key,
            "organization": more.pop("organization", self.beta.slug),
            "money": {"amount": amount, "currency": more.pop("currency", "USD")},
            "received_on": str(TODAY),
            **more,
        }

    def draw_body(self, **more: Any) -> dict[str, Any]:
        return {
            "organization": self.alpha.slug,
            "kind": "strike",
            "money": {"amount": more.pop("amount", "300.00"), "currency": "USD"},
            "means": "100.00",
            "needed_by": "2025-03-20",
            "narrative": "Night shift strike at the depot.",
            **more,
        }


@frozen
class TreasuryApiAccessTests(TreasuryApiTestCase):
    def setUp(self) -> None:
        self.contribute(100_000, key="seed")
        self.draw = self.request(30_000, blind=True)

    def test_the_fund_its_ledger_queue_draws_and_exports_are_for_the_network(self) -> None:
        for path in (
            self.base,
            f"{self.base}/ledger",
            f"{self.base}/draws",
            f"/draws/{self.draw.pk}",
            f"{self.base}/export?format=csv",
            f"{self.base}/export?format=beancount",
        ):
            with self.subTest(path):
                self.assertEqual(self.statuses("get", path), READ)

    def test_an_unknown_fund_or_draw_is_not_found(self) -> None:
        self.assertEqual(self.call("steward", "get", "/funds/nope").status_code, 404)
        self.assertEqual(self.call("steward", "get", "/draws/999999").status_code, 404)

    def test_only_stewards_record_money(self) -> None:
        body = self.contribution_body("bank-1")
        self.assertEqual(self.statuses("post", f"{self.base}/contributions", body), STEWARDS_ONLY)
        self.assertEqual(Contribution.objects.count(), 2)

    def test_only_stewards_exchange_move_custody_and_propose(self) -> None:
        exchange = {
            "key": "fx-1",
            "sold": {"amount": "100.00", "currency": "USD"},
            "bought": {"amount": "500.00", "currency": "BRL"},
        }
        self.assertEqual(self.statuses("post", f"{self.base}/exchanges", exchange), STEWARDS_ONLY)
        custody = {"currency": "USD", "organization": self.beta.slug}
        self.assertEqual(self.statuses("post", f"{self.base}/custody", custody), STEWARDS_ONLY)
        rules = {"kind": "rules", "rules": {"report_days": 30}, "reason": "Faster reports."}
        self.assertEqual(self.statuses("post", f"{self.base}/proposals", rules), STEWARDS_ONLY)

    def test_coordinators_pledge_and_ask_for_their_organization(self) -> None:
        pledge = {
            "organization": self.alpha.slug,
            "percent": "2.5",
            "period": "month",
            "declared_income": {"amount": "4000.00", "currency": "USD"},
            "starts_on": "2025-01-01",
        }
        personas = ("coordinator", "member", "steward", "outsider", "stranger", "anonymous")
        expected = {
            "coordinator": 201,
            "member": 403,
            "steward": 403,
            "outsider": 403,
            "stranger": 404,
            "anonymous": 401,
        }
        self.assertEqual(
            self.statuses("post", f"{self.base}/pledges", pledge, personas=personas), expected
        )
        self.assertEqual(
            self.statuses("post", f"{self.base}/draws", self.draw_body(), personas=personas),
            expected,
        )
        created = Pledge.objects.get(organization=self.alpha)
        cancel = {**expected, "coordinator": 200}
        # After the coordinator cancels, the others are refused before the action says so.
        self.assertEqual(
            self.statuses("post", f"/pledges/{created.pk}/cancel", {}, personas=personas), cancel
        )
        self.assertEqual(self.fresh(created).cancelled_on, TODAY)

    def test_stewards_or_the_coordinator_record_what_is_not_money(self) -> None:
        other = {
            "organization": self.alpha.slug,
            "kind": "hours",
            "description": "Translation of the strike leaflet.",
            "given_on": str(TODAY),
            "hours": 12,
        }
        personas = ("coordinator", "steward_b", "member", "outsider", "stranger", "anonymous")
        self.assertEqual(
            self.statuses("post", f"{self.base}/others", other, personas=personas),
            {
                "coordinator": 201,
                "steward_b": 201,
                "member": 403,
                "outsider": 403,
                "stranger": 404,
                "anonymous": 401,
            },
        )

    def test_only_stewards_outside_the_requesting_organization_vote(self) -> None:
        vote = {"choice": "approve", "strategy": 4}
        personas = ("steward", "member", "outsider", "stranger", "anonymous", "steward_b")
        self.assertEqual(
            self.statuses("post", f"/draws/{self.draw.pk}/votes", vote, personas=personas),
            {
                "steward": 400,  # a member of Alpha, which asks
                "member": 403,
                "outsider": 403,
                "stranger": 404,
                "anonymous": 401,
                "steward_b": 200,
            },
        )

    def test_paying_releasing_and_reporting(self) -> None:
        self.approve(self.draw, self.steward_b, self.steward_e)
        other = self.approve(self.request(10_000), self.steward_b, self.steward_e)
        personas = ("member", "outsider", "stranger", "anonymous", "steward_b")
        refused = {"member": 403, "outsider": 403, "stranger": 404, "anonymous": 401}
        self.assertEqual(
            self.statuses("post", f"/draws/{self.draw.pk}/pay", {}, personas=personas),
            {**refused, "steward_b": 200},
        )
        self.assertEqual(
            self.statuses(
                "post", f"/draws/{other.pk}/release", {"reason": "Paid by others."}, personas
            ),
            {**refused, "steward_b": 200},
        )
        report = {
            "text": "Strike pay for 30 workers.",
            "spent": {"amount": "300", "currency": "USD"},
        }
        self.assertEqual(
            self.statuses(
                "post",
                f"/draws/{self.draw.pk}/reports",
                report,
                ("steward_b", "outsider", "stranger", "anonymous", "member"),
            ),
            {"steward_b": 403, "outsider": 403, "stranger": 404, "anonymous": 401, "member": 201},
        )

    def test_only_stewards_correct_and_vote_on_proposals(self) -> None:
        transfer = Transfer.objects.get(key="contribution:seed")
        self.assertEqual(
            self.statuses("post", f"/transfers/{transfer.pk}/correct", {"reason": "Bounced."}),
            STEWARDS_ONLY,
        )
        proposal = actions.propose_rules(
            self.steward, fund=self.fund, rules={"report_days": 30}, reason="Faster."
        )
        personas = ("member", "outsider", "stranger", "anonymous", "steward_b")
        self.assertEqual(
            self.statuses("get", f"/proposals/{proposal.pk}", personas=personas),
            {"member": 200, "outsider": 200, "stranger": 404, "anonymous": 401, "steward_b": 200},
        )
        self.assertEqual(
            self.statuses(
                "post", f"/proposals/{proposal.pk}/votes", {"choice": "approve"}, personas
            ),
            {"member": 403, "outsider": 403, "stranger": 404, "anonymous": 401, "steward_b": 200},
        )


@frozen
class TreasuryApiMoneyTests(TreasuryApiTestCase):
    def test_amounts_are_decimal_text_with_their_minor_units(self) -> None:
        created = self.ok(
            "steward", "post", f"{self.base}/contributions", self.contribution_body("k1", "12.50")
        )
        self.assertEqual(created["money"], {"amount": "12.50", "currency": "USD", "minor": 1250})
        fund = self.ok("member", "get", self.base)
        self.assertEqual(
            fund["balances"][0]["available"], {"amount": "12.50", "currency": "USD", "minor": 1250}
        )
        yen = self.ok(
            "steward",
            "post",
            f"{self.base}/contributions",
            self.contribution_body("k2", "1000", currency="JPY"),
        )
        self.assertEqual(yen["money"], {"amount": "1000", "currency": "JPY", "minor": 1000})

    def test_a_float_or_too_many_decimals_is_refused_and_nothing_is_booked(self) -> None:
        body = self.contribution_body("k1")
        body["money"]["amount"] = 12.5
        response = self.call("steward", "post", f"{self.base}/contributions", body)
        self.assertEqual(response.status_code, 400)
        self.assertIn("money.amount", response.json()["error"]["fields"])
        body = self.contribution_body("k1", "12.505")
        response = self.call("steward", "post", f"{self.base}/contributions", body)
        self.assertEqual(response.status_code, 400)
        self.assertEqual(list(response.json()["error"]["fields"]), ["money"])
        body = self.contribution_body("k1", currency="XYZ")
        self.assertEqual(
            self.call("steward", "post", f"{self.base}/contributions", body).status_code, 400
        )
        self.assertFalse(Transfer.objects.exists())

    def test_a_retried_contribution_is_booked_once(self) -> None:
        body = self.contribution_body("bank-2025-03-001", note="March dues")
        first = self.call("steward", "post", f"{self.base}/contributions", body)
        again = self.call("steward", "post", f"{self.base}/contributions", body)
        self.assertEqual((first.status_code, again.status_code), (201, 200))
        self.assertEqual(first.json(), again.json())
        self.assertEqual(Transfer.objects.filter(category="contribution").count(), 1)

    def test_the_same_key_with_another_body_is_refused_with_its_reason(self) -> None:
        self.ok("steward", "post", f"{self.base}/contributions", self.contribution_body("k"))
        for changed in (
            self.contribution_body("k", "200.00"),
            self.contribution_body("k", organization=self.alpha.slug),
            {**self.contribution_body("k"), "received_on": "2025-03-01"},
        ):
            response = self.call("steward", "post", f"{self.base}/contributions", changed)
            self.assertEqual(response.status_code, 400)
            self.assertIn("already used", response.json()["error"]["message"])
        self.assertEqual(Transfer.objects.count(), 1)
        self.assertEqual(self.available().minor, 10_000)

    def test_a_contribution_towards_a_pledge_counts_for_it(self) -> None:
        pledge = actions.make_pledge(
            self.coordinator_b(),
            fund=self.fund,
            organization=self.beta,
            percent="10",
            period="month",
            currency="USD",
            declared_income="1000.00",
            starts_on=date(2025, 1, 1),
        )
        self.ok(
            "steward",
            "post",
            f"{self.base}/contributions",
            self.contribution_body("k", "100.00", pledge=pledge.pk),
        )
        statuses = self.ok("member", "get", self.base)["pledges"]
        self.assertEqual(
            [
                (
                    s["pledge"]["organization"],
                    s["late"],
                    s["expected"]["minor"],
                    s["arrived"]["minor"],
                )
                for s in statuses
            ],
            [("beta-collective", True, 20_000, 10_000)],
        )

    def coordinator_b(self) -> Any:
        return self.beta.memberships.get(role="coordinator").member

    def test_an_exchange_books_exact_amounts_in_both_currencies(self) -> None:
        self.contribute(100_000, key="seed")
        legs = self.ok(
            "steward",
            "post",
            f"{self.base}/exchanges",
            {
                "key": "fx-1",
                "sold": {"amount": "100.00", "currency": "USD"},
                "bought": {"amount": "512.34", "currency": "BRL"},
            },
        )
        self.assertEqual(len(legs), 2)
        balances = {
            b["currency"]: b["held"]["amount"]
            for b in self.ok("member", "get", self.base)["balances"]
        }
        self.assertEqual(balances, {"USD": "900.00", "BRL": "512.34"})

    def test_custody_moves_and_rules_change_through_proposals(self) -> None:
        self.contribute(100_000, key="seed")
        custody = self.ok(
            "steward",
            "post",
            f"{self.base}/custody",
            {"currency": "USD", "organization": "beta-collective"},
        )
        self.assertEqual(custody["organization"], "beta-collective")
        proposal = self.ok(
            "steward",
            "post",
            f"{self.base}/proposals",
            {
                "kind": "rules",
                "rules": {"emergency_limit": "600.00"},
                "reason": "Higher fast track.",
            },
        )
        self.assertEqual(
            (proposal["state"], proposal["rules"]), ("open", {"emergency_limit": "600.00"})
        )
        adopted = self.ok(
            "steward_b", "post", f"/proposals/{proposal['id']}/votes", {"choice": "approve"}
        )
        self.assertEqual(adopted["state"], "adopted")
        fund = self.ok("member", "get", self.base)
        self.assertEqual(fund["emergency_limit"]["minor"], 60_000)
        self.assertEqual(fund["rules"]["emergency_limit"], "600.00")

    def test_a_handover_is_proposed_and_objected_to(self) -> None:
        proposal = self.ok("steward", "post", f"{self.base}/proposals", {"kind": "handover"})
        self.assertEqual(proposal["kind"], "handover")
        self.assertTrue(proposal["stewards"])
        response = self.call(
            "steward_b", "post", f"/proposals/{proposal['id']}/votes", {"choice": "object"}
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("reason", response.json()["error"]["fields"])
        rejected = self.ok(
            "steward_b",
            "post",
            f"/proposals/{proposal['id']}/votes",
            {"choice": "object", "reason": "Too soon."},
        )
        self.assertEqual(rejected["state"], "rejected")


@frozen
class TreasuryApiDrawTests(TreasuryApiTestCase):
    def test_the_journey_of_a_draw(self) -> None:
        self.contribute(100_000, key="seed")
        draw = self.ok("coordinator", "post", f"{self.base}/draws", self.draw_body())
        self.assertEqual((draw["state"], draw["money"]["minor"]), ("review", 30_000))
        # 10 days left: urgency 60; need 300/(300+100): 75; unrated strategy 50.
        self.assertEqual(draw["score"]["computation"], "(3×60 + 2×50 + 2×75) ÷ 7 = 61")
        for steward in ("steward_b", "steward_e"):
            draw = self.ok(
                steward, "post", f"/draws/{draw['id']}/votes", {"choice": "approve", "strategy": 5}
            )
        self.assertEqual(draw["state"], "reserved")
        fund = self.ok("member", "get", self.base)
        self.assertEqual(fund["balances"][0]["reserved"]["amount"], "300.00")
        paid = self.ok(
            "steward_b",
            "post",
            f"/draws/{draw['id']}/pay",
            {"money": {"amount": "250", "currency": "USD"}},
        )
        self.assertEqual((paid["state"], paid["paid"]["amount"]), ("paid", "250.00"))
        fund = self.ok("member", "get", self.base)
        self.assertEqual(
            (fund["balances"][0]["held"]["amount"], fund["balances"][0]["reserved"]["amount"]),
            ("750.00", "0.00"),
        )
        self.assertEqual(
            [(r["draw"], r["reported"], r["overdue"]) for r in fund["reports"]],
            [(draw["id"], False, False)],
        )
        report = self.ok(
            "member",
            "post",
            f"/draws/{draw['id']}/reports",
            {"text": "Strike pay.", "spent": {"amount": "250.00", "currency": "USD"}},
        )
        self.assertEqual(report["spent"]["minor"], 25_000)
        kinds = [t["kind"] for t in self.ok("outsider", "get", f"{self.base}/ledger")["transfers"]]
        self.assertEqual(kinds, ["posted", "pending", "post_pending"])

    def test_paying_more_than_reserved_is_refused(self) -> None:
        self.contribute(100_000, key="seed")
        draw = self.approve(self.request(30_000), self.steward_b, self.steward_e)
        response = self.call(
            "steward_b",
            "post",
            f"/draws/{draw.pk}/pay",
            {"money": {"amount": "300.01", "currency": "USD"}},
        )
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self.fresh(draw).state, DrawState.RESERVED)

    def test_blind_review_hides_the_requester_and_the_narrative_stays_narrow(self) -> None:
        draw = self.request(30_000, blind=True, narrative="Names of the arrested.")
        seen = {}
        for persona in ("member", "outsider", "steward_b"):
            (queued,) = self.ok(persona, "get", f"{self.base}/draws")
            single = self.ok(persona, "get", f"/draws/{draw.pk}")
            self.assertEqual(queued, single)
            seen[persona] = (queued["organization"], queued["narrative"])
        self.assertEqual(
            seen,
            {
                "member": ("alpha-union", "Names of the arrested."),
                "outsider": (None, None),
                "steward_b": (None, "Names of the arrested."),
            },
        )
        self.assertNotIn(b"alpha-union", self.call("outsider", "get", f"{self.base}/draws").content)

    def test_the_requester_of_a_blind_draw_sent_back_stays_hidden_in_the_ledger(self) -> None:
        self.contribute(100_000, key="seed")
        draw = self.approve(self.request(20_000, blind=True), self.steward_b, self.steward_e)
        shown = [
            t["organization"]
            for t in self.ok("outsider", "get", f"{self.base}/ledger")["transfers"]
        ]
        self.assertEqual(shown, ["beta-collective", "alpha-union"])  # decided: shown
        # As after a late objection on the fast track (which takes a fourth steward to
        # reach): the request is back in review, and who asked is hidden again.
        Draw.objects.filter(pk=draw.pk).update(state=DrawState.RETURNED)
        shown = [
            t["organization"]
            for t in self.ok("outsider", "get", f"{self.base}/ledger")["transfers"]
        ]
        self.assertEqual(shown, ["beta-collective", None])
        shown = [
            t["organization"] for t in self.ok("member", "get", f"{self.base}/ledger")["transfers"]
        ]
        self.assertEqual(shown, ["beta-collective", None])
        # The ledger's page and its exports leave it out the same way.
        page = self.client_for(self.outsider).get(f"/funds/{self.fund.slug}/ledger/")
        self.assertNotContains(page, "Alpha Union</bdi></td>")
        self.assertContains(page, "Beta Collective</bdi></td>")
        out = io.StringIO()
        write_csv(self.fund, out)
        rows = list(csv.DictReader(io.StringIO(out.getvalue())))
        self.assertEqual([r["organization"] for r in rows], ["Beta Collective", ""])

    def test_the_queue_is_by_score_and_its_queries_do_not_grow(self) -> None:
        self.request(10_000, needed_by=date(2025, 6, 1))
        urgent = self.request(10_000, needed_by=date(2025, 3, 12))
        actions.vote_on_draw(self.steward_e, draw=urgent, choice="approve", strategy=5)
        self.ok("steward_b", "get", self.base)  # the token notes the day it was used
        with CaptureQueriesContext(connection) as few:
            queue = self.ok("steward_b", "get", f"{self.base}/draws")
        self.assertEqual(queue[0]["id"], urgent.pk)
        for n in range(5):
            d = self.request(10_000 + n)
            actions.vote_on_draw(self.steward_b, draw=d, choice="approve", strategy=3)
        with CaptureQueriesContext(connection) as many:
            self.ok("steward_b", "get", f"{self.base}/draws")
        self.assertEqual(len(few), len(many))

    def test_the_ledger_is_paginated_with_a_steady_number_of_queries(self) -> None:
        for n in range(3):
            self.contribute(100 + n, key=f"a{n}")
        self.ok("member", "get", self.base)  # the token notes the day it was used
        with CaptureQueriesContext(connection) as few:
            page = self.ok("member", "get", f"{self.base}/ledger?per_page=2")
        self.assertEqual((page["count"], page["pages"], len(page["transfers"])), (3, 2, 2))
        for n in range(3, 9):
            self.contribute(100 + n, key=f"a{n}", organization=self.alpha)
        with CaptureQueriesContext(connection) as many:
            page = self.ok("member", "get", f"{self.base}/ledger?per_page=5&page=2")
        self.assertEqual(
            [t["key"] for t in page["transfers"]], [f"contribution:a{n}" for n in range(5, 9)]
        )
        self.assertEqual(len(few), len(many))

    def test_exports_are_written_for_the_network(self) -> None:
        self.contribute(12_345, key="bank-1")
        response = self.call("outsider", "get", f"{self.base}/export?format=csv")
        self.assertEqual(response["Content-Type"], "text/csv; charset=utf-8")
        self.assertIn("contribution:bank-1", response.content.decode())
        self.assertIn("123.45", response.content.decode())
        response = self.call("outsider", "get", f"{self.base}/export?format=beancount")
        self.assertIn("Assets:Held:Alpha-Union:USD", response.content.decode())
        self.assertEqual(
            self.call("outsider", "get", f"{self.base}/export?format=xls").status_code, 400
        )

    def test_errors_come_in_the_members_language(self) -> None:
        network_actions.set_language(self.steward_b, language="es")
        response = self.call("steward_b", "post", f"{self.base}/contributions", {"key": "k"})
        self.assertEqual(response.status_code, 400)
        error = response.json()["error"]
        self.assertEqual(error["code"], "invalid")
        self.assertNotEqual(error["message"], "Some fields are missing or malformed.")
        self.assertEqual(
            self.call("steward_b", "get", "/funds/nope").json()["error"]["message"],
            "No se encontró.",
        )

    def test_the_openapi_schema_lists_the_treasury(self) -> None:
        schema = Client().get("/api/v1/openapi.json").json()
        self.assertIn("/api/v1/treasury/funds/{fund}/contributions", schema["paths"])
