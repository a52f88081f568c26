"""Draws: review by N of M stewards, objections and new rounds, reservations, the emergency
fast track, payment in full or in part, and reports back."""

from datetime import timedelta

import time_machine
from django.core.exceptions import ValidationError

from internationale.core.models import AuditEvent
from internationale.core.money import Money
from internationale.treasury import actions, reports
from internationale.treasury.models import (
    Category,
    DrawState,
    DrawVote,
    Report,
    Transfer,
    TransferKind,
)
from internationale.treasury.tests.world import T0, TODAY, FundTestCase, frozen


def snapshot() -> tuple[int, int, int]:
    return Transfer.objects.count(), DrawVote.objects.count(), AuditEvent.objects.count()


@frozen
class ReviewTests(FundTestCase):
    def setUp(self) -> None:
        self.contribute(100_000, key="c1")

    def test_it_reserves_the_money_at_the_nth_approval(self) -> None:
        draw = self.request(40_000)

        draw = self.approve(draw, self.steward_b)
        self.assertEqual(draw.state, DrawState.REVIEW)
        self.assertEqual(self.available(), Money(100_000, "USD"))

        draw = self.approve(draw, self.steward_e)
        self.assertEqual(draw.state, DrawState.RESERVED)
        reservation = Transfer.objects.get(pk=draw.reservation_id)
        self.assertEqual(
            (reservation.kind, reservation.amount, reservation.category),
            (TransferKind.PENDING, 40_000, Category.DRAW),
        )
        self.assertEqual(self.available(), Money(60_000, "USD"))
        self.assertEqual(self.pool().reserved, Money(40_000, "USD"))

    def test_a_recused_steward_never_blocks_a_request(self) -> None:
        actions.propose_rules(
            self.steward, fund=self.fund, rules={"approvals_needed": 4}, reason="All of us."
        )
        actions.vote_on_proposal(
            self.steward_b, proposal=self.fund.proposals.get(), choice="approve", reason=""
        )
        draw = self.request(10_000)  # Alpha's own steward may not vote on it
        self.assertEqual(actions.approvals_needed(draw), 3)

        draw = self.approve(draw, self.steward_b, self.steward_e)
        self.assertEqual(draw.state, DrawState.REVIEW)
        draw = self.approve(draw, self.steward_d)
        self.assertEqual(draw.state, DrawState.RESERVED)

    def test_a_steward_of_the_requesting_organization_cannot_vote(self) -> None:
        draw = self.request(40_000)
        before = snapshot()

        with self.assertRaisesMessage(ValidationError, "member of the requesting organization"):
            actions.vote_on_draw(self.steward, draw=draw, choice="approve", strategy=5)

        self.assertEqual(snapshot(), before)
        self.assertFalse(actions.may_vote(self.steward, draw))
        self.assertTrue(actions.may_vote(self.steward_b, draw))

    def test_only_serving_stewards_vote_and_only_once_a_round(self) -> None:
        draw = self.request(40_000)
        with self.assertRaisesMessage(ValidationError, "Only the fund's serving stewards"):
            actions.vote_on_draw(self.outsider, draw=draw, choice="approve", strategy=3)
        self.approve(draw, self.steward_b)
        with self.assertRaisesMessage(ValidationError, "You have already voted on this."):
            self.approve(draw, self.steward_b)
        self.assertEqual(DrawVote.objects.count(), 1)

    def test_one_reasoned_objection_sends_the_request_back(self) -> None:
        draw = self.approve(self.request(40_000), self.steward_b)
        with self.assertRaisesMessage(ValidationError, "An objection needs its reason."):
            actions.vote_on_draw(self.steward_e, draw=draw, choice="object", strategy=2)

        draw = actions.vote_on_draw(
            self.steward_e, draw=draw, choice="object", strategy=2, reason="No evidence yet."
        )

        self.assertEqual(draw.state, DrawState.RETURNED)
        self.assertIsNone(draw.reservation_id)
        with self.assertRaisesMessage(ValidationError, "not waiting for a decision"):
            self.approve(draw, self.steward_d)
        self.assertEqual(self.available(), Money(100_000, "USD"))

    def test_a_resubmission_starts_a_new_round(self) -> None:
        draw = self.approve(self.request(40_000), self.steward_b)
        draw = actions.vote_on_draw(
            self.steward_e, draw=draw, choice="object", strategy=2, reason="Too much."
        )
        self.assertEqual(draw.round, 1)

        draw = actions.resubmit_draw(self.coordinator, draw=draw, amount=30_000)

        self.assertEqual((draw.state, draw.round, draw.amount), (DrawState.REVIEW, 2, 30_000))
        # The approval of the first round does not count in the second.
        draw = self.approve(draw, self.steward_d)
        self.assertEqual(draw.state, DrawState.REVIEW)
        draw = self.approve(draw, self.steward_b)
        self.assertEqual(draw.state, DrawState.RESERVED)
        self.assertEqual(draw.reservation.amount, 30_000)
        self.assertEqual(self.available(), Money(70_000, "USD"))

    def test_only_a_request_sent_back_is_resubmitted(self) -> None:
        draw = self.request(40_000)
        with self.assertRaisesMessage(ValidationError, "Only a request that was sent back"):
            actions.resubmit_draw(self.coordinator, draw=draw, amount=30_000)


@frozen
class PoolLimitTests(FundTestCase):
    def test_an_approval_beyond_the_pool_is_refused_and_nothing_changes(self) -> None:
        self.contribute(10_000, key="c1")
        self.approve(self.request(8_000), self.steward_b, self.steward_e)
        second = self.approve(self.request(5_000, kind="disaster"), self.steward_b)
        before = snapshot()

        with self.assertRaisesMessage(ValidationError, "The fund does not have that much"):
            self.approve(second, self.steward_e)

        self.assertEqual(snapshot(), before)
        self.assertEqual(self.fresh(second).state, DrawState.REVIEW)
        self.assertEqual(self.available(), Money(2_000, "USD"))
        self.assertEqual(self.pool().reserved, Money(8_000, "USD"))


@frozen
class EmergencyTests(FundTestCase):
    rules = {"approvals_needed": 3}

    def setUp(self) -> None:
        self.contribute(100_000, key="c1")

    def test_two_approvals_reserve_an_emergency_draw_up_to_the_limit(self) -> None:
        with self.assertRaisesMessage(ValidationError, "The fast track is for up to"):
            self.request(50_001, emergency=True)
        draw = self.request(50_000, emergency=True)

        draw = self.approve(draw, self.steward_b, self.steward_e)

        self.assertEqual(draw.state, DrawState.RESERVED)
        self.assertEqual(self.available(), Money(50_000, "USD"))
        ordinary = self.approve(self.request(1_000), self.steward_b, self.steward_e)
        self.assertEqual(ordinary.state, DrawState.REVIEW)  # three approvals needed

    def test_another_stewards_objection_releases_an_unpaid_reservation(self) -> None:
        draw = self.approve(self.request(50_000, emergency=True), self.steward_b, self.steward_e)

        draw = actions.vote_on_draw(
            self.steward_d, draw=draw, choice="object", strategy=1, reason="Not an emergency."
        )

        self.assertEqual(draw.state, DrawState.RETURNED)
        self.assertEqual(self.available(), Money(100_000, "USD"))
        self.assertEqual(self.pool().reserved, Money(0, "USD"))
        void = Transfer.objects.get(kind=TransferKind.VOID_PENDING)
        self.assertEqual(void.category, Category.DRAW)
        self.assertTrue(DrawVote.objects.get(steward=self.steward_d).after_decision)

    def test_an_objection_after_payment_changes_no_money(self) -> None:
        draw = self.approve(self.request(50_000, emergency=True), self.steward_b, self.steward_e)
        actions.pay_draw(self.steward_b, draw=draw)

        draw = actions.vote_on_draw(
            self.steward_d, draw=draw, choice="object", strategy=1, reason="Not an emergency."
        )

        self.assertEqual(self.fresh(draw).state, DrawState.PAID)
        self.assertEqual(self.available(), Money(50_000, "USD"))
        self.assertTrue(AuditEvent.objects.filter(verb="draw.objected_after_payment").exists())


@frozen
class PaymentTests(FundTestCase):
    def setUp(self) -> None:
        self.contribute(100_000, key="c1")
        self.draw = self.approve(self.request(40_000), self.steward_b, self.steward_e)

    def test_a_partial_payment_releases_the_rest(self) -> None:
        draw = actions.pay_draw(self.steward_d, draw=self.draw, amount="250.00")

        self.assertEqual((draw.state, draw.paid_amount), (DrawState.PAID, 25_000))
        self.assertEqual(self.available(), Money(75_000, "USD"))
        self.assertEqual(self.pool().reserved, Money(0, "USD"))
        self.assertEqual(draw.payment.kind, TransferKind.POST_PENDING)
        self.assertEqual(draw.report_due, TODAY + timedelta(days=self.fund.report_days))

    def test_a_draw_is_paid_once_and_never_more_than_reserved(self) -> None:
        with self.assertRaisesMessage(ValidationError, "at most the amount reserved"):
            actions.pay_draw(self.steward_d, draw=self.draw, amount=40_001)
        actions.pay_draw(self.steward_d, draw=self.draw)
        with self.assertRaisesMessage(ValidationError, "Only an approved draw with money reserved"):
            actions.pay_draw(self.steward_d, draw=self.draw)
        self.assertEqual(Transfer.objects.filter(kind=TransferKind.POST_PENDING).count(), 1)
        self.assertEqual(self.available(), Money(60_000, "USD"))

    def test_a_release_gives_the_money_back_to_the_pool(self) -> None:
        draw = actions.release_draw(self.steward_d, draw=self.draw, reason="They found it.")
        self.assertEqual(draw.state, DrawState.RELEASED)
        self.assertEqual(self.available(), Money(100_000, "USD"))

    def test_the_receiving_organization_reports_after_payment(self) -> None:
        with self.assertRaisesMessage(ValidationError, "Only a paid draw is reported on."):
            actions.report_on_draw(self.member, draw=self.draw, text="Early", spent=0)
        draw = actions.pay_draw(self.steward_d, draw=self.draw, amount=30_000)
        with self.assertRaisesMessage(ValidationError, "Only members of the receiving"):
            actions.report_on_draw(self.outsider, draw=draw, text="Not ours", spent=0)
        with self.assertRaisesMessage(ValidationError, "Enter at most the amount paid out."):
            actions.report_on_draw(self.member, draw=draw, text="Too much", spent=30_001)

        report = actions.report_on_draw(
            self.member, draw=draw, text="Paid two weeks of strike pay.", spent="300.00"
        )

        self.assertEqual((report.draw_id, report.spent), (draw.pk, 30_000))
        self.assertEqual(Report.objects.count(), 1)

    def test_an_overdue_report_shows_in_the_report_status(self) -> None:
        draw = actions.pay_draw(self.steward_d, draw=self.draw)
        due = TODAY + timedelta(days=self.fund.report_days)

        [on_time] = reports.report_status(self.fund, today=due)
        self.assertEqual(
            (on_time.draw.pk, on_time.reported, on_time.overdue), (draw.pk, False, False)
        )
        [late] = reports.report_status(self.fund, today=due + timedelta(days=1))
        self.assertTrue(late.overdue)
        self.assertTrue(self.fresh(draw).report_overdue(due + timedelta(days=1)))

        with time_machine.travel(T0 + timedelta(days=70), tick=False):
            actions.report_on_draw(self.member, draw=draw, text="Used for rent.", spent=40_000)
        [reported] = reports.report_status(self.fund, today=due + timedelta(days=1))
        self.assertEqual((reported.reported, reported.overdue), (True, False))
