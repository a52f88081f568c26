"""What the fund's pages, API and public summary show, computed from the ledger's rows.

Totals come from account balances (kept by the ledger, re-checked by `verify`), so a change
of custody, a move between two holding accounts, never counts as money in or out.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Q, Sum

from internationale.core.money import Money
from internationale.network.models import Organization
from internationale.treasury import criteria
from internationale.treasury.models import (
    Account,
    AccountKind,
    Contribution,
    Custody,
    Draw,
    DrawState,
    Fund,
    OtherContribution,
    OtherKind,
    Period,
    Pledge,
)


@dataclass
class CurrencyBalance:
    currency: str
    held: Money
    reserved: Money
    available: Money
    custodian: Organization | None
    holders: list[tuple[Organization | None, Money]]


def balances(fund: Fund) -> list[CurrencyBalance]:
    """Per currency: what the fund holds, what approved draws reserve, what is left."""
    custodians = {
        c.currency: c.organization
        for c in Custody.objects.filter(fund=fund, current=True).select_related("organization")
    }
    by_currency: dict[str, list[Account]] = defaultdict(list)
    for account in Account.objects.filter(fund=fund, kind=AccountKind.HELD).select_related(
        "organization"
    ):
        by_currency[account.currency].append(account)
    result = []
    for currency in sorted(by_currency, key=lambda c: (c != fund.currency, c)):
        accounts = by_currency[currency]
        held = sum(a.credits_posted - a.debits_posted for a in accounts)
        reserved = sum(a.debits_pending for a in accounts)
        result.append(
            CurrencyBalance(
                currency=currency,
                held=Money(held, currency),
                reserved=Money(reserved, currency),
                available=Money(held - reserved, currency),
                custodian=custodians.get(currency),
                holders=[
                    (a.organization, a.posted)
                    for a in accounts
                    if a.credits_posted - a.debits_posted or a.debits_pending
                ],
            )
        )
    return result


def inflows(fund: Fund) -> list[tuple[Organization, list[Money]]]:
    """Money given by each organization, per currency, corrections deducted."""
    given: dict[int, list[Money]] = defaultdict(list)
    organizations: dict[int, Organization] = {}
    for account in Account.objects.filter(fund=fund, kind=AccountKind.CONTRIBUTIONS).select_related(
        "organization"
    ):
        amount = account.debits_posted - account.credits_posted
        if amount and account.organization is not None:
            organizations[account.organization.pk] = account.organization
            given[account.organization.pk].append(Money(amount, account.currency))
    return sorted(
        ((organizations[pk], sorted(m, key=lambda x: x.currency)) for pk, m in given.items()),
        key=lambda item: item[0].name,
    )


@dataclass
class Outflow:
    kind: str
    label: str
    paid: list[Money] = field(default_factory=list)
    reserved: list[Money] = field(default_factory=list)


def outflows(fund: Fund) -> list[Outflow]:
    """Money paid out and reserved, by what the draws were for."""
    from internationale.treasury.models import DrawKind

    rows: dict[str, Outflow] = {}
    for account in Account.objects.filter(fund=fund, kind=AccountKind.DRAWS).order_by("code"):
        outflow = rows.setdefault(
            account.draw_kind,
            Outflow(kind=account.draw_kind, label=str(DrawKind(account.draw_kind).label)),
        )
        paid = account.credits_posted - account.debits_posted
        if paid:
            outflow.paid.append(Money(paid, account.currency))
        if account.credits_pending:
            outflow.reserved.append(Money(account.credits_pending, account.currency))
    return list(rows.values())


def period_starts(pledge: Pledge, *, until: date) -> list[date]:
    """The first day of each period of the pledge that has ended by `until`, from the
    calendar month (or quarter's first month) of its start, stopping at cancellation."""
    step = 1 if pledge.period == Period.MONTH else 3
    first_month = (pledge.starts_on.month - 1) // step * step + 1
    start = date(pledge.starts_on.year, first_month, 1)
    starts = []
    while True:
        months = start.month - 1 + step
        end = date(start.year + months // 12, months % 12 + 1, 1)
        if end > until:
            break
        if pledge.cancelled_on is not None and start > pledge.cancelled_on:
            break
        starts.append(start)
        start = end
    return starts


@dataclass
class PledgeStatus:
    pledge: Pledge
    periods: int
    expected: Money
    arrived: Money

    @property
    def shortfall(self) -> Money:
        return Money(max(self.expected.minor - self.arrived.minor, 0), self.expected.currency)

    @property
    def late(self) -> bool:
        return self.arrived.minor < self.expected.minor


def pledge_status(fund: Fund, *, today: date) -> list[PledgeStatus]:
    """Each pledge with what its ended periods expect and what arrived; late ones first,
    the largest shortfall first among them."""
    arrived: dict[int, int] = defaultdict(int)
    for contribution in Contribution.objects.filter(
        fund=fund, pledge__isnull=False, transfer__reversed_by__isnull=True
    ).select_related("transfer"):
        assert contribution.pledge_id is not None
        arrived[contribution.pledge_id] += contribution.transfer.amount
    statuses = []
    for pledge in Pledge.objects.filter(fund=fund).select_related("organization"):
        periods = len(period_starts(pledge, until=today))
        statuses.append(
            PledgeStatus(
                pledge=pledge,
                periods=periods,
                expected=Money(pledge.per_period.minor * periods, pledge.currency),
                arrived=Money(arrived[pledge.pk], pledge.currency),
            )
        )
    return sorted(
        statuses,
        key=lambda s: (not s.late, -s.shortfall.minor, s.pledge.organization.name),
    )


@dataclass
class ReportStatus:
    draw: Draw
    reported: bool
    overdue: bool


def report_status(fund: Fund, *, today: date) -> list[ReportStatus]:
    """Every paid draw and whether its report arrived; overdue ones first."""
    draws = (
        Draw.objects.filter(fund=fund, state=DrawState.PAID)
        .select_related("organization")
        .annotate(report_count=Count("reports"))
        .order_by("report_due", "pk")
    )
    statuses = [
        ReportStatus(
            draw=draw,
            reported=draw.report_count > 0,  # type: ignore[attr-defined]
            overdue=draw.report_count == 0  # type: ignore[attr-defined]
            and draw.report_due is not None
            and draw.report_due < today,
        )
        for draw in draws
    ]
    return sorted(statuses, key=lambda s: (not s.overdue, s.reported))


@dataclass
class Giving:
    """What one organization gives: money and, named separately, everything else."""

    organization: Organization
    money: list[Money] = field(default_factory=list)
    risk: int = 0
    insight: int = 0
    hours: int = 0


def giving(fund: Fund) -> list[Giving]:
    """The two registers side by side, never converted into each other."""
    rows: dict[int, Giving] = {}
    for organization, money in inflows(fund):
        rows[organization.pk] = Giving(organization=organization, money=money)
    others = (
        OtherContribution.objects.filter(fund=fund)
        .values("organization")
        .annotate(
            risk=Count("pk", filter=Q(kind=OtherKind.RISK)),
            insight=Count("pk", filter=Q(kind=OtherKind.INSIGHT)),
            hours=Sum("hours", filter=Q(kind=OtherKind.HOURS)),
        )
    )
    names = {
        o.pk: o for o in Organization.objects.filter(pk__in=[r["organization"] for r in others])
    }
    for row in others:
        entry = rows.setdefault(
            row["organization"], Giving(organization=names[row["organization"]])
        )
        entry.risk, entry.insight, entry.hours = row["risk"], row["insight"], row["hours"] or 0
    return sorted(rows.values(), key=lambda g: g.organization.name)


def score_of(draw: Draw, *, today: date) -> "criteria.Score":
    """The draw's score from the fund's published criteria: for a request in review as of
    `today`, for a decided one as of the day it was decided."""
    fund = draw.fund
    ratings = [vote.strategy for vote in draw.votes.all() if vote.round == draw.round]
    as_of = draw.decided_at.date() if draw.decided_at is not None else today
    return criteria.score(
        needed_by=draw.needed_by,
        today=as_of,
        amount=draw.amount,
        means=draw.means,
        ratings=ratings,
        weights=(fund.weight_urgency, fund.weight_strategy, fund.weight_need),
    )


def queue(fund: Fund, *, today: date) -> list[tuple[Draw, "criteria.Score"]]:
    """Requests waiting for the stewards, by score (highest first) then deadline."""
    draws = (
        Draw.objects.filter(fund=fund, state=DrawState.REVIEW)
        .select_related("organization", "fund")
        .prefetch_related("votes")
    )
    scored = [(draw, score_of(draw, today=today)) for draw in draws]
    return sorted(scored, key=lambda item: (-item[1].total, item[0].needed_by, item[0].pk))
