"""The demo network's solidarity fund, with a year of fictional history.

Every person, organization, event and amount here is invented; the one company named is the
fictional Corvane Logistics.

The history is written through the treasury's actions, as the stewards would have written
it. Where an action takes a date (a contribution's `received_on`, a pledge's `starts_on`,
the register's `given_on`, a cancellation's `on`) it is given the story's date. Where an
action stamps the time itself (opening, requests, votes, payments, bookings and the audit
log), `_Timeline` sets the clock: while the demo loads, and only then, it replaces
`django.utils.timezone.now`, which the actions, `auto_now_add` fields and
`timezone.localdate()` all read, with the story's current moment. This keeps the actions free
of a `now` parameter that only the demo would use, and writes rows that are exactly what
the actions would have written on those days: the ledger's `booked_at` spans the past year,
and `verify` replays it like any other. The load is a one-off command, so replacing a module
attribute for its duration is safe; nothing else runs in the process meanwhile.

Events are booked in the order of their moments (`_Timeline.at` first books every monthly
contribution that falls before the next event), so the transfers' ids follow time and no
holding account is ever overdrawn on the way.
"""

import bisect
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from unittest import mock

from django.db import transaction
from django.utils import timezone

from internationale.core.money import Money
from internationale.network import actions as network_actions
from internationale.network.demo import DEMO_NETWORK
from internationale.network.models import Capability, Member, Network, Organization
from internationale.treasury import actions
from internationale.treasury.models import Draw, Fund, Period, Pledge
from internationale.treasury.reports import period_starts

DEMO_FUND = "Cross-Border Solidarity Fund"

SOUTHSIDE = "Southside Warehouse Workers Committee"
ANTEP = "Antep Refugee Workers' Union"
YABA = "Yaba Student Workers' Union"
ZONA_LESTE = "Coletivo Entregadores da Zona Leste"
BURIGANGA = "Buriganga Garment Workers' Union"

# Members who take the steward capability for the fund, beside Dee (US) and Shirin (BD),
# so that stewards of four countries serve.
NEW_STEWARDS = ((ANTEP, "Leyla"), (ZONA_LESTE, "Bia"))


def demo_exists() -> bool:
    return Fund.objects.filter(network__name=DEMO_NETWORK).exists()


@dataclass(order=True)
class _Scheduled:
    moment: datetime
    order: int
    book: Callable[[], object] = field(compare=False)


class _Timeline:
    """The story's clock, and the contributions still to book as it moves forward."""

    def __init__(self, start: datetime) -> None:
        self.now = start
        self._pending: list[_Scheduled] = []

    def schedule(self, moment: datetime, book: Callable[[], object]) -> None:
        bisect.insort(self._pending, _Scheduled(moment, len(self._pending), book))

    def at(self, moment: datetime) -> None:
        """Book what falls before `moment`, then set the clock to it. Time only moves on."""
        if moment < self.now:
            raise ValueError(f"the story goes back from {self.now} to {moment}")
        while self._pending and self._pending[0].moment <= moment:
            item = self._pending.pop(0)
            self.now = item.moment
            item.book()
        self.now = moment

    def current(self) -> datetime:
        return self.now

    @contextmanager
    def running(self) -> Iterator["_Timeline"]:
        """Lend the story's clock to `django.utils.timezone.now` until the block ends."""
        with mock.patch.object(timezone, "now", self.current):
            yield self


def _moment(day: date, hour: int = 10, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=UTC)


class _Cast:
    """The demo network's organizations and people, by name."""

    def __init__(self, network: Network) -> None:
        self.organizations = {o.name: o for o in network.organizations.all()}
        self.people = {
            m.display_name: m
            for m in Member.objects.filter(
                memberships__organization__in=self.organizations.values()
            )
        }

    def org(self, name: str) -> Organization:
        return self.organizations[name]

    def __getitem__(self, name: str) -> Member:
        return self.people[name]


@transaction.atomic
def load_demo() -> None:
    """Open the demo network's fund and write its past year. Needs the network demo."""
    network = Network.objects.get(name=DEMO_NETWORK)
    today = timezone.localdate()
    start = date(today.year - 1, today.month, 1)
    cast = _Cast(network)
    with _Timeline(_moment(start, 9)).running() as timeline:
        _story(timeline, network, cast, start=start, today=today)


def _story(timeline: _Timeline, network: Network, cast: _Cast, *, start: date, today: date) -> None:
    def day(n: int) -> date:
        return start + timedelta(days=n)

    for organization, name in NEW_STEWARDS:
        member = cast[name]
        membership = member.memberships.get(organization=cast.org(organization))
        network_actions.update_membership(
            member,
            membership,
            role=membership.role,
            capabilities=[*membership.capabilities, Capability.STEWARD],
        )
    dee, leyla, bia, shirin = cast["Dee"], cast["Leyla"], cast["Bia"], cast["Shirin"]

    fund = actions.open_fund(
        cast["Marisol"],
        network=network,
        name=DEMO_FUND,
        currency="USD",
        custodian=cast.org(SOUTHSIDE),
        stewards=[dee, leyla, bia, shirin],
        rules={
            "approvals_needed": 2,
            "steward_seats": 4,
            "emergency_limit": 100_000,
            "steward_term_days": 365,
            "report_days": 60,
            "reservation_days": 30,
        },
    )

    # Pledges, and the contributions that honour them, each booked on its day.
    timeline.at(_moment(start, 11))
    southside = _pledge(fund, cast, SOUTHSIDE, "Marisol", "2", Period.MONTH, "USD", "9500", start)
    antep = _pledge(fund, cast, ANTEP, "Leyla", "3", Period.QUARTER, "TRY", "240000", start)
    yaba = _pledge(fund, cast, YABA, "Tunde", "1.5", Period.MONTH, "NGN", "1800000", start)
    zona_leste = _pledge(fund, cast, ZONA_LESTE, "Bia", "4", Period.MONTH, "BRL", "9000", start)
    buriganga = _pledge(fund, cast, BURIGANGA, "Shirin", "2", Period.MONTH, "BDT", "650000", start)

    # The couriers' pledge is cancelled after five months, when the app cut its rates,
    # and replaced by a smaller one on a lower declared income.
    fifth_month = _months_after(start, 5)
    _schedule_monthly(timeline, fund, southside, dee, 22, today=today)
    # The students are late on their last two months: exams.
    _schedule_monthly(timeline, fund, yaba, leyla, 18, today=today, skip_last=2)
    _schedule_monthly(timeline, fund, buriganga, shirin, 12, today=today)
    _schedule_monthly(timeline, fund, zona_leste, bia, 27, today=fifth_month)

    timeline.at(_moment(day(3), 16))
    actions.record_contribution(
        dee,
        fund=fund,
        organization=cast.org(SOUTHSIDE),
        amount="1200.00",
        currency="USD",
        received_on=day(3),
        key="southside-spring-fundraiser",
        note="Collection at the spring fundraiser in the union hall.",
    )

    # Lira bought in Chicago for legal defence in Gaziantep, held there until the Antep
    # union's own account was open; then its custody moves to Gaziantep.
    timeline.at(_moment(day(10), 15))
    actions.exchange_currency(
        dee,
        fund=fund,
        sold=Money(50_000, "USD"),
        bought=Money(1_715_000, "TRY"),
        key="usd-try-legal-defence",
        note="Lira for legal defence in Gaziantep, through the committee's remittance service.",
    )
    timeline.at(_moment(day(24), 12))
    actions.move_custody(dee, fund=fund, currency="TRY", organization=cast.org(ANTEP))
    for period in period_starts(antep, until=today):
        received = max(_months_after(period, 3) - timedelta(days=8), day(30))
        timeline.schedule(
            _moment(received, 8),
            _receipt(fund, antep, leyla, received, f"antep-{period:%Y-%m}", "7200.00"),
        )

    timeline.at(_moment(day(72), 21))
    actions.record_other(
        bia,
        fund=fund,
        organization=cast.org(ZONA_LESTE),
        kind="insight",
        description="How the delivery app punishes couriers who log off together, and the "
        "staggered log-off the east-zone couriers use instead: shared with the Chicago "
        "drivers before peak season.",
        given_on=day(70),
    )

    # The stewards raise the fast track's limit: bail and lawyers cost more than 1,000 USD.
    timeline.at(_moment(day(100), 13))
    proposal = actions.propose_rules(
        shirin,
        fund=fund,
        rules={"emergency_limit": 150_000},
        reason="Bail and a lawyer's first visit cost more than 1,000 USD in Gaziantep and "
        "in Dhaka; the fast track should cover them.",
    )
    timeline.at(_moment(day(102), 8))
    actions.vote_on_proposal(leyla, proposal=proposal, choice="approve", reason="")
    fund.refresh_from_db()  # the adopted rules were saved on the proposal's copy

    timeline.at(_moment(day(120), 17))
    actions.record_other(
        leyla,
        fund=fund,
        organization=cast.org(ANTEP),
        kind="risk",
        description="Hosted the network's regional meeting in Gaziantep while the police "
        "were watching the workshops; members without papers came anyway.",
        given_on=day(118),
    )

    timeline.at(_moment(fifth_month - timedelta(days=1), 19))
    actions.cancel_pledge(bia, pledge=zona_leste, on=fifth_month - timedelta(days=1))
    timeline.at(_moment(fifth_month - timedelta(days=1), 19, 30))
    zona_leste_again = _pledge(
        fund, cast, ZONA_LESTE, "Bia", "2.5", Period.MONTH, "BRL", "7200", fifth_month
    )
    _schedule_monthly(timeline, fund, zona_leste_again, bia, 27, today=today)

    timeline.at(_moment(day(165), 18))
    actions.record_other(
        cast["Tunde"],
        fund=fund,
        organization=cast.org(YABA),
        kind="hours",
        description="Translated the field reports into Yoruba and French, and researched "
        "Corvane Logistics' contracts at the Apapa port.",
        hours=140,
        given_on=day(161),
    )

    _strike(timeline, fund, cast, day)

    _raid(timeline, fund, cast, day)

    timeline.at(_moment(day(280), 11))
    actions.record_other(
        shirin,
        fund=fund,
        organization=cast.org(BURIGANGA),
        kind="risk",
        description="Line leaders gave their names to the complaint about the loading bays "
        "of the Corvane Logistics consolidation warehouse, at the risk of being blacklisted.",
        given_on=day(276),
    )

    _sent_back(timeline, fund, cast, day)
    _flood(timeline, fund, cast, today)
    _blind_request(timeline, fund, cast, today)
    timeline.at(_moment(today - timedelta(days=1), 12))


def _months_after(first: date, months: int) -> date:
    index = first.month - 1 + months
    return date(first.year + index // 12, index % 12 + 1, 1)


def _pledge(
    fund: Fund,
    cast: _Cast,
    organization: str,
    coordinator: str,
    percent: str,
    period: Period,
    currency: str,
    income: str,
    starts_on: date,
) -> Pledge:
    return actions.make_pledge(
        cast[coordinator],
        fund=fund,
        organization=cast.org(organization),
        percent=percent,
        period=period,
        currency=currency,
        declared_income=income,
        starts_on=starts_on,
    )


def _receipt(
    fund: Fund, pledge: Pledge, recorder: Member, received: date, key: str, amount: str
) -> Callable[[], object]:
    def book() -> object:
        return actions.record_contribution(
            recorder,
            fund=fund,
            organization=pledge.organization,
            amount=amount,
            currency=pledge.currency,
            received_on=received,
            key=key,
            pledge=pledge,
        )

    return book


def _schedule_monthly(
    timeline: _Timeline,
    fund: Fund,
    pledge: Pledge,
    recorder: Member,
    day_of_month: int,
    *,
    today: date,
    skip_last: int = 0,
) -> None:
    """One contribution of the pledge's amount in each of its months that has ended by
    `today`, received on `day_of_month`, except the last `skip_last`."""
    months = period_starts(pledge, until=today)
    amount = str(pledge.per_period.decimal)
    slug = pledge.organization.slug
    for month in months[: len(months) - skip_last]:
        received = month.replace(day=day_of_month)
        timeline.schedule(
            _moment(received, 11),
            _receipt(fund, pledge, recorder, received, f"{slug}-{month:%Y-%m}", amount),
        )


def _strike(timeline: _Timeline, fund: Fund, cast: _Cast, day: Callable[[int], date]) -> None:
    """Hardship during the couriers' strike: approved, paid, reported back."""
    timeline.at(_moment(day(185), 14))
    draw = actions.request_draw(
        cast["Bia"],
        fund=fund,
        organization=cast.org(ZONA_LESTE),
        kind="strike",
        amount="1500.00",
        currency="BRL",
        means="400.00",
        needed_by=day(190),
        narrative="Three days of strike against the app's new rates. Fuel and meals at the "
        "three blockade points, and a day's earnings for the twelve couriers whose "
        "accounts the app blocked for taking part.",
        evidence="Photos of the blockades and the app's blocking messages, kept by Bia.",
    )
    timeline.at(_moment(day(186), 9))
    actions.vote_on_draw(cast["Dee"], draw=draw, choice="approve", strategy=4)
    timeline.at(_moment(day(186), 15))
    actions.vote_on_draw(
        cast["Shirin"], draw=draw, choice="approve", strategy=5, reason="Solidarity."
    )
    timeline.at(_moment(day(187), 10))
    draw = actions.pay_draw(cast["Leyla"], draw=draw)
    timeline.at(_moment(day(214), 20))
    actions.report_on_draw(
        cast["Caio"],
        draw=draw,
        text="Fuel and meals for three days at the blockades (about 90 couriers), and a "
        "day's earnings for the twelve blocked couriers. Nine of them were unblocked "
        "after the strike. Receipts are with the collective.",
        spent="1462.50",
    )


def _raid(timeline: _Timeline, fund: Fund, cast: _Cast, day: Callable[[int], date]) -> None:
    """A police raid on a workshop meeting: fast track, paid in part, report overdue."""
    timeline.at(_moment(day(245), 17))
    draw = actions.request_draw(
        cast["Leyla"],
        fund=fund,
        organization=cast.org(ANTEP),
        kind="repression",
        amount="1400.00",
        currency="USD",
        means="150.00",
        needed_by=day(247),
        narrative="Police raided our meeting in a workshop and detained six members, two of "
        "them without residence papers. We need a lawyer tonight and may need bail.",
        evidence="The lawyer's engagement letter; names are kept by Leyla, not here.",
        emergency=True,
    )
    timeline.at(_moment(day(245), 18, 30))
    actions.vote_on_draw(cast["Bia"], draw=draw, choice="approve", strategy=5)
    timeline.at(_moment(day(245), 19, 10))
    actions.vote_on_draw(cast["Dee"], draw=draw, choice="approve", strategy=4)
    # Four members were released without bail, so the stewards paid the lawyer's fee only.
    timeline.at(_moment(day(246), 9))
    actions.pay_draw(cast["Shirin"], draw=draw, amount="950.00")


def _sent_back(timeline: _Timeline, fund: Fund, cast: _Cast, day: Callable[[int], date]) -> None:
    """A campaign budget the stewards send back with an objection."""
    timeline.at(_moment(day(300), 16))
    draw = actions.request_draw(
        cast["Marisol"],
        fund=fund,
        organization=cast.org(SOUTHSIDE),
        kind="action",
        amount="2500.00",
        currency="USD",
        means="600.00",
        needed_by=day(330),
        narrative="Peak season at the Corvane Logistics depot: a van, printing and food for "
        "the walkout committees of the night shift, for the whole season.",
    )
    timeline.at(_moment(day(302), 10))
    actions.vote_on_draw(cast["Leyla"], draw=draw, choice="approve", strategy=3)
    timeline.at(_moment(day(303), 14))
    actions.vote_on_draw(
        cast["Bia"],
        draw=draw,
        choice="object",
        strategy=3,
        reason="The fund holds less than 2,000 USD. Ask for the two weeks of the walkout, not "
        "the whole season, and say what the committee raises itself.",
    )


def _flood(timeline: _Timeline, fund: Fund, cast: _Cast, today: date) -> Draw:
    """The river floods the workers' homes: approved, money reserved, not yet paid."""
    timeline.at(_moment(today - timedelta(days=6), 6))
    draw = actions.request_draw(
        cast["Shirin"],
        fund=fund,
        organization=cast.org(BURIGANGA),
        kind="disaster",
        amount="110000.00",
        currency="BDT",
        means="15000.00",
        needed_by=today + timedelta(days=10),
        narrative="The river flooded the rooms of forty-one members' families near the "
        "factories. Rice, lentils, water purification and a month's rent for the "
        "families who lost everything.",
        evidence="List of families and the ward councillor's letter, kept by Rafiq.",
    )
    timeline.at(_moment(today - timedelta(days=5), 7))
    actions.vote_on_draw(cast["Leyla"], draw=draw, choice="approve", strategy=5)
    timeline.at(_moment(today - timedelta(days=4), 14))
    actions.vote_on_draw(cast["Dee"], draw=draw, choice="approve", strategy=4)
    return draw


def _blind_request(timeline: _Timeline, fund: Fund, cast: _Cast, today: date) -> Draw:
    """A request under blind review, with one approval so far."""
    timeline.at(_moment(today - timedelta(days=3), 11))
    draw = actions.request_draw(
        cast["Tunde"],
        fund=fund,
        organization=cast.org(YABA),
        kind="action",
        amount="180000.00",
        currency="NGN",
        means="40000.00",
        needed_by=today + timedelta(days=25),
        narrative="Preparing a meeting of night-shift students from the port's warehouses "
        "before the new contracts start: hall, transport and food.",
        blind=True,
    )
    timeline.at(_moment(today - timedelta(days=2), 9))
    actions.vote_on_draw(cast["Leyla"], draw=draw, choice="approve", strategy=4)
    return draw
