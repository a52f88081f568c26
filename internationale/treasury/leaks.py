"""What the treasury keeps from other organizations, for the leak harness.

The fund's ledger, pledges, proposals and reports are open to every member of its network,
the outsider of Beta included, so they carry no marker. What only Alpha and the serving
stewards may read is a draw's narrative and evidence; the marker goes there, in a request
still in review, one paid out, and one under blind review (whose requester the outsider
must not learn either before the decision).

The stewards are Alpha's steward and a steward of Beta who is not the outsider: a steward
may not vote on their own organization's request, so Alpha's paid draw needs one from
elsewhere.
"""

from datetime import timedelta
from typing import Any

from django.utils import timezone

from internationale.core.leaks import Planted, register
from internationale.core.testing import PASSWORD
from internationale.network import actions as network_actions
from internationale.treasury import actions


@register
def plant(world: dict[str, Any], marker: str) -> Planted:
    coordinator, steward, alpha = world["coordinator"], world["steward"], world["alpha"]
    _invitation, token = network_actions.invite_person(
        None, organization=world["beta"], capabilities=("steward",)
    )
    steward_b = network_actions.accept_person_invitation(
        None, token=token, display_name="Leak Steward B", password=PASSWORD
    )
    fund = actions.open_fund(
        coordinator,
        network=world["network"],
        name="Leak Fund",
        currency="USD",
        custodian=alpha,
        stewards=[steward, steward_b],
        rules={"approvals_needed": 1, "steward_seats": 2, "emergency_limit": 50_000},
    )
    today = timezone.localdate()
    pledge = actions.make_pledge(
        coordinator,
        fund=fund,
        organization=alpha,
        percent="2",
        period="month",
        currency="USD",
        declared_income="5000",
        starts_on=today,
    )
    contribution = actions.record_contribution(
        steward,
        fund=fund,
        organization=alpha,
        amount="3000.00",
        currency="USD",
        received_on=today,
        key="leak-contribution",
        pledge=pledge,
    )
    proposal = actions.propose_rules(
        steward, fund=fund, rules={"report_days": 30}, reason="Reports sooner."
    )

    def request(label: str, **extra: Any) -> Any:
        return actions.request_draw(
            coordinator,
            fund=fund,
            organization=alpha,
            kind="repression",
            amount="400.00",
            currency="USD",
            means="0",
            needed_by=today + timedelta(days=7),
            narrative=f"{label} narrative {marker}",
            evidence=f"{label} evidence {marker}",
            **extra,
        )

    in_review = request("In review")
    blind = request("Blind", blind=True)
    paid = request("Paid")
    actions.vote_on_draw(steward_b, draw=paid, choice="approve", strategy=4)
    paid = actions.pay_draw(steward, draw=paid)
    actions.report_on_draw(coordinator, draw=paid, text="Spent on the lawyer.", spent="400.00")
    transfers = [contribution.transfer, paid.reservation, paid.payment]
    return Planted(
        objects=[fund, pledge, proposal, in_review, blind, paid, *[t for t in transfers if t]]
    )
