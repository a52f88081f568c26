"""Booking money into the database: idempotent keys, balanced entries, append-only rows,
expiry of reservations, corrections and exchanges."""

from datetime import timedelta

import time_machine
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.db.models import Sum

from internationale.core.models import AuditEvent
from internationale.core.money import Money
from internationale.treasury import actions
from internationale.treasury.booking import AUDIT_VERB
from internationale.treasury.models import (
    Account,
    Category,
    Contribution,
    DrawState,
    Entry,
    Side,
    Transfer,
    TransferKind,
)
from internationale.treasury.tests.world import T0, FundTestCase, frozen


def sums_of_entries(account: Account) -> dict[str, int]:
    totals = {"debits_posted": 0, "credits_posted": 0, "debits_pending": 0, "credits_pending": 0}
    for side, pending, amount in Entry.objects.filter(account=account).values_list(
        "side", "pending", "amount"
    ):
        totals[
            f"{'debits' if side == Side.DEBIT else 'credits'}_{'pending' if pending else 'posted'}"
        ] += amount
    return totals


def balance_fields(account: Account) -> dict[str, int]:
    account.refresh_from_db()
    return {
        "debits_posted": account.debits_posted,
        "credits_posted": account.credits_posted,
        "debits_pending": account.debits_pending,
        "credits_pending": account.credits_pending,
    }


@frozen
class ContributionKeyTests(FundTestCase):
    def test_it_books_a_retried_contribution_once(self) -> None:
        first = self.contribute(10_000, key="bank-2025-03-001")
        again = self.contribute(10_000, key="bank-2025-03-001")

        self.assertEqual(first.pk, again.pk)
        self.assertEqual(Transfer.objects.filter(key="contribution:bank-2025-03-001").count(), 1)
        self.assertEqual(Contribution.objects.count(), 1)
        self.assertEqual(self.available(), Money(10_000, "USD"))
        self.assertEqual(AuditEvent.objects.filter(verb=AUDIT_VERB).count(), 1)

    def test_it_refuses_the_same_key_with_another_amount_and_writes_nothing(self) -> None:
        self.contribute(10_000, key="bank-001")
        transfers, entries, events = (
            Transfer.objects.count(),
            Entry.objects.count(),
            AuditEvent.objects.count(),
        )

        with self.assertRaisesMessage(
            ValidationError,
            "This key was already used for a different transfer; nothing was booked.",
        ):
            self.contribute(9_999, key="bank-001")

        self.assertEqual(
            (Transfer.objects.count(), Entry.objects.count(), AuditEvent.objects.count()),
            (transfers, entries, events),
        )
        self.assertEqual(self.available(), Money(10_000, "USD"))

    def test_it_refuses_the_same_key_from_another_organization(self) -> None:
        self.contribute(10_000, key="bank-001", organization=self.beta)

        with self.assertRaisesMessage(ValidationError, "This key was already used"):
            self.contribute(10_000, key="bank-001", organization=self.epsilon)

        self.assertEqual(Contribution.objects.count(), 1)

    def test_it_refuses_a_batch_that_repeats_a_key(self) -> None:
        receipt = actions.Receipt(
            organization=self.beta,
            amount=Money(100, "USD"),
            received_on=T0.date(),
            key="same",
        )
        with self.assertRaisesMessage(
            ValidationError, "Each transfer of a batch needs its own key."
        ):
            actions.record_contributions(self.steward, fund=self.fund, receipts=[receipt, receipt])
        self.assertFalse(Transfer.objects.exists())

    def test_it_lets_only_stewards_record_money(self) -> None:
        with self.assertRaisesMessage(ValidationError, "Only the fund's serving stewards"):
            actions.record_contribution(
                self.coordinator,
                fund=self.fund,
                organization=self.beta,
                amount=100,
                currency="USD",
                received_on=T0.date(),
                key="k",
            )
        self.assertFalse(Transfer.objects.exists())


@frozen
class LedgerRowTests(FundTestCase):
    def setUp(self) -> None:
        self.contribute(30_000, key="c1", organization=self.beta)
        self.contribute(20_000, key="c2", organization=self.epsilon)
        draw = self.approve(self.request(12_000), self.steward_b, self.steward_e)
        actions.pay_draw(self.steward_b, draw=draw, amount=10_000)
        self.approve(self.request(5_000, kind="repression"), self.steward_b, self.steward_e)

    def test_it_writes_entries_that_sum_to_zero_per_transfer(self) -> None:
        transfers = Transfer.objects.all()
        self.assertEqual(transfers.count(), 5)  # two contributions, two reservations, a payment
        for transfer in transfers:
            debits = transfer.entries.filter(side=Side.DEBIT).aggregate(s=Sum("amount"))["s"]
            credits = transfer.entries.filter(side=Side.CREDIT).aggregate(s=Sum("amount"))["s"]
            self.assertEqual(debits, credits, transfer.key)
            self.assertGreaterEqual(transfer.entries.count(), 2)

    def test_it_keeps_balances_equal_to_the_sums_of_their_entries(self) -> None:
        accounts = Account.objects.filter(fund=self.fund)
        self.assertGreaterEqual(accounts.count(), 5)
        for account in accounts:
            self.assertEqual(balance_fields(account), sums_of_entries(account), account.code)
        pool = self.pool()
        self.assertEqual(pool.available, Money(50_000 - 10_000 - 5_000, "USD"))
        self.assertEqual(pool.reserved, Money(5_000, "USD"))

    def test_it_records_one_audit_event_per_transfer(self) -> None:
        for transfer in Transfer.objects.all():
            self.assertEqual(
                AuditEvent.objects.filter(
                    verb=AUDIT_VERB, target_type="treasury.transfer", target_id=str(transfer.pk)
                ).count(),
                1,
            )

    def assert_refused(self, statement: str) -> None:
        with self.assertRaises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement)

    def test_the_database_refuses_to_change_or_delete_a_transfer(self) -> None:
        transfer = Transfer.objects.get(key="contribution:c1")
        self.assert_refused(f"UPDATE treasury_transfer SET amount = 1 WHERE id = {transfer.pk}")
        self.assert_refused(f"DELETE FROM treasury_transfer WHERE id = {transfer.pk}")
        self.assertEqual(Transfer.objects.get(pk=transfer.pk).amount, 30_000)

    def test_the_database_refuses_to_change_or_delete_an_entry(self) -> None:
        entry = Entry.objects.filter(transfer__key="contribution:c1").first()
        assert entry is not None
        self.assert_refused(f"UPDATE treasury_entry SET amount = 1 WHERE id = {entry.pk}")
        self.assert_refused(f"DELETE FROM treasury_entry WHERE id = {entry.pk}")
        self.assert_refused("DELETE FROM treasury_entry")
        self.assertEqual(Entry.objects.get(pk=entry.pk).amount, 30_000)


@frozen
class ExpiryTests(FundTestCase):
    def test_it_releases_a_reservation_past_its_time_at_the_next_booking_on_the_account(
        self,
    ) -> None:
        self.contribute(10_000, key="c1")
        draw = self.approve(self.request(8_000), self.steward_b, self.steward_e)
        reservation = Transfer.objects.get(pk=draw.reservation_id)
        self.assertEqual(reservation.timeout_at, T0 + timedelta(days=30))

        with time_machine.travel(T0 + timedelta(days=29, hours=23), tick=False):
            self.contribute(1_000, key="c2")
        self.assertFalse(Transfer.objects.filter(category=Category.EXPIRY).exists())
        self.assertEqual(self.available(), Money(3_000, "USD"))

        with time_machine.travel(T0 + timedelta(days=30, seconds=1), tick=False):
            self.contribute(1_000, key="c3")

        expiry = Transfer.objects.get(category=Category.EXPIRY)
        self.assertEqual(expiry.kind, TransferKind.VOID_PENDING)
        self.assertEqual(expiry.pending_id, reservation.pk)
        self.assertEqual(expiry.key, f"{reservation.key}:expired")
        self.assertEqual(self.available(), Money(12_000, "USD"))
        self.assertEqual(self.pool().reserved, Money(0, "USD"))
        self.assertEqual(
            AuditEvent.objects.filter(verb=AUDIT_VERB, target_id=str(expiry.pk)).count(), 1
        )

    def test_the_worker_marks_the_expired_draw_released(self) -> None:
        self.contribute(10_000, key="c1")
        draw = self.approve(self.request(8_000), self.steward_b, self.steward_e)

        with time_machine.travel(T0 + timedelta(days=31), tick=False):
            self.assertEqual(actions.expire_reservations(self.fund), 1)
            self.assertEqual(actions.expire_reservations(self.fund), 0)

        self.assertEqual(self.fresh(draw).state, DrawState.RELEASED)
        self.assertEqual(Transfer.objects.filter(category=Category.EXPIRY).count(), 1)
        self.assertEqual(self.available(), Money(10_000, "USD"))

    def test_a_draw_whose_reservation_expired_cannot_be_paid(self) -> None:
        self.contribute(10_000, key="c1")
        draw = self.approve(self.request(8_000), self.steward_b, self.steward_e)

        with time_machine.travel(T0 + timedelta(days=31), tick=False):
            self.contribute(1_000, key="c2")  # releases the reservation
            with self.assertRaisesMessage(ValidationError, "This reservation has expired."):
                actions.pay_draw(self.steward_b, draw=draw)

        self.assertFalse(Transfer.objects.filter(category=Category.DRAW, kind="post_pending"))
        self.assertEqual(self.available(), Money(11_000, "USD"))


@frozen
class CorrectionTests(FundTestCase):
    def test_it_reverses_a_contribution_once_only(self) -> None:
        contribution = self.contribute(10_000, key="c1")
        transfer = contribution.transfer

        reversal = actions.correct_transfer(self.steward, transfer=transfer, reason="Typo")

        self.assertEqual(reversal.reverses_id, transfer.pk)
        self.assertEqual(
            (reversal.debit_id, reversal.credit_id), (transfer.credit_id, transfer.debit_id)
        )
        self.assertEqual(reversal.amount, 10_000)
        self.assertEqual(self.available(), Money(0, "USD"))
        with self.assertRaisesMessage(ValidationError, "This transfer was already corrected."):
            actions.correct_transfer(self.steward, transfer=transfer, reason="Again")
        self.assertEqual(Transfer.objects.filter(category=Category.CORRECTION).count(), 1)
        self.assertEqual(AuditEvent.objects.filter(verb="transfer.correct").count(), 1)

    def test_it_refuses_a_correction_that_would_take_reserved_money(self) -> None:
        contribution = self.contribute(10_000, key="c1")
        self.approve(self.request(8_000), self.steward_b, self.steward_e)

        with self.assertRaisesMessage(ValidationError, "The fund does not have that much"):
            actions.correct_transfer(self.steward, transfer=contribution.transfer, reason="Typo")
        self.assertFalse(Transfer.objects.filter(category=Category.CORRECTION).exists())

    def test_it_corrects_only_money_that_came_in_or_moved(self) -> None:
        self.contribute(10_000, key="c1")
        draw = self.approve(self.request(8_000), self.steward_b, self.steward_e)
        with self.assertRaisesMessage(
            ValidationError, "Only a contribution or an exchange can be corrected."
        ):
            actions.correct_transfer(self.steward, transfer=draw.reservation, reason="No")


@frozen
class ExchangeTests(FundTestCase):
    def test_it_books_an_exchange_as_two_linked_transfers_with_both_exact_amounts(self) -> None:
        self.contribute(100_000, key="c1")

        legs = actions.exchange_currency(
            self.steward,
            fund=self.fund,
            sold=Money(30_000, "USD"),
            bought=Money(1_012_345, "TRY"),
            key="bureau-7",
        )

        sell, buy = legs
        self.assertEqual(
            (sell.key, sell.amount, sell.debit.currency), ("exchange:bureau-7:sell", 30_000, "USD")
        )
        self.assertEqual(
            (buy.key, buy.amount, buy.credit.currency), ("exchange:bureau-7:buy", 1_012_345, "TRY")
        )
        self.assertEqual(sell.link, buy.link)
        self.assertEqual(self.available(), Money(70_000, "USD"))
        held_try = Account.objects.get(fund=self.fund, kind="held", currency="TRY")
        self.assertEqual(held_try.available, Money(1_012_345, "TRY"))
        stored = {f.name for f in Transfer._meta.get_fields()}
        self.assertFalse({"rate", "exchange_rate"} & stored)

    def test_it_refuses_an_exchange_beyond_what_the_fund_holds_and_books_neither_leg(self) -> None:
        self.contribute(10_000, key="c1")
        with self.assertRaisesMessage(ValidationError, "The fund does not have that much"):
            actions.exchange_currency(
                self.steward,
                fund=self.fund,
                sold=Money(10_001, "USD"),
                bought=Money(400_000, "TRY"),
                key="bureau-8",
            )
        self.assertFalse(Transfer.objects.filter(category=Category.EXCHANGE).exists())
        self.assertEqual(self.available(), Money(10_000, "USD"))

    def test_a_retried_exchange_books_once(self) -> None:
        self.contribute(100_000, key="c1")
        for _attempt in range(2):
            actions.exchange_currency(
                self.steward,
                fund=self.fund,
                sold=Money(30_000, "USD"),
                bought=Money(1_000_000, "TRY"),
                key="bureau-9",
            )
        self.assertEqual(Transfer.objects.filter(category=Category.EXCHANGE).count(), 2)
        self.assertEqual(self.available(), Money(70_000, "USD"))


def test_the_positional_columns_of_a_transfer_follow_the_model() -> None:
    from internationale.treasury.booking import _TRANSFER_ATTNAMES
    from internationale.treasury.models import Transfer

    assert [f.attname for f in Transfer._meta.concrete_fields][1:] == _TRANSFER_ATTNAMES
