"""Custody moves, corrections and retries that must never strand, invent or refuse money."""

from datetime import timedelta

import time_machine
from django.core.exceptions import ValidationError

from internationale.core.money import Money
from internationale.treasury import actions, ledger, reports
from internationale.treasury.booking import Posting, book
from internationale.treasury.models import (
    Account,
    AccountKind,
    Category,
    Draw,
    DrawState,
    Transfer,
)
from internationale.treasury.tests.world import T0, TODAY, FundTestCase, frozen
from internationale.treasury.verify import verify_fund


def held(fund: object, currency: str) -> Money:
    balance = next(b for b in reports.balances(fund) if b.currency == currency)  # type: ignore[arg-type]
    return balance.held


@frozen
class CorrectionTests(FundTestCase):
    def test_correcting_an_exchange_reverses_both_legs(self) -> None:
        self.contribute(100_000, key="c1")
        sell, buy = actions.exchange_currency(
            self.steward,
            fund=self.fund,
            sold=Money(50_000, "USD"),
            bought=Money(45_000, "EUR"),
            key="bureau",
        )

        actions.correct_transfer(self.steward, transfer=sell, reason="Wrong bureau")

        self.assertEqual(held(self.fund, "USD"), Money(100_000, "USD"))
        self.assertEqual(held(self.fund, "EUR"), Money(0, "EUR"))
        self.assertEqual(Transfer.objects.filter(reverses__in=[sell, buy]).count(), 2)
        with self.assertRaisesMessage(ValidationError, "already corrected"):
            actions.correct_transfer(self.steward, transfer=buy, reason="Again")
        self.assertEqual(verify_fund(self.fund), [])

    def test_a_custody_move_is_undone_by_moving_custody_back(self) -> None:
        self.contribute(10_000, key="c1")
        actions.move_custody(self.steward, fund=self.fund, currency="USD", organization=self.beta)
        move = Transfer.objects.get(category="custody")
        with self.assertRaisesMessage(ValidationError, "Only a contribution or an exchange"):
            actions.correct_transfer(self.steward, transfer=move, reason="No")


@frozen
class CustodyTests(FundTestCase):
    def test_money_a_release_gives_back_to_a_former_holder_can_be_drawn(self) -> None:
        self.contribute(100_000, key="c1")
        first = self.approve(self.request(40_000), self.steward_b, self.steward_e)
        actions.move_custody(self.steward, fund=self.fund, currency="USD", organization=self.beta)
        actions.release_draw(self.steward, draw=first, reason="Not needed after all")
        self.assertEqual(held(self.fund, "USD"), Money(100_000, "USD"))

        second = self.approve(self.request(80_000), self.steward_b, self.steward_e)

        self.assertEqual(second.state, DrawState.RESERVED)
        beta = Account.objects.get(fund=self.fund, kind=AccountKind.HELD, organization=self.beta)
        self.assertEqual(beta.available, Money(20_000, "USD"))
        self.assertEqual(verify_fund(self.fund), [])

    def test_moves_in_the_same_second_each_move_the_money(self) -> None:
        self.contribute(10_000, key="c1")
        for organization in (self.beta, self.alpha, self.beta):
            actions.move_custody(
                self.steward, fund=self.fund, currency="USD", organization=organization
            )
        beta = Account.objects.get(fund=self.fund, kind=AccountKind.HELD, organization=self.beta)
        self.assertEqual(beta.available, Money(10_000, "USD"))
        self.assertEqual(Transfer.objects.filter(category="custody").count(), 3)

    def test_a_retry_after_a_custody_move_returns_the_first_booking(self) -> None:
        first = self.contribute(10_000, key="r1")
        actions.move_custody(self.steward, fund=self.fund, currency="USD", organization=self.beta)

        again = self.contribute(10_000, key="r1")

        self.assertEqual(again.pk, first.pk)
        with self.assertRaisesMessage(ValidationError, "already used"):
            self.contribute(10_000, key="r1", organization=self.epsilon)

    def test_an_exchange_retried_after_a_custody_move_returns_the_first_booking(self) -> None:
        self.contribute(100_000, key="c1")
        exchange = {"sold": Money(1_000, "USD"), "bought": Money(900, "EUR"), "key": "x"}
        first = actions.exchange_currency(self.steward, fund=self.fund, **exchange)  # type: ignore[arg-type]
        actions.move_custody(self.steward, fund=self.fund, currency="USD", organization=self.beta)

        again = actions.exchange_currency(self.steward, fund=self.fund, **exchange)  # type: ignore[arg-type]

        self.assertEqual([t.pk for t in again], [t.pk for t in first])


@frozen
class LapsedReservationTests(FundTestCase):
    def test_an_objection_after_the_reservation_lapsed_sends_the_request_back(self) -> None:
        self.contribute(100_000, key="c1")
        draw = self.approve(self.request(10_000, emergency=True), self.steward_b, self.steward_e)
        later = T0 + timedelta(days=self.fund.reservation_days + 1)
        with time_machine.travel(later, tick=False):
            self.contribute(1_000, key="c2")  # any booking on the account releases it
            draw = actions.vote_on_draw(
                self.steward_d, draw=draw, choice="object", strategy=2, reason="Too late."
            )
        self.assertEqual(draw.state, DrawState.RETURNED)
        self.assertEqual(verify_fund(self.fund), [])


@frozen
class PledgeCancellationTests(FundTestCase):
    def test_a_cancellation_cannot_erase_periods_that_passed(self) -> None:
        pledge = actions.make_pledge(
            self.coordinator,
            fund=self.fund,
            organization=self.alpha,
            percent="10",
            period="month",
            currency="USD",
            declared_income="1000",
            starts_on=TODAY - timedelta(days=100),
        )
        with self.assertRaisesMessage(ValidationError, "from today on"):
            actions.cancel_pledge(self.coordinator, pledge=pledge, on=TODAY - timedelta(days=90))
        actions.cancel_pledge(self.coordinator, pledge=pledge, on=TODAY)
        [status] = reports.pledge_status(self.fund, today=TODAY)
        self.assertTrue(status.late)


@frozen
class VerifyTests(FundTestCase):
    def test_it_finds_records_that_disagree_with_the_ledger(self) -> None:
        self.contribute(100_000, key="c1")
        draw = self.approve(self.request(10_000), self.steward_b, self.steward_e)
        actions.release_draw(self.steward, draw=draw, reason="Not needed")
        self.assertEqual(verify_fund(self.fund), [])

        Draw.objects.filter(pk=draw.pk).update(state=DrawState.RESERVED)
        self.assertIn(
            f"draw {draw.pk}: approved, but its reservation was closed", verify_fund(self.fund)
        )

    def test_it_finds_an_exchange_undone_on_one_leg_only(self) -> None:
        self.contribute(100_000, key="c1")
        sell, _buy = actions.exchange_currency(
            self.steward,
            fund=self.fund,
            sold=Money(1_000, "USD"),
            bought=Money(900, "EUR"),
            key="x",
        )
        # What the actions refuse to do, written straight through the booking layer.
        book(
            None,
            self.fund,
            [
                [
                    Posting(
                        transfer=ledger.Transfer(
                            id="half",
                            debit=sell.credit.code,
                            credit=sell.debit.code,
                            amount=sell.amount,
                            reverses=sell.key,
                        ),
                        category=Category.CORRECTION,
                    )
                ]
            ],
            now=T0,
        )
        self.assertIn(
            "exchange:x: an exchange must have two legs, both standing or undone",
            verify_fund(self.fund),
        )
