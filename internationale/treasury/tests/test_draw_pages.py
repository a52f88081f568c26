"""The draw pages: asking the fund for money, the request's page, and the forms on it, for
every persona."""

from datetime import UTC, date, datetime, timedelta
from typing import Any

import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import translation

from internationale.core.testing import PASSWORD, InternationaleTestCase
from internationale.core.timezones import format_moment
from internationale.network import actions as network_actions
from internationale.network.models import Member
from internationale.treasury import actions
from internationale.treasury.models import Account, AccountKind, Draw, DrawState, DrawVote, Report

NOW = datetime(2025, 3, 3, 15, 0, tzinfo=UTC)
TODAY = date(2025, 3, 3)
PERSONAS = ("coordinator", "member", "steward", "outsider", "steward_b", "stranger", "anonymous")
LOGIN = "login"


@time_machine.travel(NOW, tick=False)
class DrawPageTests(InternationaleTestCase):
    """Alpha asks a fund of 1,000.00 USD, held by Beta. Its stewards: Steward A (of Alpha,
    so recused from Alpha's requests), Steward B (of Beta), Steward D and Steward E (of
    Delta); two approvals decide."""

    steward_b: Any
    steward_d: Any
    steward_e: Any
    coordinator_b: Any
    fund: Any
    draw: Any

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.steward_b = cls.join(cls.beta, "Steward B", capabilities=("steward",))
        _invitation, token = network_actions.invite_organization(None, network=cls.network)
        delta = network_actions.accept_organization_invitation(
            None,
            token=token,
            display_name="Coordinator D",
            password=PASSWORD,
            name="Delta Workers",
            country="TR",
            languages=["tr"],
            time_zone="Europe/Istanbul",
            description="",
            visibility="network",
        )
        cls.steward_d = cls.join(delta, "Steward D", capabilities=("steward",))
        cls.steward_e = cls.join(delta, "Steward E", capabilities=("steward",))
        cls.coordinator_b = Member.objects.get(display_name="Coordinator B")
        cls.fund = actions.open_fund(
            cls.coordinator,
            network=cls.network,
            name="Solidarity Fund",
            currency="USD",
            custodian=cls.beta,
            stewards=[cls.steward, cls.steward_b, cls.steward_d, cls.steward_e],
            rules={"emergency_limit": 50_000, "approvals_needed": 2},
        )
        actions.record_contribution(
            cls.steward_b,
            fund=cls.fund,
            organization=cls.beta,
            amount="1000.00",
            currency="USD",
            received_on=TODAY,
            key="beta-march",
        )
        cls.draw = cls.ask(amount="300.00", blind=True)

    @classmethod
    def join(cls, organization: Any, name: str, capabilities: tuple[str, ...] = ()) -> Member:
        _invitation, token = network_actions.invite_person(
            None, organization=organization, capabilities=capabilities
        )
        return network_actions.accept_person_invitation(
            None, token=token, display_name=name, password=PASSWORD, time_zone="America/Chicago"
        )

    @classmethod
    def ask(cls, *, amount: str, blind: bool = False, emergency: bool = False) -> Draw:
        return actions.request_draw(
            cls.coordinator,
            fund=cls.fund,
            organization=cls.alpha,
            kind="strike",
            amount=amount,
            currency="USD",
            means="100.00",
            needed_by=TODAY + timedelta(days=10),
            narrative="Forty families lost a month of wages in the lockout.",
            evidence="Payroll slips held by the strike committee.",
            blind=blind,
            emergency=emergency,
        )

    def client_as(self, persona: str) -> Client:
        return self.client_for(None if persona == "anonymous" else getattr(self, persona))

    def expect(
        self, method: str, url: str, data: dict[str, str] | None = None, **statuses: Any
    ) -> None:
        assert set(statuses) == set(PERSONAS), "cover every persona"
        for persona, expected in statuses.items():
            client = self.client_as(persona)
            response = client.get(url) if method == "get" else client.post(url, data or {})
            with self.subTest(url=url, persona=persona):
                if expected == LOGIN:
                    self.assertEqual(response.status_code, 302)
                    self.assertTrue(response["Location"].startswith(reverse("network:login")))
                else:
                    self.assertEqual(response.status_code, expected)

    def url(self, name: str, draw: Draw | None = None) -> str:
        return reverse(f"treasury:{name}", args=[(draw or self.draw).pk])

    def vote(
        self, steward: Any, choice: str = "approve", draw: Draw | None = None, **more: str
    ) -> Any:
        data = {"vote-choice": choice, "vote-strategy": "4", "vote-reason": "", **more}
        return self.client_for(steward).post(self.url("vote", draw), data)

    def reserve(self, draw: Draw) -> Draw:
        actions.vote_on_draw(self.steward_b, draw=draw, choice="approve", strategy=4)
        return actions.vote_on_draw(self.steward_d, draw=draw, choice="approve", strategy=5)

    def page(self, persona: str, draw: Draw | None = None) -> str:
        response = self.client_as(persona).get((draw or self.draw).get_absolute_url())
        self.assertEqual(response.status_code, 200)
        return response.content.decode()

    def available(self) -> int:
        held = Account.objects.get(fund=self.fund, kind=AccountKind.HELD, currency="USD")
        return held.available.minor

    # Asking ----------------------------------------------------------------------------

    def test_asking_is_for_coordinators_in_the_network(self) -> None:
        self.expect(
            "get",
            reverse("treasury:new-draw", args=[self.fund.slug]),
            coordinator=200,
            member=403,
            steward=403,
            outsider=403,
            steward_b=403,
            stranger=404,
            anonymous=LOGIN,
        )
        response = self.client_for(self.coordinator_b).get(
            reverse("treasury:new-draw", args=[self.fund.slug])
        )
        self.assertEqual(response.status_code, 200)

    def test_a_coordinator_asks_for_money_with_blind_review(self) -> None:
        url = reverse("treasury:new-draw", args=[self.fund.slug])
        page = self.client_for(self.coordinator).get(url).content.decode()
        self.assertIn("will not see which organization asks", page)
        self.assertIn("for up to $500.00", page)  # the fund's emergency limit
        self.assertNotIn('name="organization"', page)  # one organization: no choice
        response = self.client_for(self.coordinator).post(
            url,
            {
                "kind": "repression",
                "amount": "250.50",
                "currency": "USD",
                "means": "0",
                "needed_by": "2025-03-06",
                "narrative": "Bail for two shop stewards.",
                "evidence": "",
                "blind": "on",
            },
        )
        created = Draw.objects.get(kind="repression")
        self.assertRedirects(response, created.get_absolute_url())
        self.assertEqual(
            (created.amount, created.organization, created.blind), (25050, self.alpha, True)
        )
        self.assertFalse(created.emergency)

    def test_an_emergency_over_the_limit_is_refused_with_the_limit(self) -> None:
        response = self.client_for(self.coordinator).post(
            reverse("treasury:new-draw", args=[self.fund.slug]),
            {
                "kind": "disaster",
                "amount": "600.00",
                "currency": "USD",
                "means": "0",
                "needed_by": "2025-03-04",
                "narrative": "The flood took the union hall.",
                "emergency": "on",
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "The fast track is for up to")
        self.assertFalse(Draw.objects.filter(kind="disaster").exists())

    def test_a_coordinator_of_several_organizations_picks_one(self) -> None:
        _invitation, token = network_actions.invite_person(
            self.coordinator_b, organization=self.beta, role="coordinator"
        )
        network_actions.accept_person_invitation(self.coordinator, token=token)
        url = reverse("treasury:new-draw", args=[self.fund.slug])
        client = self.client_for(self.fresh(self.coordinator))
        self.assertContains(client.get(url), 'name="organization"')
        client.post(
            url,
            {
                "organization": self.beta.pk,
                "kind": "action",
                "amount": "50",
                "currency": "USD",
                "means": "10",
                "needed_by": "2025-04-01",
                "narrative": "Banners for the day of action.",
            },
        )
        self.assertEqual(Draw.objects.get(kind="action").organization, self.beta)

    # Reading ---------------------------------------------------------------------------

    def test_the_draw_page_is_for_the_networks_members(self) -> None:
        self.expect(
            "get",
            self.draw.get_absolute_url(),
            coordinator=200,
            member=200,
            steward=200,
            outsider=200,
            steward_b=200,
            stranger=404,
            anonymous=404,
        )

    def test_the_narrative_is_for_the_requesting_organization_and_the_stewards(self) -> None:
        for persona in ("coordinator", "member", "translator", "steward", "steward_b"):
            with self.subTest(persona=persona):
                page = self.page(persona)
                self.assertIn("Forty families", page)
                self.assertIn("Payroll slips", page)
        page = self.page("outsider")
        self.assertNotIn("Forty families", page)
        self.assertNotIn("Payroll slips", page)
        self.assertIn("Only the requesting organization and the serving stewards", page)
        self.assertIn("$300.00", page)  # the amount and the score are open to all

    def test_blind_review_hides_the_requester_until_the_stewards_decide(self) -> None:
        for persona in ("steward_b", "outsider"):
            with self.subTest(persona=persona):
                page = self.page(persona)
                self.assertNotIn("Alpha Union", page)
                self.assertIn("hidden for blind review", page)
        for persona in ("coordinator", "member", "steward"):
            with self.subTest(persona=persona):
                self.assertIn("Alpha Union", self.page(persona))
        self.reserve(self.draw)
        for persona in ("steward_b", "outsider"):
            with self.subTest(persona=persona, decided=True):
                page = self.page(persona)
                self.assertIn("Alpha Union", page)
                self.assertNotIn("hidden for blind review", page)

    def test_the_page_shows_the_score_and_its_computation(self) -> None:
        page = self.page("outsider")
        # 10 days left: urgency 60; need 100 × 300 ÷ (300 + 100) = 75; strategy unrated: 50.
        self.assertIn("10 days left until the money is needed.", page)
        self.assertIn("(3×60 + 2×50 + 2×75) ÷ 7 = 61", page)
        self.assertIn("61 of 100", page)
        actions.vote_on_draw(self.steward_b, draw=self.draw, choice="approve", strategy=5)
        page = self.page("outsider")
        self.assertIn("(3×60 + 2×100 + 2×75) ÷ 7 = 75", page)
        self.assertIn("Steward B", page)

    # Voting ----------------------------------------------------------------------------

    def test_only_stewards_outside_the_requesting_organization_see_the_vote_form(self) -> None:
        vote_url = self.url("vote")
        for persona in ("steward_b",):
            self.assertIn(f'action="{vote_url}"', self.page(persona))
        for persona in ("coordinator", "member", "steward", "outsider"):
            with self.subTest(persona=persona):
                self.assertNotIn(f'action="{vote_url}"', self.page(persona))
        self.assertIn("so you cannot vote on it", self.page("steward"))

    def test_voting_is_for_stewards_outside_the_requesting_organization(self) -> None:
        data = {"vote-choice": "object", "vote-strategy": "1", "vote-reason": "No."}
        self.expect(
            "post",
            self.url("vote"),
            data,
            coordinator=403,
            member=403,
            steward=403,
            outsider=403,
            steward_b=302,
            stranger=404,
            anonymous=LOGIN,
        )
        self.assertEqual(
            list(DrawVote.objects.values_list("steward__display_name", flat=True)), ["Steward B"]
        )

    def test_an_objection_without_reason_is_refused_with_a_message(self) -> None:
        response = self.vote(self.steward_b, "object")
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "An objection needs its reason.", status_code=400)
        self.assertFalse(DrawVote.objects.exists())
        self.assertEqual(self.fresh(self.draw).state, DrawState.REVIEW)

    def test_an_objection_sends_the_request_back_for_revision(self) -> None:
        response = self.vote(self.steward_b, "object", **{"vote-reason": "Show the payroll."})
        self.assertRedirects(response, self.draw.get_absolute_url())
        self.assertEqual(self.fresh(self.draw).state, DrawState.RETURNED)
        page = self.page("coordinator")
        self.assertIn("Show the payroll.", page)
        self.assertIn(f'action="{self.url("resubmit")}"', page)
        self.assertIn('value="300.00"', page)  # the revision starts from what was asked
        self.assertIn("Forty families lost a month", page)
        self.assertNotIn(f'action="{self.url("resubmit")}"', self.page("member"))
        response = self.client_for(self.coordinator).post(
            self.url("resubmit"),
            {
                "resubmit-kind": "strike",
                "resubmit-amount": "280.00",
                "resubmit-currency": "USD",
                "resubmit-means": "100.00",
                "resubmit-needed_by": "2025-03-13",
                "resubmit-narrative": "Forty families. Payroll attached as described.",
                "resubmit-evidence": "Payroll slips, described line by line.",
            },
        )
        self.assertRedirects(response, self.draw.get_absolute_url())
        draw = self.fresh(self.draw)
        self.assertEqual((draw.state, draw.round, draw.amount), (DrawState.REVIEW, 2, 28000))

    def test_approval_at_the_threshold_reserves_the_money(self) -> None:
        response = self.vote(self.steward_b)
        self.assertRedirects(response, self.draw.get_absolute_url())
        self.assertEqual(self.fresh(self.draw).state, DrawState.REVIEW)
        self.assertEqual(self.available(), 100_000)
        response = self.client_for(self.steward_d).post(
            self.url("vote"),
            {"vote-choice": "approve", "vote-strategy": "5", "vote-reason": ""},
            follow=True,
        )
        self.assertRedirects(response, self.draw.get_absolute_url())
        draw = self.fresh(self.draw)
        self.assertEqual(draw.state, DrawState.RESERVED)
        self.assertEqual(self.available(), 70_000)
        page = response.content.decode()
        self.assertIn("Approved. The money is reserved for this request.", page)
        # The reservation's end, in the reader's time zone.
        assert draw.reservation is not None
        assert draw.reservation.timeout_at is not None
        with translation.override("en"):
            until = format_moment(draw.reservation.timeout_at, zone="America/Chicago")
        self.assertIn(until, page)
        self.assertIn("United States (Chicago)", page)

    def test_an_approval_the_fund_cannot_cover_is_refused_and_nothing_changes(self) -> None:
        big = self.ask(amount="1200.00")
        self.assertEqual(self.vote(self.steward_b, draw=big).status_code, 302)
        response = self.vote(self.steward_d, draw=big)
        self.assertContains(
            response,
            "The fund does not have that much available in this currency.",
            status_code=400,
        )
        self.assertEqual(self.fresh(big).state, DrawState.REVIEW)
        self.assertEqual(list(big.votes.values_list("steward", flat=True)), [self.steward_b.pk])
        self.assertEqual(self.available(), 100_000)

    def test_a_fast_track_request_is_reserved_at_two_approvals(self) -> None:
        urgent = self.ask(amount="400.00", emergency=True)
        self.assertIn("two approvals reserve the money at once", self.page("steward_b", urgent))
        self.vote(self.steward_b, draw=urgent)
        self.vote(self.steward_d, draw=urgent)
        self.assertEqual(self.fresh(urgent).state, DrawState.RESERVED)
        self.assertEqual(self.available(), 60_000)

    def test_after_a_fast_track_approval_another_steward_may_still_object(self) -> None:
        urgent = self.reserve(self.ask(amount="400.00", emergency=True))
        page = self.page("steward_e", urgent)
        self.assertIn("You may still object", page)
        self.assertNotIn('value="approve"', page)
        self.assertEqual(self.vote(self.steward_e, draw=urgent).status_code, 400)
        self.assertEqual(self.fresh(urgent).state, DrawState.RESERVED)
        response = self.vote(
            self.steward_e, "object", draw=urgent, **{"vote-reason": "Not an emergency."}
        )
        self.assertRedirects(response, urgent.get_absolute_url())
        self.assertEqual(self.fresh(urgent).state, DrawState.RETURNED)
        self.assertEqual(self.available(), 100_000)

    # Paying, releasing, reporting ------------------------------------------------------

    def test_paying_and_releasing_are_for_the_stewards(self) -> None:
        self.reserve(self.draw)
        # Empty forms: a steward gets the form back with its errors (400), nothing changes.
        for name in ("pay", "release"):
            self.expect(
                "post",
                self.url(name),
                {},
                coordinator=403,
                member=403,
                steward=400,
                outsider=403,
                steward_b=400,
                stranger=404,
                anonymous=LOGIN,
            )
        self.assertEqual(self.fresh(self.draw).state, DrawState.RESERVED)

    def test_a_steward_pays_out_part_of_the_reservation(self) -> None:
        draw = self.reserve(self.draw)
        page = self.page("steward_b")
        self.assertIn(f'action="{self.url("pay")}"', page)
        self.assertIn('value="300.00"', page)  # the full reservation by default
        self.assertNotIn(f'action="{self.url("pay")}"', self.page("outsider"))
        response = self.client_for(self.steward_b).post(self.url("pay"), {"pay-amount": "200.00"})
        self.assertRedirects(response, draw.get_absolute_url())
        draw = self.fresh(draw)
        self.assertEqual((draw.state, draw.paid_amount), (DrawState.PAID, 20_000))
        self.assertEqual(self.available(), 80_000)
        page = self.page("outsider")
        self.assertIn('Paid out <bdi dir="ltr">$200.00</bdi>', page)
        self.assertIn("the rest went back to the fund", page)
        self.assertIn("is due by", page)

    def test_paying_more_than_the_reservation_is_refused(self) -> None:
        self.reserve(self.draw)
        response = self.client_for(self.steward_b).post(self.url("pay"), {"pay-amount": "301.00"})
        self.assertContains(response, "at most the amount reserved", status_code=400)
        self.assertEqual(self.fresh(self.draw).state, DrawState.RESERVED)

    def test_a_steward_releases_a_reservation_with_a_reason(self) -> None:
        self.reserve(self.draw)
        client = self.client_for(self.steward_d)
        response = client.post(self.url("release"), {"release-reason": ""})
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self.fresh(self.draw).state, DrawState.RESERVED)
        response = client.post(self.url("release"), {"release-reason": "The strike ended."})
        self.assertRedirects(response, self.draw.get_absolute_url())
        self.assertEqual(self.fresh(self.draw).state, DrawState.RELEASED)
        self.assertEqual(self.available(), 100_000)
        self.assertIn("A steward released the reservation.", self.page("outsider"))

    def test_the_receiving_organization_reports_after_payment(self) -> None:
        report = {"report-text": "Rent for forty families.", "report-spent": "300.00"}
        response = self.client_for(self.member).post(self.url("report"), report)
        self.assertContains(response, "Only a paid draw is reported on.", status_code=400)
        self.reserve(self.draw)
        actions.pay_draw(self.steward_b, draw=self.draw)
        self.assertIn(f'action="{self.url("report")}"', self.page("member"))
        self.assertNotIn(f'action="{self.url("report")}"', self.page("steward_b"))
        self.expect(
            "post",
            self.url("report"),
            report,
            coordinator=302,
            member=302,
            steward=302,
            outsider=403,
            steward_b=403,
            stranger=404,
            anonymous=LOGIN,
        )
        self.assertEqual(Report.objects.filter(draw=self.draw).count(), 3)
        page = self.page("outsider")
        self.assertIn("Rent for forty families.", page)
        self.assertIn('Report: <bdi dir="ltr">$300.00</bdi> spent', page)
        self.assertIn("It has arrived.", page)

    def test_an_overdue_report_is_marked(self) -> None:
        self.reserve(self.draw)
        actions.pay_draw(self.steward_b, draw=self.draw)
        with time_machine.travel(NOW + timedelta(days=61), tick=False):
            self.assertIn("It is overdue.", self.page("outsider"))

    def test_withdrawing_is_for_the_requesting_coordinators(self) -> None:
        self.assertIn(f'action="{self.url("withdraw")}"', self.page("coordinator"))
        self.assertNotIn(f'action="{self.url("withdraw")}"', self.page("member"))
        self.expect(
            "post",
            self.url("withdraw"),
            coordinator=302,
            member=403,
            steward=403,
            outsider=403,
            steward_b=403,
            stranger=404,
            anonymous=LOGIN,
        )
        self.assertEqual(self.fresh(self.draw).state, DrawState.WITHDRAWN)
        response = self.client_for(self.coordinator).post(self.url("withdraw"))
        self.assertContains(
            response, "Only a request still in review can be withdrawn.", status_code=400
        )

    def test_the_endpoints_take_only_post(self) -> None:
        for name in ("vote", "pay", "release", "report", "resubmit", "withdraw"):
            with self.subTest(name=name):
                self.assertEqual(
                    self.client_for(self.steward_b).get(self.url(name)).status_code, 405
                )
