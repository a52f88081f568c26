"""Pages of a draw request: asking the fund, the request's own page, and the forms on it.

Each form on the draw page is there only for whom it applies (a steward's vote, payment and
release; the requesting organization's report, revision and withdrawal). Its endpoint takes
only POST: access, then whether the form applies to this reader (403 if not), then the form
and the action. An action's refusal comes back on the draw page, on the bound form."""

from collections import defaultdict
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, prefetch_related_objects
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from internationale.core.languages import reader_locale
from internationale.core.money import Money
from internationale.network.access import reader, signed_in
from internationale.network.forms import add_errors
from internationale.network.models import Member, Organization
from internationale.treasury import access, actions, criteria, reports
from internationale.treasury.draw_forms import (
    DrawForm,
    PayForm,
    ReleaseForm,
    ReportForm,
    VoteForm,
    WithdrawForm,
)
from internationale.treasury.models import (
    Category,
    Choice,
    Draw,
    DrawState,
    DrawVote,
    Fund,
    Transfer,
)

VOTING_AFTER_FAST_TRACK = (DrawState.RESERVED, DrawState.PAID)


@login_required
def new_draw(request: HttpRequest, fund: str) -> HttpResponse:
    found = access.access_fund(reader(request), fund)
    member = signed_in(request)
    organizations = _coordinated_in(member, found)
    if not organizations:
        raise PermissionDenied
    form = DrawForm(
        request.POST or None,
        fund=found,
        currencies=_currencies(found),
        locale=reader_locale(),
        organizations=organizations,
    )
    if request.method == "POST" and form.is_valid():
        fields = dict(form.cleaned_data)
        organization = fields.pop("organization", organizations[0])
        try:
            created = actions.request_draw(member, fund=found, organization=organization, **fields)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Your request is with the stewards."))
            return redirect(created)
    return render(request, "treasury/draw_new.html", {"fund": found, "form": form})


def _coordinated_in(member: Member, fund: Fund) -> list[Organization]:
    """The organizations of the fund's network that `member` coordinates."""
    in_network = set(fund.network.organizations.values_list("pk", flat=True))
    return [o for o in member.coordinated_organizations() if o.pk in in_network]


def _currencies(fund: Fund, also: str = "") -> list[str]:
    """The currencies the fund holds, its base currency first."""
    held = set(fund.custodies.filter(current=True).values_list("currency", flat=True))
    held |= {fund.currency} | ({also} if also else set())
    return sorted(held, key=lambda c: (c != fund.currency, c))


def draw(request: HttpRequest, draw: int) -> HttpResponse:
    found = access.access_draw(reader(request), draw)
    return _page(request, found)


@login_required
@require_POST
def vote(request: HttpRequest, draw: int) -> HttpResponse:
    found = access.access_draw(reader(request), draw)
    member = signed_in(request)
    if not actions.may_vote(member, found):
        raise PermissionDenied
    form = VoteForm(request.POST, objection_only=found.state in VOTING_AFTER_FAST_TRACK)
    if form.is_valid():
        try:
            voted = actions.vote_on_draw(member, draw=found, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _vote_message(voted, form.cleaned_data["choice"]))
            return redirect(voted)
    return _page(request, found, status=400, vote=form)


def _vote_message(draw: Draw, choice: str) -> str:
    if choice == Choice.OBJECT:
        if draw.state == DrawState.PAID:
            return _("Your objection is recorded. The money was already paid out.")
        return _("Your objection is recorded. The request goes back to its organization.")
    if draw.state == DrawState.RESERVED:
        return _("Approved. The money is reserved for this request.")
    return _("Your approval is recorded.")


@login_required
@require_POST
def pay(request: HttpRequest, draw: int) -> HttpResponse:
    found = access.access_draw(reader(request), draw)
    member = signed_in(request)
    if not actions.is_steward(member, found.fund):
        raise PermissionDenied
    form = PayForm(request.POST, reserved=_reserved(found), locale=reader_locale())
    if form.is_valid():
        try:
            actions.pay_draw(member, draw=found, amount=form.cleaned_data["amount"])
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The payment is booked."))
            return redirect(found)
    return _page(request, found, status=400, pay=form)


@login_required
@require_POST
def release(request: HttpRequest, draw: int) -> HttpResponse:
    found = access.access_draw(reader(request), draw)
    member = signed_in(request)
    if not actions.is_steward(member, found.fund):
        raise PermissionDenied
    form = ReleaseForm(request.POST)
    if form.is_valid():
        try:
            actions.release_draw(member, draw=found, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The reservation is released. The money is back."))
            return redirect(found)
    return _page(request, found, status=400, release=form)


@login_required
@require_POST
def report(request: HttpRequest, draw: int) -> HttpResponse:
    found = access.access_draw(reader(request), draw)
    member = signed_in(request)
    if not access.is_requester(member, found):
        raise PermissionDenied
    form = ReportForm(request.POST, paid=found.paid)
    if form.is_valid():
        try:
            actions.report_on_draw(member, draw=found, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Thank you. Your report is with the network."))
            return redirect(found)
    return _page(request, found, status=400, report=form)


@login_required
@require_POST
def resubmit(request: HttpRequest, draw: int) -> HttpResponse:
    found = access.access_draw(reader(request), draw)
    member = signed_in(request)
    if not member.is_coordinator_of(found.organization):
        raise PermissionDenied
    form = DrawForm.revising(
        found,
        request.POST,
        currencies=_currencies(found.fund, also=found.currency),
        locale=reader_locale(),
    )
    if form.is_valid():
        try:
            actions.resubmit_draw(member, draw=found, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Your revised request is with the stewards."))
            return redirect(found)
    return _page(request, found, status=400, resubmit=form)


@login_required
@require_POST
def withdraw(request: HttpRequest, draw: int) -> HttpResponse:
    found = access.access_draw(reader(request), draw)
    member = signed_in(request)
    if not member.is_coordinator_of(found.organization):
        raise PermissionDenied
    form = WithdrawForm(request.POST)
    try:
        actions.withdraw_draw(member, draw=found)
    except ValidationError as error:
        add_errors(form, error)
    else:
        messages.success(request, _("The request is withdrawn."))
        return redirect(found)
    return _page(request, found, status=400, withdraw=form)


# The draw page --------------------------------------------------------------------------


def _reserved(draw: Draw) -> Money:
    if draw.reservation is None:
        return draw.money
    return Money(draw.reservation.amount, draw.currency)


def _page(
    request: HttpRequest, draw: Draw, *, status: int = 200, **bound: forms.Form
) -> HttpResponse:
    """The draw page for its reader, with each form that applies to them (a bound form
    from `bound` in place of a blank one)."""
    member = reader(request)
    fund = draw.fund
    today = timezone.localdate()
    locale = reader_locale()
    prefetch_related_objects(
        [draw], Prefetch("votes", queryset=DrawVote.objects.select_related("steward"))
    )
    votes = list(draw.votes.all())
    rounds: dict[int, list[DrawVote]] = defaultdict(list)
    for cast in votes:
        rounds[cast.round].append(cast)
    current = rounds.pop(draw.round, [])
    steward = actions.is_steward(member, fund)
    requester = access.is_requester(member, draw)
    coordinator = member is not None and member.is_coordinator_of(draw.organization)
    voted = next((v for v in current if member and v.steward_id == member.pk), None)
    score = reports.score_of(draw, today=today)
    as_of = draw.decided_at.date() if draw.decided_at is not None else today
    state = draw.state

    forms_: dict[str, forms.Form | None] = dict.fromkeys(
        ("vote", "pay", "release", "report", "resubmit", "withdraw")
    )
    may_vote = actions.may_vote(member, draw)
    fast_tracked = draw.emergency and state in VOTING_AFTER_FAST_TRACK
    if may_vote and voted is None and (state == DrawState.REVIEW or fast_tracked):
        forms_["vote"] = VoteForm(objection_only=fast_tracked)
    if steward and state == DrawState.RESERVED:
        forms_["pay"] = PayForm(reserved=_reserved(draw), locale=locale)
        forms_["release"] = ReleaseForm()
    if requester and state == DrawState.PAID:
        forms_["report"] = ReportForm(paid=draw.paid)
    if coordinator and state == DrawState.RETURNED:
        forms_["resubmit"] = DrawForm.revising(
            draw, currencies=_currencies(fund, also=draw.currency), locale=locale
        )
    if coordinator and state in (DrawState.REVIEW, DrawState.RETURNED):
        forms_["withdraw"] = WithdrawForm()
    forms_.update(bound)

    closing = None
    if state == DrawState.RELEASED and draw.reservation_id is not None:
        closing = Transfer.objects.filter(pending_id=draw.reservation_id).first()
    draw_reports = list(draw.reports.select_related("written_by"))
    context: dict[str, Any] = {
        "draw": draw,
        "fund": fund,
        "show_requester": access.shows_requester(member, draw),
        "show_narrative": access.can_read_narrative(member, draw),
        "means": Money(draw.means, draw.currency),
        "score": score,
        "as_of": as_of,
        "days_left": (draw.needed_by - as_of).days,
        "urgency_table": criteria.URGENCY,
        "last_urgency_limit": criteria.URGENCY[-1][0],
        "unrated": criteria.UNRATED_STRATEGY,
        "ratings": [v.strategy for v in current],
        "approvals": sum(1 for v in current if v.choice == Choice.APPROVE),
        "approvals_needed": actions.approvals_shown(
            draw, requester_shown=access.shows_requester(member, draw)
        ),
        "votes": current,
        "earlier_rounds": sorted(rounds.items(), reverse=True),
        "voted": voted,
        "recused": steward and requester,
        "reserved": _reserved(draw),
        "closing": closing,
        "expired": closing is not None and closing.category == Category.EXPIRY,
        "reports": draw_reports,
        "report_overdue": state == DrawState.PAID
        and draw.report_due is not None
        and draw.report_due < today
        and not draw_reports,
        "forms": forms_,
    }
    return render(request, "treasury/draw.html", context, status=status)
