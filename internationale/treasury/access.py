"""Every permissioned read of the treasury goes through one of these functions.

The whole ledger is open to every member of the fund's network: balances, transfers,
pledges, draws and reports. Two things are narrower:

- a draw's narrative and evidence are read only by the requesting organization and the
  serving stewards (they often describe people at risk);
- under blind review, who asked is hidden from everyone but the requesting organization
  until the stewards have decided.

Anyone may read a fund's public summary once the stewards have chosen to publish it.
"""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.http import Http404

from internationale.network.models import Member
from internationale.treasury.actions import is_steward
from internationale.treasury.models import Draw, DrawState, Fund, Pledge, Proposal, Transfer


def is_fund_member(member: Member | None, fund: Fund) -> bool:
    return member is not None and fund.network_id in member.network_ids()


def access_fund(member: Member | None, slug: str, *, for_write: bool = False) -> Fund:
    """A fund its network's members read; `for_write`: a serving steward's."""
    fund = Fund.objects.filter(slug=slug).select_related("network").first()
    if fund is None or not is_fund_member(member, fund):
        raise Http404
    if for_write and not is_steward(member, fund):
        raise PermissionDenied
    return fund


def access_public_summary(member: Member | None, slug: str) -> Fund:
    fund = Fund.objects.filter(slug=slug).select_related("network").first()
    if fund is None or not (fund.public_summary or is_fund_member(member, fund)):
        raise Http404
    return fund


def access_draw(member: Member | None, draw_id: int) -> Draw:
    draw = (
        Draw.objects.filter(pk=draw_id)
        .select_related("fund__network", "organization", "reservation", "payment")
        .first()
    )
    if draw is None or not is_fund_member(member, draw.fund):
        raise Http404
    return draw


def is_requester(member: Member | None, draw: Draw) -> bool:
    return member is not None and draw.organization_id in member.organization_ids()


def can_read_narrative(member: Member | None, draw: Draw) -> bool:
    return is_requester(member, draw) or is_steward(member, draw.fund)


def shows_requester(member: Member | None, draw: Draw) -> bool:
    """Whether the reader may know which organization asked."""
    return not draw.blind or draw.is_decided or is_requester(member, draw)


def blind_draw_keys(fund: Fund) -> tuple[str, ...]:
    """Key prefixes of the transfers of blind draws back in review (reserved on the fast
    track, then objected to and sent back): the ledger, its API and its exports leave their
    organization out until the stewards decide again."""
    return tuple(
        f"draw:{pk}:"
        for pk in fund.draws.filter(blind=True)
        .exclude(state__in=[DrawState.RESERVED, DrawState.PAID, DrawState.RELEASED])
        .values_list("pk", flat=True)
    )


def hide_blind_requesters(fund: Fund, transfers: Iterable[Transfer]) -> None:
    """Blank, in memory, the organization of transfers `blind_draw_keys` names."""
    hidden = blind_draw_keys(fund)
    if not hidden:
        return
    for transfer in transfers:
        if transfer.key.startswith(hidden):
            transfer.organization = None


def access_pledge(member: Member | None, pledge_id: int, *, for_write: bool = False) -> Pledge:
    pledge = Pledge.objects.filter(pk=pledge_id).select_related("fund", "organization").first()
    if pledge is None or not is_fund_member(member, pledge.fund):
        raise Http404
    if for_write and not (member is not None and member.is_coordinator_of(pledge.organization)):
        raise PermissionDenied
    return pledge


def access_proposal(member: Member | None, proposal_id: int) -> Proposal:
    proposal = Proposal.objects.filter(pk=proposal_id).select_related("fund").first()
    if proposal is None or not is_fund_member(member, proposal.fund):
        raise Http404
    return proposal


def access_transfer(member: Member | None, transfer_id: int) -> Transfer:
    transfer = (
        Transfer.objects.filter(pk=transfer_id)
        .select_related("fund", "debit", "credit", "organization")
        .first()
    )
    if transfer is None or not is_fund_member(member, transfer.fund):
        raise Http404
    return transfer
