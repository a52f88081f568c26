"""Stewards in rotation and the fund's rules: both change only by the serving stewards'
decision on a proposal."""

from datetime import timedelta

import time_machine
from django.core.exceptions import ValidationError

from internationale.core.models import AuditEvent
from internationale.treasury import actions
from internationale.treasury.models import Fund, ProposalState, Term, TermState
from internationale.treasury.tests.world import (
    T0,
    FundTestCase,
    add_member,
    add_organization,
    frozen,
)


@frozen
class RotationTests(FundTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        # Two organizations that never served, in countries that already have one.
        cls.omega = add_organization(
            cls.network, name="Omega Union", country="US", coordinator="Coordinator O"
        )
        cls.zeta = add_organization(
            cls.network, name="Zeta Circle", country="BR", coordinator="Coordinator Z"
        )
        cls.steward_o = add_member(cls.omega, "Steward O")
        cls.steward_z = add_member(cls.zeta, "Steward Z")

    def drawn(self) -> list[str]:
        return [organization.name for _member, organization in actions.draw_stewards(self.fund)]

    def hand_over(self) -> Term:
        proposal = actions.propose_handover(self.steward, fund=self.fund)
        actions.vote_on_proposal(self.steward_b, proposal=proposal, choice="approve", reason="")
        assert proposal.term is not None
        return self.fresh(proposal.term)

    def test_it_draws_organizations_that_never_served_then_one_per_country(self) -> None:
        # Alpha (US) and Beta (BR) come before Delta and Epsilon by name, but Omega (US) and
        # Zeta (BR), who never served, take those countries' seats first.
        self.assertEqual(
            self.drawn(), ["Omega Union", "Zeta Circle", "Delta Federation", "Epsilon Assembly"]
        )

    def test_it_draws_those_who_served_longest_ago_first(self) -> None:
        with time_machine.travel(T0 + timedelta(days=200), tick=False):
            self.hand_over()
        with time_machine.travel(T0 + timedelta(days=400), tick=False):
            self.assertEqual(
                self.drawn(),
                ["Alpha Union", "Beta Collective", "Delta Federation", "Epsilon Assembly"],
            )

    def test_it_fills_the_seats_from_the_same_countries_when_no_other_is_left(self) -> None:
        proposal = actions.propose_rules(
            self.steward, fund=self.fund, rules={"steward_seats": 6}, reason="Six seats."
        )
        actions.vote_on_proposal(self.steward_b, proposal=proposal, choice="approve", reason="")
        self.fund.refresh_from_db()
        drawn = self.drawn()
        self.assertEqual(len(drawn), 6)
        self.assertEqual(drawn[-2:], ["Alpha Union", "Beta Collective"])

    def test_a_handover_needs_the_serving_stewards_approval_then_the_new_term_serves(self) -> None:
        first = actions.serving_term(self.fund)
        with time_machine.travel(T0 + timedelta(days=200), tick=False):
            proposal = actions.propose_handover(self.steward, fund=self.fund)
            self.assertEqual(proposal.state, ProposalState.OPEN)
            self.assertEqual(actions.serving_term(self.fund), first)
            self.assertFalse(actions.is_steward(self.steward_o, self.fund))
            with self.assertRaisesMessage(ValidationError, "Only the fund's serving stewards"):
                actions.vote_on_proposal(
                    self.steward_o, proposal=proposal, choice="approve", reason=""
                )

            actions.vote_on_proposal(self.steward_b, proposal=proposal, choice="approve", reason="")

        term = actions.serving_term(self.fund)
        assert term is not None
        assert first is not None
        self.assertEqual(term.pk, proposal.term_id)
        self.assertEqual(self.fresh(first).state, TermState.ENDED)
        self.assertTrue(actions.is_steward(self.steward_o, self.fund))
        self.assertFalse(actions.is_steward(self.steward, self.fund))
        self.contribute_as(self.steward_o)
        with self.assertRaisesMessage(ValidationError, "Only the fund's serving stewards"):
            self.contribute(1_000, key="old-steward")
        self.assertTrue(AuditEvent.objects.filter(verb="fund.handover").exists())

    def contribute_as(self, steward: object) -> None:
        actions.record_contribution(
            steward,  # type: ignore[arg-type]
            fund=self.fund,
            organization=self.beta,
            amount=1_000,
            currency="USD",
            received_on=T0.date(),
            key="new-steward",
        )

    def test_one_objection_rejects_a_handover(self) -> None:
        first = actions.serving_term(self.fund)
        proposal = actions.propose_handover(self.steward, fund=self.fund)
        with self.assertRaisesMessage(ValidationError, "A handover is already waiting"):
            actions.propose_handover(self.steward_b, fund=self.fund)

        actions.vote_on_proposal(
            self.steward_b, proposal=proposal, choice="object", reason="Omega has no treasurer."
        )

        self.assertEqual(self.fresh(proposal).state, ProposalState.REJECTED)
        self.assertEqual(Term.objects.get(pk=proposal.term_id).state, TermState.REJECTED)
        self.assertEqual(actions.serving_term(self.fund), first)
        self.assertFalse(actions.is_steward(self.steward_o, self.fund))
        with self.assertRaisesMessage(ValidationError, "This proposal is already decided."):
            actions.vote_on_proposal(self.steward_e, proposal=proposal, choice="approve", reason="")


@frozen
class RulesTests(FundTestCase):
    def test_rules_change_only_when_the_stewards_adopt_them(self) -> None:
        proposal = actions.propose_rules(
            self.steward, fund=self.fund, rules={"approvals_needed": 3}, reason="More care."
        )
        self.assertEqual(Fund.objects.get(pk=self.fund.pk).approvals_needed, 2)
        self.contribute(100_000, key="c1")
        reserved_before = self.approve(self.request(1_000), self.steward_b, self.steward_e)
        self.assertEqual(reserved_before.state, "reserved")

        actions.vote_on_proposal(self.steward_b, proposal=proposal, choice="approve", reason="")

        self.assertEqual(self.fresh(proposal).state, ProposalState.ADOPTED)
        self.assertEqual(Fund.objects.get(pk=self.fund.pk).approvals_needed, 3)
        draw = self.approve(self.request(1_000, kind="action"), self.steward_b, self.steward_e)
        self.assertEqual(draw.state, "review")
        self.assertEqual(self.approve(draw, self.steward_d).state, "reserved")

    def test_an_adopted_change_of_rules_is_audited(self) -> None:
        proposal = actions.propose_rules(
            self.steward, fund=self.fund, rules={"report_days": 90}, reason="Harvest season."
        )
        actions.vote_on_proposal(self.steward_e, proposal=proposal, choice="approve", reason="")

        event = AuditEvent.objects.get(verb="fund.rules")
        self.assertEqual(event.data, {"before": {"report_days": 60}, "after": {"report_days": 90}})
        self.assertEqual(event.target_id, str(self.fund.pk))
        self.assertEqual(AuditEvent.objects.filter(verb="fund.propose_rules").count(), 1)

    def test_one_objection_keeps_the_rules(self) -> None:
        proposal = actions.propose_rules(
            self.steward, fund=self.fund, rules={"emergency_limit": 1}, reason="Too risky."
        )
        actions.vote_on_proposal(
            self.steward_d, proposal=proposal, choice="object", reason="Emergencies need it."
        )
        self.assertEqual(self.fresh(proposal).state, ProposalState.REJECTED)
        self.assertEqual(Fund.objects.get(pk=self.fund.pk).emergency_limit, 50_000)
        self.assertFalse(AuditEvent.objects.filter(verb="fund.rules").exists())

    def test_it_refuses_rules_that_cannot_work(self) -> None:
        with self.assertRaisesMessage(ValidationError, "cannot exceed the stewards per term"):
            actions.propose_rules(
                self.steward, fund=self.fund, rules={"approvals_needed": 5}, reason="x"
            )
        with self.assertRaisesMessage(ValidationError, "These are the rules already in force."):
            actions.propose_rules(
                self.steward, fund=self.fund, rules={"approvals_needed": 2}, reason="x"
            )
        with self.assertRaisesMessage(ValidationError, "Unknown rule"):
            actions.propose_rules(
                self.steward, fund=self.fund, rules={"currency": "EUR"}, reason="x"
            )
        with self.assertRaisesMessage(ValidationError, "Only the fund's serving stewards"):
            actions.propose_rules(
                self.coordinator, fund=self.fund, rules={"report_days": 90}, reason="x"
            )
        self.assertFalse(self.fund.proposals.exists())
