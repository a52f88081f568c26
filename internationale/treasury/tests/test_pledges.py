"""Pledges: what each period expects, in whole minor units, and what arrived."""

from datetime import date

from django.core.exceptions import ValidationError

from internationale.core.money import Money
from internationale.network.models import Member
from internationale.treasury import actions, reports
from internationale.treasury.models import Pledge
from internationale.treasury.tests.world import TODAY, FundTestCase, frozen


@frozen
class PledgeTests(FundTestCase):
    def pledge(self, *, organization: object = None, **fields: object) -> Pledge:
        organization = organization or self.beta
        coordinator = Member.objects.get(
            display_name="Coordinator B" if organization == self.beta else "Coordinator E"
        )
        return actions.make_pledge(
            coordinator,
            fund=self.fund,
            organization=organization,  # type: ignore[arg-type]
            percent=str(fields.pop("percent", "2.5")),
            period=str(fields.pop("period", "month")),
            currency="USD",
            declared_income=str(fields.pop("income", "1234.57")),
            starts_on=fields.pop("starts_on", date(2025, 1, 1)),  # type: ignore[arg-type]
        )

    def test_it_expects_a_share_of_income_rounded_down_to_the_minor_unit(self) -> None:
        pledge = self.pledge(percent="2.5", income="1234.57")
        self.assertEqual(pledge.basis_points, 250)
        self.assertEqual(pledge.per_period, Money(3086, "USD"))  # 3086.425 cents

    def test_it_computes_the_expectation_with_integers_not_floats(self) -> None:
        # 2**53 + 1 cents: a float would lose the last cent.
        pledge = self.pledge(percent="100", income="90071992547409.93")
        self.assertEqual(pledge.per_period, Money(9_007_199_254_740_993, "USD"))
        small = self.pledge(percent="0.01", income="99.99")
        self.assertEqual(small.per_period, Money(0, "USD"))

    def test_it_refuses_a_share_it_cannot_hold_exactly(self) -> None:
        for percent in ("0", "100.01", "2.555", "two"):
            with self.assertRaises(ValidationError, msg=percent):
                self.pledge(percent=percent)
        self.assertFalse(Pledge.objects.exists())

    def test_only_the_organizations_coordinators_pledge(self) -> None:
        with self.assertRaisesMessage(ValidationError, "Only coordinators of Beta Collective"):
            actions.make_pledge(
                self.coordinator,
                fund=self.fund,
                organization=self.beta,
                percent="1",
                period="month",
                currency="USD",
                declared_income="100",
                starts_on=TODAY,
            )

    def test_it_sets_expected_against_arrived_per_month_and_per_quarter(self) -> None:
        monthly = self.pledge(period="month", income="1000.00", percent="10")  # 100.00
        quarterly = self.pledge(
            organization=self.epsilon,
            period="quarter",
            income="3000.00",
            percent="5",  # 150.00
            starts_on=date(2024, 10, 1),
        )
        self.contribute(15_000, key="m1", organization=self.beta, pledge=monthly)
        self.contribute(15_000, key="q1", organization=self.epsilon, pledge=quarterly)
        self.contribute(99_999, key="gift", organization=self.beta)  # no pledge

        # 10 March 2025: January and February have ended; of the quarters, only the last of 2024.
        by_pledge = {s.pledge.pk: s for s in reports.pledge_status(self.fund, today=TODAY)}

        month = by_pledge[monthly.pk]
        self.assertEqual(
            (month.periods, month.expected, month.arrived),
            (2, Money(20_000, "USD"), Money(15_000, "USD")),
        )
        self.assertEqual(month.shortfall, Money(5_000, "USD"))
        quarter = by_pledge[quarterly.pk]
        self.assertEqual(
            (quarter.periods, quarter.expected, quarter.arrived),
            (1, Money(15_000, "USD"), Money(15_000, "USD")),
        )
        self.assertFalse(quarter.late)

        [_status] = [
            s
            for s in reports.pledge_status(self.fund, today=date(2025, 4, 1))
            if s.pledge.pk == quarterly.pk
        ]
        self.assertEqual((_status.periods, _status.expected), (2, Money(30_000, "USD")))

    def test_quarters_are_calendar_quarters(self) -> None:
        pledge = self.pledge(period="quarter", starts_on=date(2024, 11, 20))
        self.assertEqual(
            reports.period_starts(pledge, until=date(2025, 7, 1)),
            [date(2024, 10, 1), date(2025, 1, 1), date(2025, 4, 1)],
        )

    def test_it_lists_late_pledges_first(self) -> None:
        on_time = self.pledge(period="month", income="1000.00", percent="10")
        late = self.pledge(
            organization=self.epsilon, period="month", income="1000.00", percent="10"
        )
        self.contribute(20_000, key="paid", organization=self.beta, pledge=on_time)
        self.contribute(5_000, key="part", organization=self.epsilon, pledge=late)

        statuses = reports.pledge_status(self.fund, today=TODAY)

        self.assertEqual([s.pledge.pk for s in statuses], [late.pk, on_time.pk])
        self.assertEqual([s.late for s in statuses], [True, False])

    def test_a_corrected_contribution_no_longer_counts_as_arrived(self) -> None:
        pledge = self.pledge(period="month", income="1000.00", percent="10")
        contribution = self.contribute(20_000, key="paid", organization=self.beta, pledge=pledge)
        actions.correct_transfer(self.steward, transfer=contribution.transfer, reason="Bounced")

        [status] = reports.pledge_status(self.fund, today=TODAY)
        self.assertEqual(status.arrived, Money(0, "USD"))

    def test_a_cancelled_pledge_expects_nothing_for_later_periods(self) -> None:
        pledge = self.pledge(period="month", income="1000.00", percent="10")
        coordinator_b = Member.objects.get(display_name="Coordinator B")
        # The operator records a cancellation the organization announced in January.
        actions.cancel_pledge(None, pledge=pledge, on=date(2025, 1, 20))

        [status] = reports.pledge_status(self.fund, today=date(2025, 6, 1))

        self.assertEqual((status.periods, status.expected), (1, Money(10_000, "USD")))
        with self.assertRaisesMessage(ValidationError, "already cancelled"):
            actions.cancel_pledge(coordinator_b, pledge=pledge)

    def test_a_contribution_names_a_pledge_of_its_own_organization(self) -> None:
        pledge = self.pledge()
        with self.assertRaisesMessage(ValidationError, "Choose a pledge of this organization"):
            self.contribute(1_000, key="wrong", organization=self.epsilon, pledge=pledge)
