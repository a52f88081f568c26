"""API of the treasury: a network's fund, its ledger, pledges, contributions and draws.

Every endpoint needs a token. The access rules are those of `treasury/access.py`: members
of the fund's network read the fund, its ledger and its draws (others get 404); only the
serving stewards record money, decide and propose (others get 403); coordinators of an
organization pledge and ask for money for it, and its members report on what it received.
A draw's narrative and evidence are shown only to the requesting organization and the
stewards, and under blind review the requesting organization is hidden (`null`) until the
stewards have decided. Refusals of the actions come back as 400 with their messages.
"""

import io
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q, prefetch_related_objects
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status

from internationale.api.auth import TokenAuth
from internationale.api.treasury_schemas import (
    CancelPledgeIn,
    ContributionIn,
    ContributionOut,
    CustodyIn,
    CustodyOut,
    DrawIn,
    DrawOut,
    DrawVoteIn,
    ExchangeIn,
    FundOut,
    LedgerOut,
    MoneyIn,
    OtherIn,
    OtherOut,
    PayIn,
    PledgeIn,
    PledgeOut,
    ProposalIn,
    ProposalOut,
    ProposalVoteIn,
    ReasonIn,
    ReportIn,
    ReportOut,
    TransferOut,
)
from internationale.core.money import Money, MoneyError, is_currency
from internationale.network.access import signed_in
from internationale.network.models import Member, Organization
from internationale.treasury import access, actions, export, reports
from internationale.treasury.models import (
    Choice,
    Contribution,
    Draw,
    Fund,
    Pledge,
    Proposal,
    ProposalKind,
    ProposalState,
    Report,
    Steward,
    Transfer,
)

router = Router(tags=["treasury"], auth=TokenAuth())

LEDGER_PAGE = 100
LEDGER_PAGE_LIMIT = 500


# Money in and out ---------------------------------------------------------------------------


def money_out(money: Money) -> dict[str, Any]:
    return {"amount": str(money.decimal), "currency": money.currency, "minor": money.minor}


def _minor(amount: int, currency: str) -> dict[str, Any]:
    return money_out(Money(amount, currency))


def money_in(value: MoneyIn, *, field: str) -> Money:
    """The exact amount sent, or a ValidationError on `field` in the actions' words."""
    currency = (value.currency or "").strip().upper()
    if not is_currency(currency):
        raise ValidationError({field: _("Choose a currency by its ISO 4217 code, such as USD.")})
    try:
        return Money.parse(value.amount, currency)
    except MoneyError:
        raise ValidationError(
            {
                field: _("Enter an amount in %(currency)s with no more decimals than it has.")
                % {"currency": currency}
            }
        ) from None


# Looking things up --------------------------------------------------------------------------


def _organization(fund: Fund, slug: str, *, field: str = "organization") -> Organization:
    """An organization of the fund's network, named by its short name in the body."""
    found = fund.network.organizations.filter(slug=slug).first()
    if found is None:
        raise ValidationError({field: _("This organization is not in the fund's network.")})
    return found


def _check_coordinator(member: Member, organization: Organization) -> None:
    if not member.is_coordinator_of(organization):
        raise PermissionDenied


def _check_steward(member: Member, fund: Fund) -> None:
    if not actions.is_steward(member, fund):
        raise PermissionDenied


# The fund -----------------------------------------------------------------------------------


def _stewards(fund: Fund) -> list[dict[str, Any]]:
    return [
        {
            "id": s.member.pk,
            "display_name": s.member.display_name,
            "organization": s.organization.slug,
        }
        for s in actions.serving_stewards(fund)
    ]


def _rules(fund: Fund) -> dict[str, Any]:
    rules = fund.rules()
    rules["emergency_limit"] = str(fund.emergency_money.decimal)
    return rules


def _pledge(pledge: Pledge) -> dict[str, Any]:
    return {
        "id": pledge.pk,
        "organization": pledge.organization.slug,
        "percent": pledge.percent_text,
        "period": pledge.period,
        "declared_income": _minor(pledge.declared_income, pledge.currency),
        "per_period": money_out(pledge.per_period),
        "starts_on": pledge.starts_on,
        "cancelled_on": pledge.cancelled_on,
    }


def _proposal(proposal: Proposal) -> dict[str, Any]:
    fund = proposal.fund
    rules = dict(proposal.rules)
    if "emergency_limit" in rules:
        rules["emergency_limit"] = str(Money(rules["emergency_limit"], fund.currency).decimal)
    stewards = []
    if proposal.term is not None:
        stewards = [
            {
                "id": s.member.pk,
                "display_name": s.member.display_name,
                "organization": s.organization.slug,
            }
            for s in proposal.term.seats.select_related("member", "organization")
        ]
    votes = proposal.votes.aggregate(
        approvals=Count("pk", filter=Q(choice=Choice.APPROVE)),
        objections=Count("pk", filter=Q(choice=Choice.OBJECT)),
    )
    return {
        "id": proposal.pk,
        "kind": proposal.kind,
        "state": proposal.state,
        "rules": rules,
        "stewards": stewards,
        "reason": proposal.reason,
        "proposed_by": proposal.proposed_by.display_name,
        "approvals": votes["approvals"],
        "objections": votes["objections"],
        "created_at": proposal.created_at,
        "decided_at": proposal.decided_at,
    }


@router.get("/treasury/funds/{fund}", response=FundOut)
def fund(request: HttpRequest, fund: str) -> dict[str, Any]:
    member = signed_in(request)
    found = access.access_fund(member, fund)
    today = timezone.localdate()
    return {
        "slug": found.slug,
        "name": found.name,
        "network": found.network.slug,
        "currency": found.currency,
        "rules": _rules(found),
        "emergency_limit": money_out(found.emergency_money),
        "stewards": _stewards(found),
        "you_are_steward": actions.is_steward(member, found),
        "balances": [
            {
                "currency": b.currency,
                "held": money_out(b.held),
                "reserved": money_out(b.reserved),
                "available": money_out(b.available),
                "custodian": b.custodian.slug if b.custodian else None,
            }
            for b in reports.balances(found)
        ],
        "pledges": [
            {
                "pledge": _pledge(s.pledge),
                "periods": s.periods,
                "expected": money_out(s.expected),
                "arrived": money_out(s.arrived),
                "shortfall": money_out(s.shortfall),
                "late": s.late,
            }
            for s in reports.pledge_status(found, today=today)
        ],
        "reports": [
            {
                "draw": s.draw.pk,
                "organization": s.draw.organization.slug,
                "paid": money_out(s.draw.paid),
                "report_due": s.draw.report_due,
                "reported": s.reported,
                "overdue": s.overdue,
            }
            for s in reports.report_status(found, today=today)
        ],
        "open_proposals": [
            _proposal(p)
            for p in found.proposals.filter(state=ProposalState.OPEN).select_related(
                "fund", "proposed_by", "term"
            )
        ],
    }


class LedgerQuery(Schema):
    page: int = 1
    per_page: int = LEDGER_PAGE


@router.get("/treasury/funds/{fund}/ledger", response=LedgerOut)
def ledger(request: HttpRequest, fund: str, query: Query[LedgerQuery]) -> dict[str, Any]:
    """The fund's transfers in the order they were booked, a page at a time."""
    found = access.access_fund(signed_in(request), fund)
    per_page = min(max(query.per_page, 1), LEDGER_PAGE_LIMIT)
    transfers = found.transfers.select_related(
        "debit", "credit", "organization", "pending", "reverses"
    ).order_by("id")
    paginator = Paginator(transfers, per_page)
    page = paginator.get_page(query.page)
    hidden = access.blind_draw_keys(found)
    return {
        "count": paginator.count,
        "page": page.number,
        "pages": paginator.num_pages,
        "transfers": [_transfer(t, hidden=hidden) for t in page.object_list],
    }


def _transfer(transfer: Transfer, *, hidden: tuple[str, ...] = ()) -> dict[str, Any]:
    shown = transfer.organization is not None and not (hidden and transfer.key.startswith(hidden))
    return {
        "id": transfer.pk,
        "key": transfer.key,
        "kind": transfer.kind,
        "category": transfer.category,
        "debit": transfer.debit.code,
        "credit": transfer.credit.code,
        "money": money_out(transfer.money),
        "organization": transfer.organization.slug if shown and transfer.organization else None,
        "reservation": transfer.pending.key if transfer.pending else None,
        "reverses": transfer.reverses.key if transfer.reverses else None,
        "expires_at": transfer.timeout_at,
        "memo": transfer.memo,
        "booked_at": transfer.booked_at,
    }


@router.get("/treasury/funds/{fund}/export")
def export_ledger(request: HttpRequest, fund: str, format: str = "csv") -> HttpResponse:
    """The whole ledger as CSV (one row per transfer) or as a Beancount file."""
    found = access.access_fund(signed_in(request), fund)
    writers = {
        "csv": (export.write_csv, "text/csv", "csv"),
        "beancount": (export.write_beancount, "text/plain", "beancount"),
    }
    if format not in writers:
        raise ValidationError({"format": _("Choose csv or beancount.")})
    write, content_type, suffix = writers[format]
    text = io.StringIO()
    write(found, text)
    response = HttpResponse(text.getvalue(), content_type=f"{content_type}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{found.slug}-ledger.{suffix}"'
    return response


# Draws --------------------------------------------------------------------------------------


def _draw(
    member: Member,
    draw: Draw,
    *,
    steward: bool | None = None,
    seats: list[Steward] | None = None,
) -> dict[str, Any]:
    """The draw as `member` may read it. A list passes `steward` (whether the member serves
    the draw's fund), so that the stewards are looked up once, not once per draw."""
    today = timezone.localdate()
    score = reports.score_of(draw, today=today)
    if steward is None:
        readable = access.can_read_narrative(member, draw)
    else:  # access.can_read_narrative, with its steward check made once for the list
        readable = steward or access.is_requester(member, draw)
    wu, ws, wn = score.weights
    return {
        "id": draw.pk,
        "fund": draw.fund.slug,
        "organization": draw.organization.slug if access.shows_requester(member, draw) else None,
        "kind": draw.kind,
        "money": money_out(draw.money),
        "means": _minor(draw.means, draw.currency),
        "needed_by": draw.needed_by,
        "blind": draw.blind,
        "emergency": draw.emergency,
        "state": draw.state,
        "round": draw.round,
        "submitted_at": draw.submitted_at,
        "decided_at": draw.decided_at,
        "paid": money_out(draw.paid),
        "report_due": draw.report_due,
        "narrative": draw.narrative if readable else None,
        "evidence": draw.evidence if readable else None,
        "score": {
            "urgency": score.urgency,
            "need": score.need,
            "strategy": score.strategy,
            "weights": {"urgency": wu, "strategy": ws, "need": wn},
            "ratings": score.ratings,
            "total": score.total,
            "computation": score.computation,
        },
        "approvals_needed": actions.approvals_shown(
            draw, requester_shown=access.shows_requester(member, draw), seats=seats
        ),
        "votes": [
            {
                "round": v.round,
                "steward": v.steward.display_name,
                "choice": v.choice,
                "strategy": v.strategy,
                "reason": v.reason,
                "after_decision": v.after_decision,
                "cast_at": v.cast_at,
            }
            for v in draw.votes.all()
        ],
    }


@router.get("/treasury/funds/{fund}/draws", response=list[DrawOut])
def draw_queue(request: HttpRequest, fund: str) -> list[dict[str, Any]]:
    """Requests waiting for the stewards, highest score first."""
    member = signed_in(request)
    found = access.access_fund(member, fund)
    queue = reports.queue(found, today=timezone.localdate())
    draws = [draw for draw, _score in queue]
    prefetch_related_objects(draws, "votes__steward")
    steward = actions.is_steward(member, found)
    seats = actions.serving_stewards(found)
    return [_draw(member, draw, steward=steward, seats=seats) for draw in draws]


@router.get("/treasury/draws/{draw}", response=DrawOut)
def draw(request: HttpRequest, draw: int) -> dict[str, Any]:
    member = signed_in(request)
    found = access.access_draw(member, draw)
    prefetch_related_objects([found], "votes__steward")
    return _draw(member, found)


@router.post("/treasury/funds/{fund}/draws", response={201: DrawOut})
def request_draw(request: HttpRequest, fund: str, payload: DrawIn) -> Any:
    member = signed_in(request)
    found = access.access_fund(member, fund)
    organization = _organization(found, payload.organization)
    _check_coordinator(member, organization)
    money = money_in(payload.money, field="money")
    created = actions.request_draw(
        member,
        fund=found,
        organization=organization,
        kind=payload.kind,
        amount=money.minor,
        currency=money.currency,
        means=payload.means,
        needed_by=payload.needed_by,
        narrative=payload.narrative,
        evidence=payload.evidence,
        blind=payload.blind,
        emergency=payload.emergency,
    )
    return Status(201, _draw(member, created))


@router.post("/treasury/draws/{draw}/votes", response=DrawOut)
def vote_on_draw(request: HttpRequest, draw: int, payload: DrawVoteIn) -> dict[str, Any]:
    member = signed_in(request)
    found = access.access_draw(member, draw)
    _check_steward(member, found.fund)
    voted = actions.vote_on_draw(
        member,
        draw=found,
        choice=payload.choice,
        strategy=payload.strategy,
        reason=payload.reason,
    )
    return _draw(member, voted)


@router.post("/treasury/draws/{draw}/pay", response=DrawOut)
def pay_draw(request: HttpRequest, draw: int, payload: PayIn) -> dict[str, Any]:
    """Pay out a reserved draw: in full without `money`, or the part given (in the draw's
    currency); the rest of the reservation is released."""
    member = signed_in(request)
    found = access.access_draw(member, draw)
    _check_steward(member, found.fund)
    amount = None
    if payload.money is not None:
        money = money_in(payload.money, field="money")
        if money.currency != found.currency:
            raise ValidationError(
                {
                    "money": _("Pay in the draw's currency, %(currency)s.")
                    % {"currency": found.currency}
                }
            )
        amount = money.minor
    return _draw(member, actions.pay_draw(member, draw=found, amount=amount))


@router.post("/treasury/draws/{draw}/release", response=DrawOut)
def release_draw(request: HttpRequest, draw: int, payload: ReasonIn) -> dict[str, Any]:
    member = signed_in(request)
    found = access.access_draw(member, draw)
    _check_steward(member, found.fund)
    return _draw(member, actions.release_draw(member, draw=found, reason=payload.reason))


@router.post("/treasury/draws/{draw}/reports", response={201: ReportOut})
def report_on_draw(request: HttpRequest, draw: int, payload: ReportIn) -> Any:
    """A member of the organization that received the money tells how it was used."""
    member = signed_in(request)
    found = access.access_draw(member, draw)
    if not access.is_requester(member, found):
        raise PermissionDenied
    spent = money_in(payload.spent, field="spent")
    if spent.currency != found.currency:
        raise ValidationError(
            {"spent": _("Pay in the draw's currency, %(currency)s.") % {"currency": found.currency}}
        )
    report = actions.report_on_draw(member, draw=found, text=payload.text, spent=spent.minor)
    return Status(201, _report(report))


def _report(report: Report) -> dict[str, Any]:
    return {
        "id": report.pk,
        "draw": report.draw_id,
        "text": report.text,
        "spent": _minor(report.spent, report.draw.currency),
        "written_by": report.written_by.display_name,
        "submitted_at": report.submitted_at,
    }


# Pledges and contributions ------------------------------------------------------------------


@router.post("/treasury/funds/{fund}/pledges", response={201: PledgeOut})
def make_pledge(request: HttpRequest, fund: str, payload: PledgeIn) -> Any:
    member = signed_in(request)
    found = access.access_fund(member, fund)
    organization = _organization(found, payload.organization)
    _check_coordinator(member, organization)
    income = money_in(payload.declared_income, field="declared_income")
    pledge = actions.make_pledge(
        member,
        fund=found,
        organization=organization,
        percent=payload.percent,
        period=payload.period,
        currency=income.currency,
        declared_income=str(income.decimal),
        starts_on=payload.starts_on,
    )
    return Status(201, _pledge(pledge))


@router.post("/treasury/pledges/{pledge}/cancel", response=PledgeOut)
def cancel_pledge(request: HttpRequest, pledge: int, payload: CancelPledgeIn) -> dict[str, Any]:
    member = signed_in(request)
    found = access.access_pledge(member, pledge, for_write=True)
    return _pledge(actions.cancel_pledge(member, pledge=found, on=payload.on))


@router.post(
    "/treasury/funds/{fund}/contributions", response={200: ContributionOut, 201: ContributionOut}
)
def record_contribution(request: HttpRequest, fund: str, payload: ContributionIn) -> Any:
    """Record money received. `key` makes a retry safe: the same key and body answer 200
    with the contribution booked the first time; the same key with another body is refused
    (400) and books nothing."""
    member = signed_in(request)
    found = access.access_fund(member, fund, for_write=True)
    organization = _organization(found, payload.organization)
    money = money_in(payload.money, field="money")
    pledge = None
    if payload.pledge is not None:
        pledge = found.pledges.filter(pk=payload.pledge).first()
        if pledge is None:
            raise ValidationError(
                {"pledge": _("Choose a pledge of this organization in this currency.")}
            )
    held_by = _organization(found, payload.held_by, field="held_by") if payload.held_by else None
    retried = found.transfers.filter(key=f"contribution:{payload.key.strip()}").exists()
    contribution = actions.record_contribution(
        member,
        fund=found,
        organization=organization,
        amount=money.minor,
        currency=money.currency,
        received_on=payload.received_on,
        key=payload.key,
        pledge=pledge,
        note=payload.note,
        held_by=held_by,
    )
    return Status(200 if retried else 201, _contribution(contribution, key=payload.key.strip()))


def _contribution(contribution: Contribution, *, key: str) -> dict[str, Any]:
    transfer = contribution.transfer
    return {
        "id": contribution.pk,
        "key": key,
        "organization": contribution.organization.slug,
        "money": money_out(Money(transfer.amount, transfer.debit.currency)),
        "received_on": contribution.received_on,
        "pledge": contribution.pledge_id,
        "note": contribution.note,
        "transfer": transfer.pk,
    }


@router.post("/treasury/funds/{fund}/others", response={201: OtherOut})
def record_other(request: HttpRequest, fund: str, payload: OtherIn) -> Any:
    """Risk carried, insight or hours: recorded by a steward or the organization's
    coordinator, never priced."""
    member = signed_in(request)
    found = access.access_fund(member, fund)
    organization = _organization(found, payload.organization)
    if not (actions.is_steward(member, found) or member.is_coordinator_of(organization)):
        raise PermissionDenied
    other = actions.record_other(
        member,
        fund=found,
        organization=organization,
        kind=payload.kind,
        description=payload.description,
        given_on=payload.given_on,
        hours=payload.hours,
    )
    return Status(
        201,
        {
            "id": other.pk,
            "organization": organization.slug,
            "kind": other.kind,
            "description": other.description,
            "hours": other.hours,
            "given_on": other.given_on,
        },
    )


@router.post("/treasury/transfers/{transfer}/correct", response={201: TransferOut})
def correct_transfer(request: HttpRequest, transfer: int, payload: ReasonIn) -> Any:
    """Undo a contribution, exchange or custody move with its reversal."""
    member = signed_in(request)
    found = access.access_transfer(member, transfer)
    _check_steward(member, found.fund)
    reversal = actions.correct_transfer(member, transfer=found, reason=payload.reason)
    return Status(201, _transfer(reversal))


@router.post("/treasury/funds/{fund}/exchanges", response={201: list[TransferOut]})
def exchange_currency(request: HttpRequest, fund: str, payload: ExchangeIn) -> Any:
    """A currency exchange at the custodians: two linked transfers, each amount exact."""
    member = signed_in(request)
    found = access.access_fund(member, fund, for_write=True)
    transfers = actions.exchange_currency(
        member,
        fund=found,
        sold=money_in(payload.sold, field="sold"),
        bought=money_in(payload.bought, field="bought"),
        key=payload.key,
        note=payload.note,
    )
    return Status(201, [_transfer(t) for t in transfers])


@router.post("/treasury/funds/{fund}/custody", response={201: CustodyOut})
def move_custody(request: HttpRequest, fund: str, payload: CustodyIn) -> Any:
    member = signed_in(request)
    found = access.access_fund(member, fund, for_write=True)
    custody = actions.move_custody(
        member,
        fund=found,
        currency=payload.currency,
        organization=_organization(found, payload.organization),
    )
    return Status(
        201,
        {
            "currency": custody.currency,
            "organization": custody.organization.slug,
            "since": custody.since,
        },
    )


# Proposals ----------------------------------------------------------------------------------


@router.post("/treasury/funds/{fund}/proposals", response={201: ProposalOut})
def propose(request: HttpRequest, fund: str, payload: ProposalIn) -> Any:
    """A steward proposes new rules (`rules`, by the names the fund shows; the emergency
    limit as decimal text in the fund's currency) or a handover to the next stewards,
    drawn in rotation. The proposer's approval is counted."""
    member = signed_in(request)
    found = access.access_fund(member, fund, for_write=True)
    if payload.kind == ProposalKind.HANDOVER:
        proposal = actions.propose_handover(member, fund=found)
    else:
        proposal = actions.propose_rules(
            member, fund=found, rules=_rules_in(found, payload.rules), reason=payload.reason
        )
    return Status(201, _proposal(proposal))


def _rules_in(fund: Fund, rules: dict[str, Any]) -> dict[str, Any]:
    rules = dict(rules)
    if "emergency_limit" in rules:
        limit = rules["emergency_limit"]
        if not isinstance(limit, str):
            raise ValidationError(
                {
                    "emergency_limit": _(
                        "Enter an amount in %(currency)s with no more decimals than it has."
                    )
                    % {"currency": fund.currency}
                }
            )
        rules["emergency_limit"] = money_in(
            MoneyIn(amount=limit, currency=fund.currency), field="emergency_limit"
        ).minor
    return rules


@router.get("/treasury/proposals/{proposal}", response=ProposalOut)
def proposal(request: HttpRequest, proposal: int) -> dict[str, Any]:
    found = access.access_proposal(signed_in(request), proposal)
    return _proposal(found)


@router.post("/treasury/proposals/{proposal}/votes", response=ProposalOut)
def vote_on_proposal(request: HttpRequest, proposal: int, payload: ProposalVoteIn) -> Any:
    member = signed_in(request)
    found = access.access_proposal(member, proposal)
    _check_steward(member, found.fund)
    voted = actions.vote_on_proposal(
        member, proposal=found, choice=payload.choice, reason=payload.reason
    )
    return _proposal(voted)
