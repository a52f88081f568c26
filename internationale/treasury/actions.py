"""The only write path of the treasury.

Each action validates, writes inside one transaction, records an audit event, and raises
ValidationError with a translated message when the input is wrong, having written nothing.
Money moves only through `booking.book`, which applies the ledger core's rules.
"""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from internationale.core import audit
from internationale.core.money import Money, MoneyError, is_currency
from internationale.network.actions import _check_can_coordinate as _check_coordinator
from internationale.network.actions import _text
from internationale.network.models import Capability, Member, Membership, Network, Organization
from internationale.treasury import ledger
from internationale.treasury.booking import (
    Posting,
    book,
    book_batch,
    ids_after,
    insert_rows,
    last_id,
    stored_keys,
)
from internationale.treasury.models import (
    Account,
    AccountKind,
    Category,
    Choice,
    Contribution,
    Custody,
    Draw,
    DrawKind,
    DrawState,
    DrawVote,
    Fund,
    OtherContribution,
    OtherKind,
    Period,
    Pledge,
    Proposal,
    ProposalKind,
    ProposalState,
    ProposalVote,
    Report,
    Steward,
    Term,
    TermState,
    Transfer,
    TransferKind,
    when,
)

FAST_TRACK_APPROVALS = 2
KEY_LIMIT = 80


# Opening a fund and its rules ---------------------------------------------------------------


def open_fund(
    actor: Member | None,
    *,
    network: Network,
    name: str,
    currency: str,
    custodian: Organization,
    stewards: Sequence[Member] = (),
    rules: dict[str, Any] | None = None,
) -> Fund:
    """Open the network's fund. The first stewards are those named, or else drawn in
    rotation from the network's organizations; `custodian` holds the base currency."""
    if actor is not None and not actor.coordinates_in(network):
        raise ValidationError(_("Only a coordinator in the network can open its fund."))
    if Fund.objects.filter(network=network).exists():
        raise ValidationError(_("This network already has a fund."))
    name = _text(name, field="name", limit=120)
    currency = _currency(currency)
    _check_in_network(custodian, network, field="custodian")
    fund = Fund(network=network, name=name, currency=currency)
    for field, value in _checked_rules(fund, rules or {}).items():
        setattr(fund, field, value)
    now = timezone.now()
    with transaction.atomic():
        fund.slug = _free_slug(network.slug)
        fund.save()
        seats = _seats(fund, stewards) if stewards else draw_stewards(fund)
        if not seats:
            raise ValidationError(
                {"stewards": _("No member of the network holds the steward capability yet.")}
            )
        term = Term.objects.create(
            fund=fund,
            state=TermState.SERVING,
            starts_on=timezone.localdate(now),
            ends_on=timezone.localdate(now) + timedelta(days=fund.steward_term_days),
        )
        Steward.objects.bulk_create(
            [Steward(term=term, member=m, organization=o) for m, o in seats]
        )
        Custody.objects.create(fund=fund, currency=currency, organization=custodian, since=now)
        _account(fund, AccountKind.HELD, currency, organization=custodian)
        audit.record(
            actor,
            "fund.open",
            fund,
            currency=currency,
            custodian=custodian.slug,
            stewards=[str(m) for m, _o in seats],
            rules=fund.rules(),
        )
    return fund


def _free_slug(text: str) -> str:
    base = slugify(text)[:50] or "fund"
    slug, n = base, 1
    while Fund.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _currency(code: str, field: str = "currency") -> str:
    code = (code or "").strip().upper()
    if not is_currency(code):
        raise ValidationError({field: _("Choose a currency by its ISO 4217 code, such as USD.")})
    return code


def _check_in_network(organization: Organization, network: Network, *, field: str) -> None:
    if not organization.networks.filter(pk=network.pk).exists():
        raise ValidationError({field: _("This organization is not in the fund's network.")})


RULE_LIMITS = {
    "weight_urgency": (0, 10),
    "weight_strategy": (0, 10),
    "weight_need": (0, 10),
    "approvals_needed": (1, 20),
    "steward_seats": (1, 20),
    "emergency_limit": (0, 10**15),
    "steward_term_days": (30, 1100),
    "report_days": (7, 365),
    "reservation_days": (1, 365),
}


def _checked_rules(fund: Fund, rules: dict[str, Any]) -> dict[str, Any]:
    """The rules with every value checked; unknown names are refused."""
    unknown = set(rules) - set(Fund.RULE_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown rule: %(name)s.") % {"name": min(unknown)})
    merged = {**fund.rules(), **rules}
    checked: dict[str, Any] = {}
    for name, value in merged.items():
        if name == "public_summary":
            if not isinstance(value, bool):
                raise ValidationError({name: _("Choose yes or no.")})
            checked[name] = value
            continue
        low, high = RULE_LIMITS[name]
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise ValidationError(
                {
                    name: _("Enter a whole number from %(low)s to %(high)s.")
                    % {"low": low, "high": high}
                }
            )
        checked[name] = value
    if checked["weight_urgency"] + checked["weight_strategy"] + checked["weight_need"] == 0:
        raise ValidationError({"weight_urgency": _("At least one criterion needs a weight.")})
    if checked["approvals_needed"] > checked["steward_seats"]:
        raise ValidationError(
            {"approvals_needed": _("The approvals needed cannot exceed the stewards per term.")}
        )
    return checked


def propose_rules(actor: Member, *, fund: Fund, rules: dict[str, Any], reason: str) -> Proposal:
    """A steward proposes new rules; they apply once the stewards adopt them."""
    _check_steward(actor, fund)
    checked = _checked_rules(fund, rules)
    changed = {k: v for k, v in checked.items() if getattr(fund, k) != v}
    if not changed:
        raise ValidationError(_("These are the rules already in force."))
    reason = _text(reason, field="reason", limit=2000, multiline=True)
    with transaction.atomic():
        proposal = Proposal.objects.create(
            fund=fund, kind=ProposalKind.RULES, rules=changed, reason=reason, proposed_by=actor
        )
        audit.record(actor, "fund.propose_rules", proposal, fund=fund.slug, rules=changed)
        _vote(actor, proposal, choice=Choice.APPROVE, reason="")
    return proposal


def vote_on_proposal(actor: Member, *, proposal: Proposal, choice: str, reason: str) -> Proposal:
    """Approve or object. At the threshold the proposal is adopted; one reasoned objection
    rejects it."""
    with transaction.atomic():
        proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
        _check_steward(actor, proposal.fund)
        if proposal.state != ProposalState.OPEN:
            raise ValidationError(_("This proposal is already decided."))
        if proposal.votes.filter(steward=actor).exists():
            raise ValidationError(_("You have already voted on this."))
        _vote(actor, proposal, choice=choice, reason=reason)
    return proposal


def _vote(actor: Member, proposal: Proposal, *, choice: str, reason: str) -> None:
    choice, reason = _choice(choice, reason)
    ProposalVote.objects.create(proposal=proposal, steward=actor, choice=choice, reason=reason)
    audit.record(actor, f"proposal.{choice}", proposal, reason=reason)
    fund = proposal.fund
    if choice == Choice.OBJECT:
        proposal.state = ProposalState.REJECTED
        proposal.decided_at = timezone.now()
        proposal.save(update_fields=["state", "decided_at"])
        if proposal.term is not None:
            proposal.term.state = TermState.REJECTED
            proposal.term.save(update_fields=["state"])
        audit.record(None, "proposal.reject", proposal)
        return
    approvals = proposal.votes.filter(choice=Choice.APPROVE).count()
    if approvals < min(fund.approvals_needed, len(serving_stewards(fund))):
        return
    proposal.state = ProposalState.ADOPTED
    proposal.decided_at = timezone.now()
    proposal.save(update_fields=["state", "decided_at"])
    if proposal.kind == ProposalKind.RULES:
        before = {k: getattr(fund, k) for k in proposal.rules}
        for name, value in proposal.rules.items():
            setattr(fund, name, value)
        fund.save(update_fields=list(proposal.rules))
        audit.record(None, "fund.rules", fund, before=before, after=proposal.rules)
    elif proposal.term is not None:
        _hand_over(fund, proposal.term)


def _choice(choice: str, reason: str) -> tuple[str, str]:
    if choice not in Choice.values:
        raise ValidationError({"choice": _("Approve or object.")})
    reason = _text(reason, field="reason", limit=2000, required=False, multiline=True)
    if choice == Choice.OBJECT and not reason:
        raise ValidationError({"reason": _("An objection needs its reason.")})
    return choice, reason


# Stewards ---------------------------------------------------------------------------------


def serving_term(fund: Fund) -> Term | None:
    return fund.terms.filter(state=TermState.SERVING).first()


def serving_stewards(fund: Fund) -> list[Steward]:
    term = serving_term(fund)
    if term is None:
        return []
    return list(term.seats.select_related("member", "organization"))


def is_steward(member: Member | None, fund: Fund) -> bool:
    return member is not None and any(s.member_id == member.pk for s in serving_stewards(fund))


def _check_steward(actor: Member | None, fund: Fund) -> None:
    if actor is not None and not is_steward(actor, fund):
        raise ValidationError(_("Only the fund's serving stewards can do this."))


def _seats(fund: Fund, members: Sequence[Member]) -> list[tuple[Member, Organization]]:
    seats = []
    for member in members:
        membership = _steward_membership(member, fund)
        if membership is None:
            raise ValidationError(
                {
                    "stewards": _("%(member)s does not hold the steward capability in the network.")
                    % {"member": member}
                }
            )
        seats.append((member, membership.organization))
    return seats


def _steward_membership(member: Member, fund: Fund) -> Membership | None:
    for membership in (
        Membership.objects.in_network(fund.network)
        .filter(member=member)
        .select_related("organization")
    ):
        if membership.has(Capability.STEWARD):
            return membership
    return None


def draw_stewards(fund: Fund) -> list[tuple[Member, Organization]]:
    """The next stewards, drawn in rotation: organizations that served longest ago (or
    never) come first, at most one per country while other countries have candidates, and
    within an organization the steward-capable member who served longest ago."""
    last_served: dict[int, date] = {}
    member_served: dict[int, date] = {}
    for seat in Steward.objects.filter(
        term__fund=fund, term__state__in=[TermState.SERVING, TermState.ENDED]
    ).select_related("term"):
        day = seat.term.starts_on
        last_served[seat.organization_id] = max(last_served.get(seat.organization_id, day), day)
        member_served[seat.member_id] = max(member_served.get(seat.member_id, day), day)
    candidates: dict[int, list[Membership]] = {}
    for membership in (
        Membership.objects.in_network(fund.network)
        .select_related("organization", "member")
        .order_by("organization__name", "member__display_name")
    ):
        if membership.has(Capability.STEWARD) and membership.member.is_active:
            candidates.setdefault(membership.organization_id, []).append(membership)
    never = date.min
    organizations = sorted(
        candidates,
        key=lambda org: (last_served.get(org, never), candidates[org][0].organization.name),
    )
    chosen: list[tuple[Member, Organization]] = []
    countries: set[str] = set()
    for allow_same_country in (False, True):
        for org in organizations:
            if len(chosen) >= fund.steward_seats:
                return chosen
            organization = candidates[org][0].organization
            if any(o.pk == org for _m, o in chosen):
                continue
            if organization.country in countries and not allow_same_country:
                continue
            member = min(
                (m.member for m in candidates[org] if all(m.member != c for c, _o in chosen)),
                key=lambda m: (member_served.get(m.pk, never), m.display_name),
                default=None,
            )
            if member is not None:
                chosen.append((member, organization))
                countries.add(organization.country)
    return chosen


def propose_handover(actor: Member, *, fund: Fund) -> Proposal:
    """Draw the next stewards in rotation and put the handover to the serving stewards."""
    _check_steward(actor, fund)
    if fund.proposals.filter(kind=ProposalKind.HANDOVER, state=ProposalState.OPEN).exists():
        raise ValidationError(_("A handover is already waiting for the stewards' decision."))
    seats = draw_stewards(fund)
    if not seats:
        raise ValidationError(_("No member of the network holds the steward capability yet."))
    today = timezone.localdate()
    with transaction.atomic():
        term = Term.objects.create(
            fund=fund,
            state=TermState.PROPOSED,
            starts_on=today,
            ends_on=today + timedelta(days=fund.steward_term_days),
        )
        Steward.objects.bulk_create(
            [Steward(term=term, member=m, organization=o) for m, o in seats]
        )
        proposal = Proposal.objects.create(
            fund=fund, kind=ProposalKind.HANDOVER, term=term, proposed_by=actor
        )
        audit.record(actor, "fund.propose_handover", proposal, stewards=[str(m) for m, _o in seats])
        _vote(actor, proposal, choice=Choice.APPROVE, reason="")
    return proposal


def _hand_over(fund: Fund, term: Term) -> None:
    today = timezone.localdate()
    fund.terms.filter(state=TermState.SERVING).update(state=TermState.ENDED, ends_on=today)
    term.state = TermState.SERVING
    term.starts_on = today
    term.ends_on = today + timedelta(days=fund.steward_term_days)
    term.save(update_fields=["state", "starts_on", "ends_on"])
    audit.record(None, "fund.handover", fund, term=term.pk)


# Pledges and contributions ------------------------------------------------------------------


def make_pledge(
    actor: Member | None,
    *,
    fund: Fund,
    organization: Organization,
    percent: str,
    period: str,
    currency: str,
    declared_income: str,
    starts_on: date,
) -> Pledge:
    """An organization's coordinator commits a share of its declared income per period."""
    _check_coordinator(actor, organization)
    _check_in_network(organization, fund.network, field="organization")
    if period not in Period.values:
        raise ValidationError({"period": _("Choose a month or a quarter.")})
    currency = _currency(currency)
    basis_points = _basis_points(percent)
    income = _amount(declared_income, currency, field="declared_income")
    with transaction.atomic():
        pledge = Pledge.objects.create(
            fund=fund,
            organization=organization,
            basis_points=basis_points,
            period=period,
            currency=currency,
            declared_income=income.minor,
            starts_on=starts_on,
            created_by=actor if actor is not None else _any_coordinator(organization),
        )
        audit.record(
            actor,
            "pledge.make",
            pledge,
            basis_points=basis_points,
            period=period,
            income=income.minor,
            currency=currency,
        )
    return pledge


def _any_coordinator(organization: Organization) -> Member:
    membership = organization.memberships.filter(role="coordinator").select_related("member")
    first = membership.first()
    if first is None:
        raise ValidationError(_("The organization has no coordinator."))
    return first.member


def cancel_pledge(actor: Member | None, *, pledge: Pledge, on: date | None = None) -> Pledge:
    """A cancelled pledge expects nothing for periods that start after `on`."""
    _check_coordinator(actor, pledge.organization)
    if pledge.cancelled_on is not None:
        raise ValidationError(_("This pledge is already cancelled."))
    if actor is not None and on is not None and on < timezone.localdate():
        # Periods that have passed stay expected: a cancellation cannot erase arrears.
        raise ValidationError({"on": _("A pledge can be cancelled from today on, not before.")})
    with transaction.atomic():
        pledge.cancelled_on = on or timezone.localdate()
        pledge.save(update_fields=["cancelled_on"])
        audit.record(actor, "pledge.cancel", pledge, on=str(pledge.cancelled_on))
    return pledge


def _basis_points(text: str) -> int:
    try:
        share = Money.parse(str(text), "USD")  # two decimals: hundredths of a percent
    except MoneyError:
        raise ValidationError(
            {"percent": _("Enter a percentage with at most two decimals, such as 2.5.")}
        ) from None
    if not 0 < share.minor <= 10_000:
        raise ValidationError({"percent": _("Enter a percentage above 0 and at most 100.")})
    return share.minor


def _amount(text: str | int, currency: str, *, field: str = "amount") -> Money:
    """An amount above zero: minor units as an integer, or decimal text."""
    money = _exact(text, currency, field=field)
    if money.minor <= 0:
        raise ValidationError({field: _("The amount must be more than zero.")})
    return money


def _exact(text: str | int, currency: str, *, field: str) -> Money:
    """Minor units as an integer, or decimal text (empty text is zero), read exactly."""
    try:
        if isinstance(text, int):
            return Money(text, currency)
        return Money.parse(text or "0", currency)
    except MoneyError:
        raise ValidationError(
            {
                field: _("Enter an amount in %(currency)s with no more decimals than it has.")
                % {"currency": currency}
            }
        ) from None


def _key(key: str) -> str:
    key = (key or "").strip()
    if not key or len(key) > KEY_LIMIT or any(c.isspace() for c in key):
        raise ValidationError(
            {"key": _("Give an idempotency key of 1 to 80 characters without spaces.")}
        )
    return key


@dataclass(frozen=True)
class Receipt:
    """One contribution to record: what `record_contributions` takes."""

    organization: Organization
    amount: Money
    received_on: date
    key: str
    pledge: Pledge | None = None
    note: str = ""


def record_contribution(
    actor: Member | None,
    *,
    fund: Fund,
    organization: Organization,
    amount: str | int,
    currency: str,
    received_on: date,
    key: str,
    pledge: Pledge | None = None,
    note: str = "",
    held_by: Organization | None = None,
) -> Contribution:
    """A steward records money received. The key makes a retry harmless: the same key with
    the same contribution returns the first booking; with another, it is refused."""
    currency = _currency(currency)
    receipt = Receipt(
        organization=organization,
        amount=_amount(amount, currency),
        received_on=received_on,
        key=_key(key),
        pledge=pledge,
        note=_text(note, field="note", limit=300, required=False),
    )
    (recorded,) = record_contributions(actor, fund=fund, receipts=[receipt], held_by=held_by)
    return Contribution.objects.select_related(
        "transfer__debit", "transfer__credit", "organization", "pledge"
    ).get(pk=recorded.contribution)


@dataclass(frozen=True, slots=True)
class Recorded:
    """A contribution of a batch as stored, and whether an earlier call recorded it."""

    contribution: int
    transfer: int
    retried: bool


def record_contributions(
    actor: Member | None,
    *,
    fund: Fund,
    receipts: Sequence[Receipt],
    held_by: Organization | None = None,
) -> list[Recorded]:
    """Record a batch of contributions in one transaction (all or none). Returns plain
    records, in order: an import of thousands of rows makes no model instance per row."""
    _check_steward(actor, fund)
    now = timezone.now()
    for organization in {r.organization.pk: r.organization for r in receipts}.values():
        _check_in_network(organization, fund.network, field="organization")
    for receipt in receipts:
        if receipt.pledge is not None and (
            receipt.pledge.fund_id != fund.pk
            or receipt.pledge.organization_id != receipt.organization.pk
            or receipt.pledge.currency != receipt.amount.currency
        ):
            raise ValidationError(
                {"pledge": _("Choose a pledge of this organization in this currency.")}
            )
    with transaction.atomic():
        # A retry keeps the accounts of its first booking, even if custody moved since.
        found = stored_keys(fund, [f"contribution:{r.key}" for r in receipts])
        booked = {
            key: (debit, credit)
            for key, debit, credit in Transfer.objects.filter(fund=fund, key__in=found).values_list(
                "key", "debit__code", "credit__code"
            )
        }
        postings = []
        # A batch names few accounts: look each up once, not once per receipt.
        held_accounts: dict[str, Account] = {}
        sources: dict[tuple[str, int], Account] = {}
        for receipt in receipts:
            currency = receipt.amount.currency
            if currency not in held_accounts:
                held_accounts[currency] = _held_account(
                    fund, currency, held_by or receipt.organization, now=now
                )
            held = held_accounts[currency]
            if (currency, receipt.organization.pk) not in sources:
                sources[currency, receipt.organization.pk] = _account(
                    fund, AccountKind.CONTRIBUTIONS, currency, receipt.organization
                )
            source = sources[currency, receipt.organization.pk]
            postings.append(
                [
                    Posting(
                        transfer=ledger.Transfer(
                            id=f"contribution:{receipt.key}",
                            debit=booked.get(f"contribution:{receipt.key}", (source.code,))[0],
                            credit=booked.get(f"contribution:{receipt.key}", ("", held.code))[1],
                            amount=receipt.amount.minor,
                        ),
                        category=Category.CONTRIBUTION,
                        organization=receipt.organization,
                        memo=receipt.note,
                    )
                ]
            )
        transfers = book_batch(actor, fund, postings, now=now)
        retried = [t.pk for t in transfers if t.retried]
        known = {c.transfer_id: c for c in Contribution.objects.filter(transfer__in=retried)}
        fresh: list[tuple[Any, ...]] = []
        for receipt, transfer in zip(receipts, transfers, strict=True):
            earlier = known.get(transfer.pk)
            if earlier is None:
                fresh.append(
                    (
                        fund.pk,
                        receipt.organization.pk,
                        receipt.pledge.pk if receipt.pledge else None,
                        transfer.pk,
                        receipt.received_on,
                        receipt.note,
                        actor.pk if actor is not None else None,
                    )
                )
            elif (
                earlier.organization_id,
                earlier.pledge_id,
                earlier.received_on,
                earlier.note,
            ) != (
                receipt.organization.pk,
                receipt.pledge.pk if receipt.pledge else None,
                receipt.received_on,
                receipt.note,
            ):
                raise ValidationError(
                    {
                        "key": _(
                            "This key was already used for a different transfer; "
                            "nothing was booked."
                        )
                    }
                )
        before = last_id(Contribution)
        insert_rows(
            Contribution,
            ["fund", "organization", "pledge", "transfer", "received_on", "note", "recorded_by"],
            fresh,
        )
        ids = dict(ids_after(Contribution, before, fund=fund.pk))
    return [
        Recorded(
            contribution=known[t.pk].pk if t.retried else ids[t.pk],
            transfer=t.pk,
            retried=t.retried,
        )
        for t in transfers
    ]


CORRECTABLE = (Category.CONTRIBUTION, Category.EXCHANGE)


def correct_transfer(actor: Member, *, transfer: Transfer, reason: str) -> Transfer:
    """Undo a posted contribution or exchange with its reversal (entries are never
    changed). An exchange is undone whole: both legs are reversed together. A custody move
    is undone by moving custody back, so that no money stays with a former holder."""
    _check_steward(actor, transfer.fund)
    reason = _text(reason, field="reason", limit=300)
    if transfer.kind != TransferKind.POSTED or transfer.category not in CORRECTABLE:
        raise ValidationError(_("Only a contribution or an exchange can be corrected."))
    legs = [transfer]
    if transfer.category == Category.EXCHANGE and transfer.link:
        legs = list(
            Transfer.objects.filter(fund=transfer.fund_id, link=transfer.link)
            .select_related("debit", "credit", "organization")
            .order_by("id")
        )
    if Transfer.objects.filter(reverses__in=legs).exists():
        # The reversal's key is derived from the transfer's, so booking it again would be
        # taken for a retry and answered with the first reversal: say so instead.
        raise ValidationError(_("This transfer was already corrected."))
    with transaction.atomic():
        reversals = book(
            actor,
            transfer.fund,
            [
                [
                    Posting(
                        transfer=ledger.Transfer(
                            id=f"{leg.key}:reversal",
                            debit=leg.credit.code,
                            credit=leg.debit.code,
                            amount=leg.amount,
                            reverses=leg.key,
                        ),
                        category=Category.CORRECTION,
                        organization=leg.organization,
                        memo=reason,
                        link=f"{leg.link}:reversal" if leg.link else "",
                    )
                    for leg in legs
                ]
            ],
            now=timezone.now(),
        )
        audit.record(actor, "transfer.correct", transfer, reason=reason)
    return next(r for r, leg in zip(reversals, legs, strict=True) if leg.pk == transfer.pk)


def exchange_currency(
    actor: Member,
    *,
    fund: Fund,
    sold: Money,
    bought: Money,
    key: str,
    note: str = "",
) -> list[Transfer]:
    """Record a currency exchange at the custodians of both currencies: two linked
    transfers through the exchange accounts, each amount exact; no rate is stored."""
    _check_steward(actor, fund)
    key = _key(key)
    if sold.currency == bought.currency:
        raise ValidationError(_("An exchange needs two different currencies."))
    if sold.minor <= 0 or bought.minor <= 0:
        raise ValidationError(_("The amount must be more than zero."))
    now = timezone.now()
    link = f"exchange:{key}"
    with transaction.atomic():
        earlier = list(
            Transfer.objects.filter(fund=fund, link=link).select_related("debit").order_by("id")
        )
        if earlier:
            # A retry: the same exchange again returns the first booking, whoever holds the
            # money now; another exchange under the same key is refused.
            if [(t.amount, t.debit.currency) for t in earlier] != [
                (sold.minor, sold.currency),
                (bought.minor, bought.currency),
            ]:
                raise ValidationError(
                    {
                        "key": _(
                            "This key was already used for a different transfer; "
                            "nothing was booked."
                        )
                    }
                )
            return earlier
        source = _custodian_account(fund, sold.currency)
        if source is None or source.organization is None:
            raise ValidationError(
                _("The fund holds no %(currency)s.") % {"currency": sold.currency}
            )
        target = _custodian_account(fund, bought.currency) or _held_account(
            fund, bought.currency, source.organization, now=now
        )
        legs = ledger.exchange(
            id=f"exchange:{key}",
            source=source.code,
            target=target.code,
            source_exchange=_account(fund, AccountKind.EXCHANGE, sold.currency).code,
            target_exchange=_account(fund, AccountKind.EXCHANGE, bought.currency).code,
            sold=sold.minor,
            bought=bought.minor,
        )
        transfers = book(
            actor,
            fund,
            [
                *_gathered(fund, sold.currency, source),
                [
                    Posting(transfer=leg, category=Category.EXCHANGE, memo=note, link=link)
                    for leg in legs
                ],
            ],
            now=now,
        )
    return transfers[-2:]


def move_custody(
    actor: Member, *, fund: Fund, currency: str, organization: Organization
) -> Custody:
    """Hand a currency's money to another organization to hold. What is available moves by
    internal transfers between holding accounts (totals do not change); money reserved for
    approved draws stays where it is until paid or released, and whatever a release gives
    back there is gathered to the custodian when it is next needed."""
    _check_steward(actor, fund)
    currency = _currency(currency)
    _check_in_network(organization, fund.network, field="organization")
    now = timezone.now()
    with transaction.atomic():
        current = fund.custodies.select_for_update().filter(currency=currency, current=True).first()
        if current is None:
            raise ValidationError(_("The fund holds no %(currency)s.") % {"currency": currency})
        if current.organization_id == organization.pk:
            raise ValidationError({"organization": _("This organization holds it already.")})
        target = _account(fund, AccountKind.HELD, currency, organization)
        moves = _gathered(fund, currency, target)
        if moves:
            book(actor, fund, moves, now=now)
        current.current = False
        current.save(update_fields=["current"])
        custody = Custody.objects.create(
            fund=fund, currency=currency, organization=organization, since=now
        )
        audit.record(
            actor,
            "fund.custody",
            fund,
            currency=currency,
            before=current.organization.slug,
            after=organization.slug,
        )
    return custody


def _account(
    fund: Fund,
    kind: AccountKind,
    currency: str,
    organization: Organization | None = None,
    *,
    draw_kind: str = "",
) -> Account:
    owner = organization.slug if organization is not None else draw_kind
    code = ":".join(part for part in (kind.value, owner, currency) if part)
    account, _created = Account.objects.get_or_create(
        fund=fund,
        code=code,
        defaults={
            "kind": kind,
            "currency": currency,
            "organization": organization,
            "draw_kind": draw_kind,
            "debits_must_not_exceed_credits": kind == AccountKind.HELD,
        },
    )
    return account


def _gathered(fund: Fund, currency: str, custodian: Account) -> list[list[Posting]]:
    """Transfers that bring to `custodian` what former holders of the currency still have
    available (money a reservation made before a change of custody gave back), so that all
    of it can be drawn. The accounts are locked before their balances are read."""
    others = (
        Account.objects.select_for_update()
        .filter(fund=fund, kind=AccountKind.HELD, currency=currency)
        .exclude(pk=custodian.pk)
        .order_by("id")
    )
    return [
        [
            Posting(
                transfer=ledger.Transfer(
                    id=f"custody:{currency}:{uuid.uuid4().hex}",
                    debit=account.code,
                    credit=custodian.code,
                    amount=account.available.minor,
                ),
                category=Category.CUSTODY,
                organization=custodian.organization,
            )
        ]
        for account in others
        if account.available.minor > 0
    ]


def _custodian_account(fund: Fund, currency: str) -> Account | None:
    """The holding account of the currency's custodian; its custody row stays locked to the
    end of the transaction, so that custody cannot move under a booking."""
    custody = (
        fund.custodies.select_for_update(of=("self",))
        .filter(currency=currency, current=True)
        .select_related("organization")
        .first()
    )
    if custody is None:
        return None
    return _account(fund, AccountKind.HELD, currency, custody.organization)


def _held_account(fund: Fund, currency: str, fallback: Organization, *, now: datetime) -> Account:
    """The account of the currency's custodian; the first money in a currency makes
    `fallback` its custodian."""
    account = _custodian_account(fund, currency)
    if account is not None:
        return account
    _check_in_network(fallback, fund.network, field="held_by")
    try:
        with transaction.atomic():
            Custody.objects.create(fund=fund, currency=currency, organization=fallback, since=now)
    except IntegrityError:
        # Another booking gave the currency its first holder at the same moment.
        account = _custodian_account(fund, currency)
        assert account is not None
        return account
    return _account(fund, AccountKind.HELD, currency, fallback)


# The register of what is not money -------------------------------------------------------


def record_other(
    actor: Member | None,
    *,
    fund: Fund,
    organization: Organization,
    kind: str,
    description: str,
    given_on: date,
    hours: int | None = None,
) -> OtherContribution:
    """Risk carried, strategic insight or hours, named as such and never priced. A steward
    or the organization's own coordinator records it."""
    if actor is not None and not (is_steward(actor, fund) or actor.is_coordinator_of(organization)):
        raise ValidationError(
            _("Only a steward or a coordinator of the organization can record this.")
        )
    _check_in_network(organization, fund.network, field="organization")
    if kind not in OtherKind.values:
        raise ValidationError({"kind": _("Choose risk, insight or hours.")})
    description = _text(description, field="description", limit=2000, multiline=True)
    if kind == OtherKind.HOURS and (hours is None or not 0 < hours <= 100_000):
        raise ValidationError({"hours": _("Give the number of hours.")})
    with transaction.atomic():
        other = OtherContribution.objects.create(
            fund=fund,
            organization=organization,
            kind=kind,
            description=description,
            hours=hours if kind == OtherKind.HOURS else None,
            given_on=given_on,
            recorded_by=actor,
        )
        audit.record(actor, "other.record", other, kind=kind, hours=other.hours)
    return other


# Draws ------------------------------------------------------------------------------------


def request_draw(
    actor: Member | None,
    *,
    fund: Fund,
    organization: Organization,
    kind: str,
    amount: str | int,
    currency: str,
    means: str | int,
    needed_by: date,
    narrative: str,
    evidence: str = "",
    blind: bool = False,
    emergency: bool = False,
) -> Draw:
    """A coordinator of a member organization asks the fund for money."""
    _check_coordinator(actor, organization)
    _check_in_network(organization, fund.network, field="organization")
    fund = Fund.objects.get(pk=fund.pk)  # the rules in force now, not a caller's copy
    fields = _draw_fields(
        fund,
        kind=kind,
        amount=amount,
        currency=currency,
        means=means,
        needed_by=needed_by,
        narrative=narrative,
        evidence=evidence,
        emergency=emergency,
    )
    with transaction.atomic():
        draw = Draw.objects.create(
            fund=fund,
            organization=organization,
            requested_by=actor if actor is not None else _any_coordinator(organization),
            blind=bool(blind),
            submitted_at=timezone.now(),
            **fields,
        )
        audit.record(
            actor,
            "draw.request",
            draw,
            amount=draw.amount,
            currency=draw.currency,
            kind=draw.kind,
            blind=draw.blind,
            emergency=draw.emergency,
        )
    return draw


def _draw_fields(
    fund: Fund,
    *,
    kind: str,
    amount: str | int,
    currency: str,
    means: str | int,
    needed_by: date,
    narrative: str,
    evidence: str,
    emergency: bool,
) -> dict[str, Any]:
    if kind not in DrawKind.values:
        raise ValidationError({"kind": _("Choose what the money is for.")})
    currency = _currency(currency)
    money = _amount(amount, currency)
    own = _exact(means, currency, field="means")
    if own.minor < 0:
        raise ValidationError({"means": _("Enter zero or more.")})
    if needed_by < timezone.localdate():
        raise ValidationError({"needed_by": _("The date the money is needed has passed.")})
    if emergency and (currency != fund.currency or money.minor > fund.emergency_limit):
        raise ValidationError(
            {
                "emergency": _("The fast track is for up to %(limit)s in the fund's currency.")
                % {"limit": fund.emergency_money}
            }
        )
    return {
        "kind": kind,
        "amount": money.minor,
        "currency": currency,
        "means": own.minor,
        "needed_by": needed_by,
        "narrative": _text(narrative, field="narrative", limit=10_000, multiline=True),
        "evidence": _text(evidence, field="evidence", limit=5000, required=False, multiline=True),
        "emergency": bool(emergency),
    }


def resubmit_draw(actor: Member, *, draw: Draw, **changes: Any) -> Draw:
    """After an objection, the requesting organization revises and submits again: a new
    round of review begins."""
    _check_coordinator(actor, draw.organization)
    if draw.state != DrawState.RETURNED:
        raise ValidationError(_("Only a request that was sent back can be submitted again."))
    current = {
        "kind": draw.kind,
        "amount": draw.amount,
        "currency": draw.currency,
        "means": draw.means,
        "needed_by": draw.needed_by,
        "narrative": draw.narrative,
        "evidence": draw.evidence,
        "emergency": draw.emergency,
    }
    fields = _draw_fields(Fund.objects.get(pk=draw.fund_id), **{**current, **changes})
    with transaction.atomic():
        draw = _locked(draw)
        if draw.state != DrawState.RETURNED:
            raise ValidationError(_("Only a request that was sent back can be submitted again."))
        for name, value in fields.items():
            setattr(draw, name, value)
        draw.state = DrawState.REVIEW
        draw.round += 1
        draw.submitted_at = timezone.now()
        draw.save(update_fields=[*fields, "state", "round", "submitted_at"])
        audit.record(actor, "draw.resubmit", draw, round=draw.round, amount=draw.amount)
    return draw


def withdraw_draw(actor: Member, *, draw: Draw) -> Draw:
    _check_coordinator(actor, draw.organization)
    if draw.state not in (DrawState.REVIEW, DrawState.RETURNED):
        raise ValidationError(_("Only a request still in review can be withdrawn."))
    with transaction.atomic():
        draw = _locked(draw)
        if draw.state not in (DrawState.REVIEW, DrawState.RETURNED):
            raise ValidationError(_("Only a request still in review can be withdrawn."))
        draw.state = DrawState.WITHDRAWN
        draw.save(update_fields=["state"])
        audit.record(actor, "draw.withdraw", draw)
    return draw


def _locked(draw: Draw) -> Draw:
    """The draw as it is now, locked until the transaction ends (on PostgreSQL; SQLite's
    write transactions already run one at a time)."""
    return Draw.objects.select_for_update(of=("self",)).select_related("fund").get(pk=draw.pk)


def may_vote(member: Member | None, draw: Draw) -> bool:
    """A serving steward who is not a member of the requesting organization."""
    return (
        member is not None
        and is_steward(member, draw.fund)
        and draw.organization_id not in member.organization_ids()
    )


def vote_on_draw(
    actor: Member, *, draw: Draw, choice: str, strategy: int, reason: str = ""
) -> Draw:
    """A steward approves or objects, rating strategic importance from 1 to 5.

    At the threshold (the fund's N of M, or two on the emergency fast track) the money is
    reserved at once; if the fund cannot cover it, the vote is refused and nothing is
    written. One reasoned objection sends the request back to its organization. After a
    fast-track approval the other stewards may still object: a reservation not yet paid
    out is then released and the request sent back."""
    choice, reason = _choice(choice, reason)
    if isinstance(strategy, bool) or not isinstance(strategy, int) or not 1 <= strategy <= 5:
        raise ValidationError({"strategy": _("Rate strategic importance from 1 to 5.")})
    with transaction.atomic():
        draw = Draw.objects.select_for_update(of=("self",)).select_related("fund").get(pk=draw.pk)
        if not is_steward(actor, draw.fund):
            raise ValidationError(_("Only the fund's serving stewards can do this."))
        if draw.organization_id in actor.organization_ids():
            raise ValidationError(
                _("You are a member of the requesting organization, so you cannot vote on it.")
            )
        after = draw.state in (DrawState.RESERVED, DrawState.PAID)
        if draw.state != DrawState.REVIEW and not (after and draw.emergency):
            raise ValidationError(_("This request is not waiting for a decision."))
        if draw.votes.filter(round=draw.round, steward=actor).exists():
            raise ValidationError(_("You have already voted on this."))
        if after and choice != Choice.OBJECT:
            raise ValidationError(_("This request is already approved."))
        now = timezone.now()
        DrawVote.objects.create(
            draw=draw,
            round=draw.round,
            steward=actor,
            choice=choice,
            strategy=strategy,
            reason=reason,
            after_decision=after,
            cast_at=now,
        )
        audit.record(actor, f"draw.{choice}", draw, round=draw.round, reason=reason)
        if choice == Choice.OBJECT:
            _send_back(draw, now=now)
        elif draw.votes.filter(round=draw.round, choice=Choice.APPROVE).count() >= (
            approvals_needed(draw)
        ):
            _reserve(actor, draw, now=now)
    return draw


def approvals_shown(
    draw: Draw, *, requester_shown: bool, seats: Sequence[Steward] | None = None
) -> int:
    """The approvals a reader is told a draw needs. While blind review hides who asked, the
    count leaves recusals out: how many stewards may not vote would tell whose it is."""
    if requester_shown:
        return approvals_needed(draw, seats=seats)
    seats = serving_stewards(draw.fund) if seats is None else seats
    wanted = FAST_TRACK_APPROVALS if draw.emergency else draw.fund.approvals_needed
    return max(1, min(wanted, len(seats)))


def approvals_needed(draw: Draw, *, seats: Sequence[Steward] | None = None) -> int:
    """N approvals (two on the fast track), but never more than the serving stewards who
    may vote on this draw, so a steward's recusal cannot block a request for good. Pass
    `seats` (serving_stewards of the fund) when asking for many draws."""
    wanted = FAST_TRACK_APPROVALS if draw.emergency else draw.fund.approvals_needed
    seats = serving_stewards(draw.fund) if seats is None else seats
    voters = sum(1 for seat in seats if draw.organization_id not in seat.member.organization_ids())
    return max(1, min(wanted, voters))


def _send_back(draw: Draw, *, now: datetime) -> None:
    if draw.state == DrawState.PAID:
        audit.record(None, "draw.objected_after_payment", draw)
        return
    reservation = draw.reservation
    if (
        draw.state == DrawState.RESERVED
        and reservation is not None
        and not Transfer.objects.filter(pending=reservation).exists()
    ):
        _close_reservation(None, draw, amount=None, now=now)
    draw.state = DrawState.RETURNED
    draw.decided_at = None
    draw.reservation = None
    draw.save(update_fields=["state", "decided_at", "reservation"])
    audit.record(None, "draw.send_back", draw, round=draw.round)


def _reserve(actor: Member | None, draw: Draw, *, now: datetime) -> None:
    fund = draw.fund
    held = _custodian_account(fund, draw.currency)
    if held is None:
        raise ValidationError(_("The fund holds no %(currency)s.") % {"currency": draw.currency})
    target = _account(fund, AccountKind.DRAWS, draw.currency, draw_kind=draw.kind)
    timeout = now + timedelta(days=fund.reservation_days)
    reservation = book(
        actor,
        fund,
        [
            *_gathered(fund, draw.currency, held),
            [
                Posting(
                    transfer=ledger.Transfer(
                        id=f"draw:{draw.pk}:{draw.round}:reserve",
                        debit=held.code,
                        credit=target.code,
                        amount=draw.amount,
                        kind=ledger.Kind.PENDING,
                        timeout_at=when(timeout),
                    ),
                    category=Category.DRAW,
                    organization=draw.organization,
                )
            ],
        ],
        now=now,
    )[-1]
    draw.state = DrawState.RESERVED
    draw.decided_at = now
    draw.reservation = reservation
    draw.save(update_fields=["state", "decided_at", "reservation"])
    audit.record(None, "draw.reserve", draw, amount=draw.amount, until=timeout.isoformat())


def pay_draw(actor: Member, *, draw: Draw, amount: str | int | None = None) -> Draw:
    """Pay out a reserved draw, in full or in part; the rest of the reservation is
    released. The receiving organization then owes a report by the fund's deadline."""
    _check_steward(actor, draw.fund)
    money = None if amount is None or amount == "" else _amount(amount, draw.currency)
    with transaction.atomic():
        draw = (
            Draw.objects.select_for_update(of=("self",))
            .select_related("fund", "reservation")
            .get(pk=draw.pk)
        )
        if draw.state != DrawState.RESERVED or draw.reservation is None:
            raise ValidationError(_("Only an approved draw with money reserved can be paid."))
        now = timezone.now()
        payment = _close_reservation(
            actor, draw, amount=money.minor if money else draw.amount, now=now
        )
        draw.state = DrawState.PAID
        draw.payment = payment
        draw.paid_amount = payment.amount
        draw.report_due = timezone.localdate(now) + timedelta(days=draw.fund.report_days)
        draw.save(update_fields=["state", "payment", "paid_amount", "report_due"])
        audit.record(actor, "draw.pay", draw, amount=payment.amount)
    return draw


def release_draw(actor: Member, *, draw: Draw, reason: str) -> Draw:
    """Void a reservation: the money goes back to the pool, nothing is paid."""
    _check_steward(actor, draw.fund)
    reason = _text(reason, field="reason", limit=2000, multiline=True)
    with transaction.atomic():
        draw = (
            Draw.objects.select_for_update(of=("self",))
            .select_related("fund", "reservation")
            .get(pk=draw.pk)
        )
        if draw.state != DrawState.RESERVED or draw.reservation is None:
            raise ValidationError(_("Only an approved draw with money reserved can be released."))
        _close_reservation(actor, draw, amount=None, now=timezone.now(), memo=reason)
        draw.state = DrawState.RELEASED
        draw.save(update_fields=["state"])
        audit.record(actor, "draw.release", draw, reason=reason)
    return draw


def _close_reservation(
    actor: Member | None, draw: Draw, *, amount: int | None, now: datetime, memo: str = ""
) -> Transfer:
    reservation = draw.reservation
    assert reservation is not None
    paying = amount is not None
    closing = book(
        actor,
        draw.fund,
        [
            [
                Posting(
                    transfer=ledger.Transfer(
                        id=f"{reservation.key}:{'pay' if paying else 'void'}",
                        amount=amount or 0,
                        kind=ledger.Kind.POST_PENDING if paying else ledger.Kind.VOID_PENDING,
                        pending_id=reservation.key,
                    ),
                    category=Category.DRAW,
                    organization=draw.organization,
                    memo=memo,
                )
            ]
        ],
        now=now,
    )[0]
    return closing


def report_on_draw(actor: Member, *, draw: Draw, text: str, spent: str | int) -> Report:
    """A member of the receiving organization tells how the money was used."""
    if actor.membership_in(draw.organization) is None:
        raise ValidationError(_("Only members of the receiving organization can report."))
    draw = Draw.objects.get(pk=draw.pk)
    if draw.state != DrawState.PAID:
        raise ValidationError(_("Only a paid draw is reported on."))
    text = _text(text, field="text", limit=10_000, multiline=True)
    used = _exact(spent, draw.currency, field="spent")
    if not 0 <= used.minor <= draw.paid_amount:
        raise ValidationError({"spent": _("Enter at most the amount paid out.")})
    with transaction.atomic():
        report = Report.objects.create(
            draw=draw, text=text, spent=used.minor, written_by=actor, submitted_at=timezone.now()
        )
        audit.record(actor, "draw.report", draw, spent=used.minor)
    return report


def expire_reservations(fund: Fund) -> int:
    """Release every reservation past its time (the worker runs this; any booking on the
    same account does it too). Returns how many draws it released."""
    now = timezone.now()
    count = 0
    for draw in fund.draws.filter(
        state=DrawState.RESERVED, reservation__timeout_at__lte=now
    ).select_related("reservation"):
        with transaction.atomic():
            locked = Draw.objects.select_for_update().get(pk=draw.pk)
            if locked.state != DrawState.RESERVED or locked.reservation is None:
                continue
            # Any booking on the account releases what is due; an empty batch does just that.
            book(None, fund, [], now=now, touch=[locked.reservation.debit.code])
            locked.state = DrawState.RELEASED
            locked.save(update_fields=["state"])
            audit.record(None, "draw.expire", locked)
            count += 1
    return count
