"""Pages of the fund: thin functions of access, form, action, render.

Every member of the fund's network reads the fund, its ledger and its exports; the serving
stewards record money and propose changes; coordinators of member organizations pledge.
The draw pages are in `draw_views.py`.
"""

import io
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Field, QuerySet
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from internationale.network import access as network_access
from internationale.network.access import reader, signed_in
from internationale.network.forms import add_errors
from internationale.network.models import Member, Organization
from internationale.treasury import actions, criteria, export, reports
from internationale.treasury.access import (
    access_fund,
    access_pledge,
    access_proposal,
    access_public_summary,
    access_transfer,
    hide_blind_requesters,
    shows_requester,
)
from internationale.treasury.forms import (
    ContributionForm,
    CorrectionForm,
    CustodyForm,
    ExchangeForm,
    OpenFundForm,
    OtherForm,
    PledgeForm,
    RulesForm,
    RulesProposalForm,
    VoteForm,
    new_key,
)
from internationale.treasury.models import (
    DrawState,
    Fund,
    ProposalKind,
    ProposalState,
    Report,
    Transfer,
    TransferKind,
)
from internationale.treasury.templatetags.treasury import minor_money

LEDGER_PAGE = 100
CORRECTABLE = actions.CORRECTABLE


def _organizations(fund: Fund) -> QuerySet[Organization]:
    return fund.network.organizations.order_by("name")


def _coordinated(member: Member, fund: Fund) -> QuerySet[Organization]:
    """The organizations of the fund's network that the member coordinates."""
    return _organizations(fund).filter(pk__in=[o.pk for o in member.coordinated_organizations()])


def _add_errors(form: Form, error: ValidationError) -> None:
    """An action's errors on the form; those of a hidden field (the idempotency key) are
    shown above the form, where the reader sees them."""
    add_errors(form, error)
    for name in [n for n in form.errors if n in form.fields and form.fields[n].widget.is_hidden]:
        form.add_error(None, form.errors.pop(name))


# The fund -----------------------------------------------------------------------------------


@login_required
def open_fund(request: HttpRequest, network: str) -> HttpResponse:
    member = signed_in(request)
    found = network_access.access_network(member, network, for_write=True)
    existing = Fund.objects.filter(network=found).first()
    if existing is not None:
        return redirect(existing)
    defaults = Fund(network=found)
    form = OpenFundForm(
        request.POST or None,
        organizations=found.organizations.order_by("name"),
        initial={**RulesForm.initial_for(defaults), "name": _("Solidarity fund")},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            fund = actions.open_fund(
                member,
                network=found,
                name=data["name"],
                currency=data["currency"],
                custodian=data["custodian"],
                rules=form.rules(),
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The fund is open. Its first stewards were drawn."))
            return redirect(fund)
    return render(request, "treasury/open_fund.html", {"network": found, "form": form})


@login_required
def fund(request: HttpRequest, fund: str) -> HttpResponse:
    member = signed_in(request)
    found = access_fund(member, fund)
    today = timezone.localdate()
    stewards = actions.serving_stewards(found)
    steward = any(s.member_id == member.pk for s in stewards)
    coordinated = list(_coordinated(member, found))
    queue = [
        (draw, score, shows_requester(member, draw))
        for draw, score in reports.queue(found, today=today)
    ]
    return render(
        request,
        "treasury/fund.html",
        {
            "fund": found,
            "rules": _rules(found),
            "urgency_table": criteria.URGENCY,
            "unrated_strategy": criteria.UNRATED_STRATEGY,
            "term": actions.serving_term(found),
            "stewards": stewards,
            "balances": reports.balances(found),
            "giving": reports.giving(found),
            "outflows": reports.outflows(found),
            "pledges": reports.pledge_status(found, today=today),
            "queue": queue,
            "reports": reports.report_status(found, today=today),
            "proposals": found.proposals.filter(state=ProposalState.OPEN),
            "is_steward": steward,
            "coordinated_ids": {o.pk for o in coordinated},
            "can_record_other": steward or bool(coordinated),
        },
    )


def _rules(fund: Fund) -> list[tuple[str, str]]:
    """The rules in force, each as (name, value) in words."""
    return [
        (_rule_name(name), _rule_text(fund, name, getattr(fund, name))) for name in Fund.RULE_FIELDS
    ]


def _rule_name(name: str) -> str:
    field = Fund._meta.get_field(name)
    assert isinstance(field, Field)
    return capfirst(str(field.verbose_name))


def _rule_text(fund: Fund, name: str, value: Any) -> str:
    if name == "emergency_limit":
        return minor_money(value, fund.currency) if value else _("no fast track")
    if name == "public_summary":
        return _("published") if value else _("not published")
    return str(value)


def summary(request: HttpRequest, fund: str) -> HttpResponse:
    """What the fund shows the public: totals only, no narratives, no member names."""
    found = access_public_summary(reader(request), fund)
    today = timezone.localdate()
    named: list[tuple[Organization, list[Any]]] = []
    others: dict[str, int] = {}
    for organization, amounts in reports.inflows(found):
        if organization.visibility == "public":
            named.append((organization, amounts))
        else:
            for money in amounts:
                others[money.currency] = others.get(money.currency, 0) + money.minor
    statuses = reports.report_status(found, today=today)
    return render(
        request,
        "treasury/summary.html",
        {
            "fund": found,
            "balances": reports.balances(found),
            "named_inflows": named,
            "other_inflows": sorted(others.items()),
            "outflows": reports.outflows(found),
            "draws_paid": found.draws.filter(state=DrawState.PAID).count(),
            "reports_received": Report.objects.filter(draw__fund=found).count(),
            "reports_overdue": sum(1 for s in statuses if s.overdue),
        },
    )


# The ledger ---------------------------------------------------------------------------------


@login_required
def ledger(request: HttpRequest, fund: str) -> HttpResponse:
    member = signed_in(request)
    found = access_fund(member, fund)
    transfers = found.transfers.select_related(
        "debit__organization",
        "credit__organization",
        "organization",
        "reverses",
        "reversed_by",
        "pending",
    ).order_by("-id")
    paginator = Paginator(transfers, LEDGER_PAGE)
    number: Any = request.GET.get("page")
    at = request.GET.get("at", "")
    if at.isdigit():
        number = found.transfers.filter(id__gt=int(at)).count() // LEDGER_PAGE + 1
    page = paginator.get_page(number)
    hide_blind_requesters(found, page.object_list)
    return render(
        request,
        "treasury/ledger.html",
        {
            "fund": found,
            "page": page,
            "is_steward": actions.is_steward(member, found),
            "correctable": [c.value for c in CORRECTABLE],
            "posted": TransferKind.POSTED.value,
        },
    )


def _download(fund: Fund, text: str, *, suffix: str, content_type: str) -> HttpResponse:
    response = HttpResponse(text, content_type=f"{content_type}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{fund.slug}-ledger.{suffix}"'
    return response


@login_required
def export_csv(request: HttpRequest, fund: str) -> HttpResponse:
    found = access_fund(signed_in(request), fund)
    out = io.StringIO()
    export.write_csv(found, out)
    return _download(found, out.getvalue(), suffix="csv", content_type="text/csv")


@login_required
def export_beancount(request: HttpRequest, fund: str) -> HttpResponse:
    found = access_fund(signed_in(request), fund)
    out = io.StringIO()
    export.write_beancount(found, out)
    return _download(found, out.getvalue(), suffix="beancount", content_type="text/plain")


# Pledges and contributions ------------------------------------------------------------------


@login_required
def new_pledge(request: HttpRequest, fund: str) -> HttpResponse:
    member = signed_in(request)
    found = access_fund(member, fund)
    organizations = _coordinated(member, found)
    if not organizations.exists():
        raise PermissionDenied
    form = PledgeForm(
        request.POST or None,
        organizations=organizations,
        initial={"currency": found.currency, "starts_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.make_pledge(member, fund=found, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The pledge is made."))
            return redirect(found)
    return render(request, "treasury/pledge_new.html", {"fund": found, "form": form})


@login_required
@require_POST
def cancel_pledge(request: HttpRequest, pledge: int) -> HttpResponse:
    member = signed_in(request)
    found = access_pledge(member, pledge, for_write=True)
    try:
        actions.cancel_pledge(member, pledge=found)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The pledge is cancelled. Periods after today expect nothing."))
    return redirect(found.fund)


@login_required
def new_contribution(request: HttpRequest, fund: str) -> HttpResponse:
    member = signed_in(request)
    found = access_fund(member, fund, for_write=True)
    form = ContributionForm(
        request.POST or None,
        organizations=_organizations(found),
        pledges=found.pledges.filter(cancelled_on__isnull=True).select_related("organization"),
        initial={"currency": found.currency, "received_on": timezone.localdate(), "key": new_key()},
    )
    if request.method == "POST" and form.is_valid():
        last = _last_transfer(found)
        try:
            contribution = actions.record_contribution(member, fund=found, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            _booked(request, contribution.transfer, last=last)
            return redirect(found)
    return render(request, "treasury/contribution_new.html", {"fund": found, "form": form})


def _last_transfer(fund: Fund) -> int:
    return fund.transfers.order_by("-id").values_list("id", flat=True).first() or 0


def _booked(request: HttpRequest, transfer: Transfer, *, last: int) -> None:
    """Say whether the form booked money now, or had booked it before (a resubmission
    answered with the first booking): `last` is the fund's last transfer before it."""
    if transfer.pk <= last:
        messages.info(request, _("This was already recorded; it was not booked again."))
    else:
        messages.success(request, _("Recorded in the ledger."))


@login_required
def new_other(request: HttpRequest, fund: str) -> HttpResponse:
    member = signed_in(request)
    found = access_fund(member, fund)
    organizations = (
        _organizations(found) if actions.is_steward(member, found) else _coordinated(member, found)
    )
    if not organizations.exists():
        raise PermissionDenied
    form = OtherForm(
        request.POST or None,
        organizations=organizations,
        initial={"given_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.record_other(member, fund=found, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Recorded in the register of what is not money."))
            return redirect(found)
    return render(request, "treasury/other_new.html", {"fund": found, "form": form})


# The stewards' bookkeeping ------------------------------------------------------------------


@login_required
def exchange(request: HttpRequest, fund: str) -> HttpResponse:
    member = signed_in(request)
    found = access_fund(member, fund, for_write=True)
    form = ExchangeForm(
        request.POST or None, initial={"sold_currency": found.currency, "key": new_key()}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        last = _last_transfer(found)
        try:
            transfers = actions.exchange_currency(
                member,
                fund=found,
                sold=data["sold"],
                bought=data["bought"],
                key=data["key"],
                note=data["note"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            _booked(request, transfers[0], last=last)
            return redirect(found)
    return render(
        request,
        "treasury/exchange.html",
        {"fund": found, "form": form, "balances": reports.balances(found)},
    )


@login_required
def custody(request: HttpRequest, fund: str) -> HttpResponse:
    member = signed_in(request)
    found = access_fund(member, fund, for_write=True)
    custodies = list(found.custodies.filter(current=True).select_related("organization"))
    form = CustodyForm(
        request.POST or None,
        currencies=[c.currency for c in custodies],
        organizations=_organizations(found),
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.move_custody(member, fund=found, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The money is now held by the organization you chose."))
            return redirect(found)
    return render(
        request, "treasury/custody.html", {"fund": found, "form": form, "custodies": custodies}
    )


@login_required
def correct(request: HttpRequest, transfer: int) -> HttpResponse:
    member = signed_in(request)
    found = access_transfer(member, transfer)
    if not actions.is_steward(member, found.fund):
        raise PermissionDenied
    reversal = Transfer.objects.filter(reverses=found).first()
    form = CorrectionForm(request.POST or None)
    if request.method == "POST" and reversal is None and form.is_valid():
        try:
            reversal = actions.correct_transfer(member, transfer=found, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The transfer is reversed in the ledger."))
            url = reverse("treasury:ledger", args=[found.fund.slug])
            return redirect(f"{url}?{urlencode({'at': reversal.pk})}#transfer-{reversal.pk}")
    return render(
        request,
        "treasury/correct.html",
        {
            "fund": found.fund,
            "transfer": found,
            "reversal": reversal,
            "correctable": found.kind == TransferKind.POSTED and found.category in CORRECTABLE,
            "form": form,
        },
    )


# Rules and stewards -------------------------------------------------------------------------


@login_required
def rules(request: HttpRequest, fund: str) -> HttpResponse:
    member = signed_in(request)
    found = access_fund(member, fund, for_write=True)
    form = RulesProposalForm(
        request.POST or None, currency=found.currency, initial=RulesForm.initial_for(found)
    )
    if request.method == "POST" and form.is_valid():
        try:
            proposal = actions.propose_rules(
                member, fund=found, rules=form.rules(), reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Your proposal is put to the stewards."))
            return redirect("treasury:proposal", proposal.pk)
    return render(
        request, "treasury/rules.html", {"fund": found, "form": form, "rules": _rules(found)}
    )


@login_required
def handover(request: HttpRequest, fund: str) -> HttpResponse:
    member = signed_in(request)
    found = access_fund(member, fund, for_write=True)
    form = Form(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            proposal = actions.propose_handover(member, fund=found)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The handover is put to the stewards."))
            return redirect("treasury:proposal", proposal.pk)
    waiting = found.proposals.filter(kind=ProposalKind.HANDOVER, state=ProposalState.OPEN).first()
    return render(
        request,
        "treasury/handover.html",
        {
            "fund": found,
            "form": form,
            "stewards": actions.serving_stewards(found),
            "next_stewards": actions.draw_stewards(found),
            "waiting": waiting,
        },
    )


@login_required
def proposal(request: HttpRequest, proposal: int) -> HttpResponse:
    member = signed_in(request)
    found = access_proposal(member, proposal)
    fund = found.fund
    votes = list(found.votes.select_related("steward").order_by("cast_at", "id"))
    can_vote = (
        found.state == ProposalState.OPEN
        and actions.is_steward(member, fund)
        and all(v.steward_id != member.pk for v in votes)
    )
    form = VoteForm(request.POST or None)
    if request.method == "POST":
        if not actions.is_steward(member, fund):
            raise PermissionDenied
        if form.is_valid():
            try:
                actions.vote_on_proposal(member, proposal=found, **form.cleaned_data)
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(request, _("Your vote is counted."))
                return redirect("treasury:proposal", found.pk)
    changes = [
        (
            _rule_name(name),
            _rule_text(fund, name, getattr(fund, name)),
            _rule_text(fund, name, value),
        )
        for name, value in found.rules.items()
        if name in Fund.RULE_FIELDS
    ]
    seats = list(found.term.seats.select_related("member", "organization")) if found.term else []
    return render(
        request,
        "treasury/proposal.html",
        {
            "fund": fund,
            "proposal": found,
            "changes": changes,
            "seats": seats,
            "votes": votes,
            "can_vote": can_vote,
            "form": form,
            "approvals_needed": min(fund.approvals_needed, len(actions.serving_stewards(fund))),
        },
    )
