"""Every permissioned read of the network module goes through one of these functions.

Each takes the reader, a Member or None for a visitor (views get it with `reader(request)`),
and returns the object, or raises Http404 when the reader may not know it exists, or
PermissionDenied when they may see it but not change it.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest

from internationale.network.models import (
    AccountReset,
    Circle,
    Invitation,
    Member,
    Membership,
    Network,
    Notice,
    Organization,
    token_digest,
)


def access_network(member: Member | None, slug: str, *, for_write: bool = False) -> Network:
    network = Network.objects.visible_to(member).filter(slug=slug).first()
    if network is None:
        raise Http404
    if for_write and not is_coordinator_in_network(member, network):
        raise PermissionDenied
    return network


def is_coordinator_in_network(member: Member | None, network: Network) -> bool:
    return member is not None and member.coordinates_in(network)


def access_network_members(member: Member | None, slug: str) -> Network:
    """The member directory of a network is for its own members only."""
    network = access_network(member, slug)
    if member is None or network.pk not in member.network_ids():
        raise Http404
    return network


def access_organization(
    member: Member | None, slug: str, *, for_write: bool = False
) -> Organization:
    organization = Organization.objects.visible_to(member).filter(slug=slug).first()
    if organization is None:
        raise Http404
    if for_write and not (member is not None and member.is_coordinator_of(organization)):
        raise PermissionDenied
    return organization


def access_own_organization(
    member: Member | None, slug: str, *, for_write: bool = False
) -> Organization:
    """An organization the reader belongs to (its circles, invitations, private work)."""
    organization = access_organization(member, slug)
    if member is None or member.membership_in(organization) is None:
        raise Http404
    if for_write and not member.is_coordinator_of(organization):
        raise PermissionDenied
    return organization


def access_organization_members(member: Member | None, slug: str) -> Organization:
    """An organization whose member list the reader may see: their own, or one in a network
    of theirs (never just because it is public)."""
    organization = access_organization(member, slug)
    if member is None:
        raise Http404
    shares_network = organization.networks.filter(pk__in=member.network_ids()).exists()
    if member.membership_in(organization) is None and not shares_network:
        raise Http404
    return organization


def access_circle(member: Member | None, circle_id: int, *, for_write: bool = False) -> Circle:
    if member is None:
        raise Http404
    circle = (
        Circle.objects.filter(pk=circle_id, organization_id__in=member.organization_ids())
        .select_related("organization")
        .first()
    )
    if circle is None:
        raise Http404
    if for_write and not member.is_coordinator_of(circle.organization):
        raise PermissionDenied
    return circle


def access_notice(member: Member | None, notice_id: int, *, for_write: bool = False) -> Notice:
    notice = (
        Notice.objects.visible_to(member)
        .filter(pk=notice_id)
        .select_related("organization", "author")
        .first()
    )
    if notice is None:
        raise Http404
    if for_write and not (
        member is not None
        and (notice.author_id == member.pk or member.is_coordinator_of(notice.organization))
    ):
        raise PermissionDenied
    return notice


def access_invitation_by_token(token: str) -> Invitation:
    """The invitation a link carries, if it can still be accepted."""
    invitation = (
        Invitation.objects.open()
        .filter(token_digest=token_digest(token))
        .select_related("organization", "network")
        .first()
    )
    if invitation is None:
        raise Http404
    return invitation


def access_invitation(member: Member, invitation_id: int) -> Invitation:
    """An invitation made for an organization the member coordinates, or for a network one
    of those organizations belongs to: the ones the member may revoke."""
    coordinated = member.coordinated_organizations()
    found = (
        Invitation.objects.filter(
            Q(organization__in=coordinated) | Q(network__organizations__in=coordinated),
            pk=invitation_id,
        )
        .select_related("organization", "network")
        .first()
    )
    if found is None:
        raise Http404
    return found


def access_account_reset_by_token(token: str) -> AccountReset:
    """The reset a link carries, if it can still be used."""
    reset = AccountReset.objects.filter(token_digest=token_digest(token)).first()
    if reset is None or not reset.is_open:
        raise Http404
    return reset


def network_directory(network: Network, member: Member | None) -> QuerySet[Membership]:
    """Everyone in the network's organizations that `reader` may see, for the directory."""
    return (
        Membership.objects.in_network(network)
        .filter(member__is_active=True, organization__in=Organization.objects.visible_to(member))
        .select_related("member", "organization")
        .order_by("organization__name", "member__display_name")
    )


def organizations_of(network: Network, member: Member | None) -> QuerySet[Organization]:
    return (
        Organization.objects.visible_to(member)
        .filter(networkmembership__network=network)
        .order_by("country", "name")
    )


def signed_in(request: HttpRequest) -> Member:
    """The member making a request that login_required (or an API token) has let through."""
    member = request.user
    if not isinstance(member, Member):
        raise PermissionDenied
    return member


def reader(request: HttpRequest) -> Member | None:
    """The signed-in member, or None for a visitor."""
    return request.user if isinstance(request.user, Member) else None
