"""A fund for the treasury's tests, set up through actions on top of the personas' world.

Beside the personas of `core.testing`, the network gains Epsilon Assembly (Kenya) and
Delta Federation (India), and Beta, Epsilon and Delta each a steward, so that four stewards
of four countries serve:

- `steward` of Alpha Union (United States), `steward_b` of Beta Collective (Brazil),
  `steward_e` of Epsilon Assembly (Kenya), `steward_d` of Delta Federation (India).

The fund ("Test Fund", USD) needs two approvals (a class may set other `rules`); its fast
track goes up to 500.00.
Time is frozen at `T0` for every class made with `fund_test_case` (use its decorator).
"""

from datetime import UTC, date, datetime
from typing import Any

import time_machine

from internationale.core.money import Money
from internationale.core.testing import PASSWORD, InternationaleTestCase
from internationale.network import actions as network_actions
from internationale.network.models import Member, Network, Organization
from internationale.treasury import actions
from internationale.treasury.models import Account, AccountKind, Draw, Fund

T0 = datetime(2025, 3, 10, 15, 0, tzinfo=UTC)
TODAY = T0.date()

frozen = time_machine.travel(T0, tick=False)


def add_organization(
    network: Network, *, name: str, country: str, coordinator: str
) -> Organization:
    _invitation, token = network_actions.invite_organization(None, network=network)
    return network_actions.accept_organization_invitation(
        None,
        token=token,
        display_name=coordinator,
        password=PASSWORD,
        name=name,
        country=country,
        languages=["en"],
        time_zone="UTC",
        description="",
        visibility="network",
    )


def add_member(organization: Organization, name: str, *, steward: bool = True) -> Member:
    _invitation, token = network_actions.invite_person(
        None, organization=organization, capabilities=("steward",) if steward else ()
    )
    return network_actions.accept_person_invitation(
        None, token=token, display_name=name, password=PASSWORD
    )


def fund_world(world: dict[str, Any], **rules: Any) -> dict[str, Any]:
    """Add Epsilon, the two other stewards and the fund to `world`; returns what it added."""
    epsilon = add_organization(
        world["network"], name="Epsilon Assembly", country="KE", coordinator="Coordinator E"
    )
    delta = add_organization(
        world["network"], name="Delta Federation", country="IN", coordinator="Coordinator D"
    )
    steward_b = add_member(world["beta"], "Steward B")
    steward_e = add_member(epsilon, "Steward E")
    steward_d = add_member(delta, "Steward D")
    fund = actions.open_fund(
        world["coordinator"],
        network=world["network"],
        name="Test Fund",
        currency="USD",
        custodian=world["alpha"],
        stewards=[world["steward"], steward_b, steward_e, steward_d],
        rules={"approvals_needed": 2, "steward_seats": 4, "emergency_limit": 50_000, **rules},
    )
    return {
        "epsilon": epsilon,
        "coordinator_e": Member.objects.get(display_name="Coordinator E"),
        "steward_b": steward_b,
        "steward_e": steward_e,
        "delta": delta,
        "steward_d": steward_d,
        "fund": fund,
    }


class FundTestCase(InternationaleTestCase):
    """The personas, Epsilon, Delta, four stewards and the fund. Decorate subclasses with
    `@frozen` so that the world is made, and the tests run, at `T0`."""

    epsilon: Organization
    coordinator_e: Member
    steward_b: Member
    steward_e: Member
    delta: Organization
    steward_d: Member
    fund: Fund
    rules: dict[str, Any] = {}

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        world = {name: getattr(cls, name) for name in ("network", "alpha", "beta", "coordinator")}
        world["steward"] = cls.steward
        for name, value in fund_world(world, **cls.rules).items():
            setattr(cls, name, value)

    # Helpers that act as a person would ------------------------------------------------------

    def contribute(
        self, amount: int, *, key: str, organization: Organization | None = None, **more: Any
    ) -> Any:
        return actions.record_contribution(
            self.steward,
            fund=self.fund,
            organization=organization or self.beta,
            amount=amount,
            currency=more.pop("currency", "USD"),
            received_on=more.pop("received_on", TODAY),
            key=key,
            **more,
        )

    def request(
        self, amount: int, *, organization: Organization | None = None, **more: Any
    ) -> Draw:
        organization = organization or self.alpha
        coordinator = self.coordinator if organization == self.alpha else self.coordinator_e
        return actions.request_draw(
            coordinator,
            fund=self.fund,
            organization=organization,
            kind=more.pop("kind", "strike"),
            amount=amount,
            currency=more.pop("currency", "USD"),
            means=more.pop("means", 0),
            needed_by=more.pop("needed_by", date(2025, 4, 1)),
            narrative=more.pop("narrative", "A strike fund for the warehouse workers."),
            **more,
        )

    def approve(self, draw: Draw, *stewards: Member) -> Draw:
        for steward in stewards:
            draw = actions.vote_on_draw(steward, draw=draw, choice="approve", strategy=4)
        return draw

    def pool(self) -> Account:
        return Account.objects.get(fund=self.fund, kind=AccountKind.HELD, currency="USD")

    def available(self) -> Money:
        return self.pool().available
