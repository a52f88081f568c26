"""The fund's own pages: who may open each, and what they do."""

import re
from datetime import date, timedelta

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from internationale.core.testing import InternationaleTestCase
from internationale.treasury import actions
from internationale.treasury.models import (
    Contribution,
    Fund,
    OtherContribution,
    Pledge,
    Proposal,
    ProposalState,
    Transfer,
)
from internationale.treasury.tests.world import T0, TODAY, FundTestCase, frozen

PERSONAS = ("coordinator", "member", "translator", "steward", "outsider", "stranger", "anonymous")
LOGIN = "login"  # a redirect to the login page
NETWORK_READS = {
    "coordinator": 200,
    "member": 200,
    "translator": 200,
    "steward": 200,
    "outsider": 200,
    "stranger": 404,
    "anonymous": LOGIN,
}
STEWARDS_ONLY = {**NETWORK_READS, "coordinator": 403, "member": 403, "translator": 403}
STEWARDS_ONLY["outsider"] = 403


class MatrixMixin(InternationaleTestCase):
    def expect(self, url: str, *, method: str = "get", **statuses: int | str) -> None:
        assert set(statuses) == set(PERSONAS), "cover every persona"
        for persona, expected in statuses.items():
            client = self.client_for(None if persona == "anonymous" else getattr(self, persona))
            response = getattr(client, method)(url)
            with self.subTest(url=url, persona=persona):
                if expected == LOGIN:
                    self.assertEqual(response.status_code, 302)
                    self.assertTrue(response["Location"].startswith(reverse("network:login")))
                else:
                    self.assertEqual(response.status_code, expected)


@frozen
class FundPageAccessTests(FundTestCase, MatrixMixin):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.contribution = actions.record_contribution(
            cls.steward,
            fund=cls.fund,
            organization=cls.beta,
            amount="120.00",
            currency="USD",
            received_on=TODAY,
            key="first",
        )
        cls.pledge = actions.make_pledge(
            cls.coordinator,
            fund=cls.fund,
            organization=cls.alpha,
            percent="2.5",
            period="month",
            currency="USD",
            declared_income="4000",
            starts_on=date(2025, 1, 1),
        )
        cls.proposal = actions.propose_rules(
            cls.steward, fund=cls.fund, rules={"report_days": 30}, reason="Sooner."
        )

    def url(self, name: str) -> str:
        return reverse(f"treasury:{name}", args=[self.fund.slug])

    def test_the_fund_its_ledger_and_exports_are_for_the_network(self) -> None:
        for name in ("fund", "ledger", "export-csv", "export-beancount"):
            self.expect(self.url(name), **NETWORK_READS)

    def test_a_proposal_is_for_the_network(self) -> None:
        self.expect(reverse("treasury:proposal", args=[self.proposal.pk]), **NETWORK_READS)

    def test_the_summary_is_for_the_network_until_it_is_published(self) -> None:
        self.expect(self.url("summary"), **{**NETWORK_READS, "anonymous": 404})
        Fund.objects.filter(pk=self.fund.pk).update(public_summary=True)
        self.expect(self.url("summary"), **{**NETWORK_READS, "stranger": 200, "anonymous": 200})

    def test_the_bookkeeping_forms_are_for_the_serving_stewards(self) -> None:
        for name in ("new-contribution", "exchange", "custody", "rules", "handover"):
            self.expect(self.url(name), **STEWARDS_ONLY)
        self.expect(
            reverse("treasury:correct", args=[self.contribution.transfer.pk]), **STEWARDS_ONLY
        )

    def test_pledging_is_for_coordinators_of_member_organizations(self) -> None:
        self.expect(self.url("new-pledge"), **{**STEWARDS_ONLY, "coordinator": 200, "steward": 403})

    def test_the_register_of_what_is_not_money_is_for_stewards_and_coordinators(self) -> None:
        self.expect(self.url("new-other"), **{**STEWARDS_ONLY, "coordinator": 200})

    def test_only_its_organizations_coordinators_cancel_a_pledge(self) -> None:
        url = reverse("treasury:cancel-pledge", args=[self.pledge.pk])
        self.expect(
            url,
            method="post",
            **{**STEWARDS_ONLY, "coordinator": 302, "steward": 403},
        )
        self.assertIsNotNone(self.fresh(self.pledge).cancelled_on)


class OpenFundTests(MatrixMixin):
    def test_opening_the_fund_is_for_coordinators_in_the_network(self) -> None:
        self.expect(
            reverse("treasury:open-fund", args=[self.network.slug]),
            coordinator=200,
            member=403,
            translator=403,
            steward=403,
            outsider=403,
            stranger=404,
            anonymous=LOGIN,
        )

    def test_a_coordinator_opens_the_fund_and_the_stewards_are_drawn(self) -> None:
        client = self.client_for(self.coordinator)
        network_page = client.get(self.network.get_absolute_url())
        self.assertContains(network_page, reverse("treasury:open-fund", args=[self.network.slug]))

        response = client.post(
            reverse("treasury:open-fund", args=[self.network.slug]),
            {
                "name": "Logistics Fund",
                "currency": "usd",
                "custodian": self.alpha.pk,
                **self.rules(emergency_limit="250.50"),
            },
        )
        fund = Fund.objects.get(network=self.network)
        self.assertRedirects(response, fund.get_absolute_url())
        self.assertEqual(
            (fund.name, fund.currency, fund.emergency_limit), ("Logistics Fund", "USD", 25050)
        )
        self.assertEqual([s.member for s in actions.serving_stewards(fund)], [self.steward])
        page = client.get(fund.get_absolute_url())
        self.assertContains(page, "Steward A")
        # The network page now links to the fund, for every member.
        self.assertContains(
            self.client_for(self.outsider).get(self.network.get_absolute_url()),
            fund.get_absolute_url(),
        )
        # A second visit to the opening form goes to the fund.
        self.assertRedirects(
            client.get(reverse("treasury:open-fund", args=[self.network.slug])),
            fund.get_absolute_url(),
        )

    def test_it_shows_the_actions_refusal_on_the_form(self) -> None:
        response = self.client_for(self.coordinator).post(
            reverse("treasury:open-fund", args=[self.network.slug]),
            {"name": "Fund", "currency": "XYZ", "custodian": self.alpha.pk, **self.rules()},
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Choose a currency by its ISO 4217 code")
        self.assertFalse(Fund.objects.exists())

    @staticmethod
    def rules(**changes: str) -> dict[str, str]:
        rules = {
            "weight_urgency": "3",
            "weight_strategy": "2",
            "weight_need": "2",
            "approvals_needed": "1",
            "steward_seats": "3",
            "emergency_limit": "0",
            "steward_term_days": "180",
            "report_days": "60",
            "reservation_days": "30",
        }
        return {**rules, **changes}


@frozen
class ContributionTests(FundTestCase):
    def form(self) -> dict[str, str]:
        response = self.client_for(self.steward).get(
            reverse("treasury:new-contribution", args=[self.fund.slug])
        )
        key = re.search(r'name="key" value="([^"]+)"', response.content.decode())
        assert key is not None
        return {
            "organization": str(self.beta.pk),
            "amount": "75.25",
            "currency": "USD",
            "received_on": "2025-03-09",
            "note": "March",
            "key": key.group(1),
        }

    def test_each_form_carries_a_fresh_key(self) -> None:
        self.assertNotEqual(self.form()["key"], self.form()["key"])

    def test_a_form_sent_twice_books_once(self) -> None:
        client = self.client_for(self.steward)
        url = reverse("treasury:new-contribution", args=[self.fund.slug])
        data = self.form()
        first = client.post(url, data, follow=True)
        self.assertContains(first, "Recorded in the ledger.")
        again = client.post(url, data, follow=True)
        self.assertContains(again, "This was already recorded; it was not booked again.")
        self.assertEqual(Contribution.objects.filter(fund=self.fund).count(), 1)
        self.assertEqual(self.available().minor, 7525)

    def test_a_key_used_for_another_contribution_books_nothing(self) -> None:
        client = self.client_for(self.steward)
        url = reverse("treasury:new-contribution", args=[self.fund.slug])
        data = self.form()
        client.post(url, data)
        response = client.post(url, {**data, "amount": "80.00"})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "This key was already used for a different transfer")
        self.assertEqual(self.available().minor, 7525)

    def test_an_amount_with_too_many_decimals_is_refused(self) -> None:
        response = self.client_for(self.steward).post(
            reverse("treasury:new-contribution", args=[self.fund.slug]),
            {**self.form(), "amount": "1.005"},
        )
        self.assertContains(response, "no more decimals than it has")
        self.assertFalse(Contribution.objects.exists())

    def test_a_contribution_against_a_pledge_shows_on_the_fund_page(self) -> None:
        pledge = actions.make_pledge(
            self.coordinator_b(),
            fund=self.fund,
            organization=self.beta,
            percent="10",
            period="month",
            currency="USD",
            declared_income="1000",
            starts_on=date(2025, 1, 1),
        )
        self.client_for(self.steward).post(
            reverse("treasury:new-contribution", args=[self.fund.slug]),
            {**self.form(), "pledge": str(pledge.pk), "amount": "100"},
        )
        page = self.client_for(self.outsider).get(self.fund.get_absolute_url())
        # Two months ended (January and February): 200.00 expected, 100.00 arrived.
        self.assertContains(page, "$200.00")
        self.assertContains(page, 'late: <bdi dir="ltr">$100.00</bdi> missing')

    def coordinator_b(self):  # type: ignore[no-untyped-def]
        from internationale.network.models import Member

        return Member.objects.get(display_name="Coordinator B")


@frozen
class FundPageTests(FundTestCase):
    def pledge(self, organization, coordinator, percent: str):  # type: ignore[no-untyped-def]
        return actions.make_pledge(
            coordinator,
            fund=self.fund,
            organization=organization,
            percent=percent,
            period="month",
            currency="USD",
            declared_income="1000",
            starts_on=date(2025, 1, 1),
        )

    def test_late_pledges_come_first(self) -> None:
        on_time = self.pledge(self.alpha, self.coordinator, "1")
        late = self.pledge(self.epsilon, self.coordinator_e, "5")
        actions.record_contribution(
            self.steward,
            fund=self.fund,
            organization=self.alpha,
            amount="20.00",
            currency="USD",
            received_on=TODAY,
            key="alpha-pledge",
            pledge=on_time,
        )
        page = self.client_for(self.member).get(self.fund.get_absolute_url()).content.decode()
        table = page[page.index('id="pledges"') :]
        self.assertLess(table.index("Epsilon Assembly"), table.index("Alpha Union"))
        self.assertIn('late: <bdi dir="ltr">$100.00</bdi> missing', table)
        self.assertIn("up to date", table)
        self.assertTrue(late.pk)

    def test_it_shows_the_rules_stewards_balances_and_the_two_registers(self) -> None:
        self.contribute(30_000, key="c1")
        actions.record_other(
            self.steward,
            fund=self.fund,
            organization=self.beta,
            kind="hours",
            description="Translation of the dossier",
            hours=12,
            given_on=TODAY,
        )
        actions.record_other(
            self.coordinator,
            fund=self.fund,
            organization=self.alpha,
            kind="risk",
            description="Hosted the meeting",
            given_on=TODAY,
        )
        page = self.client_for(self.outsider).get(self.fund.get_absolute_url())
        for text in (
            "Steward A",
            "Steward B",
            "Steward E",
            "Kenya",
            "$300.00",
            "are never converted into money",
            "Weight of urgency",
            "$500.00",
            "100 × amount ÷ (amount + the organization",
            "A draw is approved when 2 stewards approve it",
        ):
            self.assertContains(page, text)
        giving = {g.organization.name: g for g in page.context["giving"]}
        self.assertEqual(giving["Beta Collective"].hours, 12)
        self.assertEqual(giving["Alpha Union"].risk, 1)
        self.assertEqual(giving["Alpha Union"].money, [])
        # The outsider is neither a steward nor a coordinator: no forms offered.
        self.assertNotContains(page, reverse("treasury:new-contribution", args=[self.fund.slug]))
        self.assertNotContains(page, reverse("treasury:new-pledge", args=[self.fund.slug]))

    def test_it_offers_each_reader_their_own_forms(self) -> None:
        steward_page = self.client_for(self.steward).get(self.fund.get_absolute_url())
        for name in ("new-contribution", "exchange", "custody", "rules", "handover"):
            self.assertContains(steward_page, reverse(f"treasury:{name}", args=[self.fund.slug]))
        self.assertNotContains(steward_page, reverse("treasury:new-draw", args=[self.fund.slug]))
        coordinator_page = self.client_for(self.coordinator).get(self.fund.get_absolute_url())
        for name in ("new-pledge", "new-draw", "new-other"):
            self.assertContains(
                coordinator_page, reverse(f"treasury:{name}", args=[self.fund.slug])
            )
        self.assertNotContains(
            coordinator_page, reverse("treasury:new-contribution", args=[self.fund.slug])
        )

    def test_the_queue_is_ordered_by_score_and_links_each_draw(self) -> None:
        self.contribute(100_000, key="c1")
        later = self.request(10_000, needed_by=date(2025, 6, 1))
        sooner = self.request(10_000, organization=self.epsilon, needed_by=date(2025, 3, 12))
        page = self.client_for(self.member).get(self.fund.get_absolute_url()).content.decode()
        first = page.index(reverse("treasury:draw", args=[sooner.pk]))
        self.assertLess(first, page.index(reverse("treasury:draw", args=[later.pk])))

    def test_an_overdue_report_is_visible_to_every_member(self) -> None:
        self.contribute(100_000, key="c1")
        draw = self.approve(self.request(10_000), self.steward_b, self.steward_e)
        actions.pay_draw(self.steward_b, draw=draw)
        with time_machine.travel(T0 + timedelta(days=self.fund.report_days + 1), tick=False):
            page = self.client_for(self.outsider).get(self.fund.get_absolute_url())
        self.assertContains(page, "overdue")
        self.assertContains(page, reverse("treasury:draw", args=[draw.pk]))
        # What went out, by what it was for.
        self.assertContains(page, "Money paid out")
        self.assertContains(page, "strike hardship")
        self.assertContains(page, "$100.00")

    def test_a_coordinator_makes_and_cancels_a_pledge(self) -> None:
        client = self.client_for(self.coordinator)
        response = client.post(
            reverse("treasury:new-pledge", args=[self.fund.slug]),
            {
                "organization": self.alpha.pk,
                "percent": "2.5",
                "period": "quarter",
                "currency": "USD",
                "declared_income": "12000",
                "starts_on": "2025-04-01",
            },
        )
        self.assertRedirects(response, self.fund.get_absolute_url())
        pledge = Pledge.objects.get(fund=self.fund)
        self.assertEqual((pledge.basis_points, pledge.declared_income), (250, 1_200_000))
        page = client.get(self.fund.get_absolute_url())
        cancel = reverse("treasury:cancel-pledge", args=[pledge.pk])
        self.assertContains(page, cancel)
        self.assertNotContains(
            self.client_for(self.member).get(self.fund.get_absolute_url()), cancel
        )
        self.assertEqual(client.get(cancel).status_code, 405)
        client.post(cancel)
        self.assertIsNotNone(self.fresh(pledge).cancelled_on)

    def test_a_coordinator_pledges_only_for_their_own_organization(self) -> None:
        response = self.client_for(self.coordinator).post(
            reverse("treasury:new-pledge", args=[self.fund.slug]),
            {
                "organization": self.beta.pk,
                "percent": "2",
                "period": "month",
                "currency": "USD",
                "declared_income": "100",
                "starts_on": "2025-04-01",
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertFalse(Pledge.objects.exists())

    def test_it_records_what_is_not_money(self) -> None:
        response = self.client_for(self.coordinator).post(
            reverse("treasury:new-other", args=[self.fund.slug]),
            {
                "organization": self.alpha.pk,
                "kind": "insight",
                "description": "Mapped the supply chain",
                "given_on": "2025-03-01",
            },
        )
        self.assertRedirects(response, self.fund.get_absolute_url())
        self.assertEqual(OtherContribution.objects.get().kind, "insight")


@frozen
class StewardFormTests(FundTestCase):
    def test_an_exchange_books_both_legs_once(self) -> None:
        self.contribute(100_000, key="c1")
        client = self.client_for(self.steward)
        url = reverse("treasury:exchange", args=[self.fund.slug])
        key = re.search(r'name="key" value="([^"]+)"', client.get(url).content.decode())
        assert key is not None
        data = {
            "sold_amount": "100",
            "sold_currency": "USD",
            "bought_amount": "3200",
            "bought_currency": "try",
            "note": "At the bank",
            "key": key.group(1),
        }
        self.assertRedirects(client.post(url, data), self.fund.get_absolute_url())
        again = client.post(url, data, follow=True)
        self.assertContains(again, "This was already recorded; it was not booked again.")
        self.assertEqual(Transfer.objects.filter(fund=self.fund, category="exchange").count(), 2)
        balances = {
            b.currency: b.held.minor
            for b in self.client_for(self.member)
            .get(self.fund.get_absolute_url())
            .context["balances"]
        }
        self.assertEqual(balances, {"USD": 90_000, "TRY": 320_000})

    def test_custody_moves_to_another_organization(self) -> None:
        self.contribute(100_000, key="c1")
        response = self.client_for(self.steward).post(
            reverse("treasury:custody", args=[self.fund.slug]),
            {"currency": "USD", "organization": self.beta.pk},
        )
        self.assertRedirects(response, self.fund.get_absolute_url())
        page = self.client_for(self.member).get(self.fund.get_absolute_url())
        [usd] = page.context["balances"]
        self.assertEqual(usd.custodian, self.beta)

    def test_the_ledger_offers_corrections_to_stewards_and_books_the_reversal(self) -> None:
        contribution = self.contribute(5_000, key="c1", note="wrong amount")
        correct = reverse("treasury:correct", args=[contribution.transfer.pk])
        ledger = reverse("treasury:ledger", args=[self.fund.slug])
        self.assertNotContains(self.client_for(self.member).get(ledger), correct)
        self.assertContains(self.client_for(self.steward).get(ledger), correct)

        response = self.client_for(self.steward).post(correct, {"reason": "Typed 50 for 5"})
        reversal = Transfer.objects.get(reverses=contribution.transfer)
        self.assertRedirects(
            response,
            f"{ledger}?at={reversal.pk}#transfer-{reversal.pk}",
            fetch_redirect_response=False,
        )
        page = self.client_for(self.outsider).get(ledger)
        self.assertContains(page, "Typed 50 for 5")
        self.assertContains(page, "reversed later")
        self.assertContains(page, "reverses an earlier transfer")
        self.assertNotContains(self.client_for(self.steward).get(ledger), correct)
        self.assertEqual(self.available().minor, 0)
        # Asked again, the page says it is done.
        self.assertContains(self.client_for(self.steward).get(correct), "already corrected")

    def test_a_rules_proposal_is_adopted_by_the_stewards(self) -> None:
        client = self.client_for(self.steward)
        form = client.get(reverse("treasury:rules", args=[self.fund.slug]))
        data = {k: v for k, v in form.context["form"].initial.items()}
        data.update({"report_days": "30", "emergency_limit": "500.00", "reason": "Sooner reports"})
        data["public_summary"] = ""
        response = client.post(reverse("treasury:rules", args=[self.fund.slug]), data)
        proposal = Proposal.objects.get(fund=self.fund)
        self.assertRedirects(response, reverse("treasury:proposal", args=[proposal.pk]))
        self.assertEqual(proposal.rules, {"report_days": 30})

        page = self.client_for(self.outsider).get(reverse("treasury:proposal", args=[proposal.pk]))
        self.assertContains(page, "Days to report back")
        self.assertNotContains(page, 'value="approve"')
        url = reverse("treasury:proposal", args=[proposal.pk])
        self.assertEqual(
            self.client_for(self.outsider).post(url, {"choice": "approve"}).status_code, 403
        )

        steward_b = self.client_for(self.steward_b)
        self.assertContains(steward_b.get(url), 'value="approve"')
        refused = steward_b.post(url, {"choice": "object", "reason": ""})
        self.assertContains(refused, "An objection needs its reason.")
        steward_b.post(url, {"choice": "approve"})
        self.assertEqual(self.fresh(proposal).state, ProposalState.ADOPTED)
        self.assertEqual(self.fresh(self.fund).report_days, 30)

    def test_publishing_the_summary_opens_it_to_anyone_without_naming_private_organizations(
        self,
    ) -> None:
        self.contribute(10_000, key="c1")
        summary = reverse("treasury:summary", args=[self.fund.slug])
        self.assertEqual(self.client_for(None).get(summary).status_code, 404)
        proposal = actions.propose_rules(
            self.steward, fund=self.fund, rules={"public_summary": True}, reason="Openness"
        )
        actions.vote_on_proposal(self.steward_b, proposal=proposal, choice="approve", reason="")
        page = self.client_for(None).get(summary)
        self.assertEqual(page.status_code, 200)
        self.assertContains(page, "Other member organizations")
        self.assertContains(page, "$100.00")
        for name in ("Beta Collective", "Steward A", "Steward B"):
            self.assertNotContains(page, name)

    def test_a_handover_shows_the_rotation_before_it_is_put(self) -> None:
        url = reverse("treasury:handover", args=[self.fund.slug])
        page = self.client_for(self.steward).get(url)
        proposed = [m for m, _o in page.context["next_stewards"]]
        self.assertEqual(proposed, [m for m, _o in actions.draw_stewards(self.fund)])
        for member in proposed:
            self.assertContains(page, member.display_name)
        response = self.client_for(self.steward).post(url)
        proposal = Proposal.objects.get(fund=self.fund, kind="handover")
        self.assertRedirects(response, reverse("treasury:proposal", args=[proposal.pk]))
        self.assertContains(self.client_for(self.steward).get(url), "already waiting")

    def test_the_exports_are_downloads(self) -> None:
        self.contribute(5_000, key="c1")
        client = self.client_for(self.member)
        csv = client.get(reverse("treasury:export-csv", args=[self.fund.slug]))
        self.assertTrue(csv["Content-Type"].startswith("text/csv"))
        self.assertIn(f'filename="{self.fund.slug}-ledger.csv"', csv["Content-Disposition"])
        self.assertIn("contribution:c1", csv.content.decode())
        beancount = client.get(reverse("treasury:export-beancount", args=[self.fund.slug]))
        self.assertTrue(beancount["Content-Type"].startswith("text/plain"))
        self.assertIn(".beancount", beancount["Content-Disposition"])

    def test_the_ledger_pages_do_not_query_per_row(self) -> None:
        url = reverse("treasury:ledger", args=[self.fund.slug])
        client = self.client_for(self.steward)

        def queries() -> int:
            client.get(url)
            with CaptureQueriesContext(connection) as captured:
                self.assertEqual(client.get(url).status_code, 200)
            return len(captured)

        self.contribute(100, key="a")
        few = queries()
        for n in range(5):
            self.contribute(100, key=f"more-{n}", organization=self.epsilon)
        self.assertEqual(queries(), few)

    def test_the_fund_page_does_not_query_per_row(self) -> None:
        client = self.client_for(self.coordinator)

        def queries() -> int:
            client.get(self.fund.get_absolute_url())
            with CaptureQueriesContext(connection) as captured:
                self.assertEqual(client.get(self.fund.get_absolute_url()).status_code, 200)
            return len(captured)

        def grow(n: int) -> None:
            pledge = actions.make_pledge(
                self.coordinator_e,
                fund=self.fund,
                organization=self.epsilon,
                percent="1",
                period="month",
                currency="USD",
                declared_income="1000",
                starts_on=date(2025, 1, 1),
            )
            self.contribute(100_000, key=f"grow-{n}", organization=self.epsilon, pledge=pledge)
            actions.record_other(
                self.steward,
                fund=self.fund,
                organization=self.epsilon,
                kind="hours",
                description="Work",
                hours=3,
                given_on=TODAY,
            )
            draw = self.request(1_000, organization=self.epsilon)
            paid = self.approve(self.request(1_000), self.steward_b, self.steward_e)
            actions.pay_draw(self.steward_b, draw=paid)
            self.assertTrue(draw.pk)

        grow(0)
        few = queries()
        for n in range(1, 4):
            grow(n)
        self.assertEqual(queries(), few)
