"""The demo's fund: a year of history that balances, told through the actions."""

import io
from collections import defaultdict
from datetime import timedelta

from django.core.management import call_command
from django.db.models import Sum
from django.test import TestCase
from django.utils import timezone

from internationale.core.models import AuditEvent
from internationale.network.demo import load_demo as load_network_demo
from internationale.treasury.models import (
    Account,
    AccountKind,
    Category,
    Choice,
    Contribution,
    Custody,
    Draw,
    DrawState,
    Entry,
    Fund,
    OtherContribution,
    Pledge,
    Side,
    Transfer,
)
from internationale.treasury.reports import pledge_status
from internationale.treasury.verify import verify_fund


def load() -> None:
    call_command("demo", stdout=io.StringIO())


class DemoFundTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        load()
        cls.fund = Fund.objects.get(network__name="Logistics Workers Relay")

    def test_its_ledger_is_sound(self) -> None:
        self.assertEqual(verify_fund(self.fund), [])

    def test_no_holding_account_is_past_its_limit(self) -> None:
        held = Account.objects.filter(fund=self.fund, kind=AccountKind.HELD)
        self.assertTrue(held.exists())
        for account in held:
            self.assertGreaterEqual(
                account.credits_posted, account.debits_posted + account.debits_pending, account
            )

    def test_the_entries_of_each_currency_sum_to_zero(self) -> None:
        totals: dict[tuple[str, bool], int] = defaultdict(int)
        for row in (
            Entry.objects.filter(transfer__fund=self.fund)
            .values("account__currency", "side", "pending")
            .annotate(total=Sum("amount"))
        ):
            sign = 1 if row["side"] == Side.DEBIT else -1
            totals[(row["account__currency"], row["pending"])] += sign * row["total"]
        self.assertEqual({currency for currency, _ in totals}, {"USD", "TRY", "NGN", "BRL", "BDT"})
        self.assertEqual(set(totals.values()), {0})

    def test_the_ledger_spans_the_past_year(self) -> None:
        now = timezone.now()
        booked = Transfer.objects.filter(fund=self.fund).order_by("booked_at", "pk")
        first, last = booked.first(), booked.last()
        assert first is not None
        assert last is not None
        self.assertLess(first.booked_at, now - timedelta(days=300))
        self.assertLess(last.booked_at, now)
        self.assertEqual(
            list(booked.values_list("pk", flat=True)),
            list(Transfer.objects.filter(fund=self.fund).values_list("pk", flat=True)),
            "transfers are booked in the order of their dates",
        )

    def test_it_has_pledges_in_five_currencies_one_late_and_one_cancelled(self) -> None:
        pledges = Pledge.objects.filter(fund=self.fund)
        self.assertEqual(
            set(pledges.values_list("currency", flat=True)), {"USD", "TRY", "NGN", "BRL", "BDT"}
        )
        self.assertEqual(pledges.filter(cancelled_on__isnull=False).count(), 1)
        late = [s for s in pledge_status(self.fund, today=timezone.localdate()) if s.late]
        self.assertEqual([s.pledge.organization.country for s in late], ["NG"])
        self.assertGreaterEqual(Contribution.objects.filter(fund=self.fund).count(), 40)

    def test_it_has_custody_an_exchange_and_a_move(self) -> None:
        current = dict(
            Custody.objects.filter(fund=self.fund, current=True).values_list(
                "currency", "organization__country"
            )
        )
        self.assertEqual(current, {"USD": "US", "TRY": "TR", "NGN": "NG", "BRL": "BR", "BDT": "BD"})
        transfers = Transfer.objects.filter(fund=self.fund)
        self.assertEqual(transfers.filter(category=Category.EXCHANGE).count(), 2)
        self.assertEqual(transfers.filter(category=Category.CUSTODY).count(), 1)

    def test_the_register_names_what_is_not_money(self) -> None:
        others = set(
            OtherContribution.objects.filter(fund=self.fund).values_list(
                "organization__country", "kind"
            )
        )
        self.assertEqual(
            others, {("TR", "risk"), ("BD", "risk"), ("BR", "insight"), ("NG", "hours")}
        )

    def test_it_has_draws_in_each_state(self) -> None:
        draws = {draw.kind: draw for draw in Draw.objects.filter(fund=self.fund)}
        today = timezone.localdate()

        strike = draws["strike"]
        self.assertEqual(strike.state, DrawState.PAID)
        self.assertTrue(strike.reports.exists())

        raid = draws["repression"]
        self.assertTrue(raid.emergency)
        self.assertEqual(raid.state, DrawState.PAID)
        self.assertLess(raid.paid_amount, raid.amount)
        self.assertTrue(raid.report_overdue(today))

        flood = draws["disaster"]
        self.assertEqual(flood.state, DrawState.RESERVED)
        assert flood.reservation is not None
        assert flood.reservation.timeout_at is not None
        self.assertGreater(flood.reservation.timeout_at, timezone.now())

        actions = Draw.objects.filter(fund=self.fund, kind="action")
        in_review = actions.get(state=DrawState.REVIEW)
        self.assertTrue(in_review.blind)
        self.assertEqual(in_review.votes.count(), 1)
        returned = actions.get(state=DrawState.RETURNED)
        self.assertTrue(returned.votes.filter(choice=Choice.OBJECT).exclude(reason="").exists())

    def test_loading_again_changes_nothing(self) -> None:
        def counts() -> list[int]:
            return [
                model.objects.count()
                for model in (Fund, Transfer, Entry, Pledge, Contribution, Draw, AuditEvent)
            ]

        before = counts()
        load()
        self.assertEqual(counts(), before)


class DemoCommandTests(TestCase):
    def test_it_adds_the_fund_to_a_demo_network_loaded_before_the_treasury(self) -> None:
        load_network_demo()
        self.assertFalse(Fund.objects.exists())
        load()
        self.assertEqual(Fund.objects.get().network.name, "Logistics Workers Relay")
