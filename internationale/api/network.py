"""API of the network module: networks, organizations, members, invitations, notices."""

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Router, Status

from internationale.api.auth import OptionalTokenAuth, TokenAuth
from internationale.api.schemas import (
    AccountIn,
    InvitationOut,
    MembershipOut,
    MeOut,
    NetworkDetailOut,
    NetworkOut,
    NoticeIn,
    NoticeOut,
    OrganizationInvitationIn,
    OrganizationOut,
    PersonInvitationIn,
)
from internationale.network import access, actions
from internationale.network.access import reader, signed_in
from internationale.network.models import Member, Membership, Network, Notice

router = Router(tags=["network"])
public = OptionalTokenAuth()
member_only = TokenAuth()


def _membership(m: Membership) -> dict[str, Any]:
    return {
        "member": m.member,
        "organization": m.organization.slug,
        "role": m.role,
        "capabilities": m.capabilities,
    }


@router.get("/me", response=MeOut, auth=member_only)
def me(request: HttpRequest) -> dict[str, Any]:
    member = signed_in(request)
    return _me(member)


def _me(member: Member) -> dict[str, Any]:
    memberships = member.memberships.select_related("organization", "member")
    return {
        "id": member.pk,
        "display_name": member.display_name,
        "time_zone": member.time_zone,
        "languages": member.languages,
        "language": member.language,
        "second_factor": member.has_second_factor,
        "memberships": [_membership(m) for m in memberships],
    }


@router.patch("/me", response=MeOut, auth=member_only)
def update_me(request: HttpRequest, payload: AccountIn) -> dict[str, Any]:
    member = signed_in(request)
    actions.update_account(
        member,
        display_name=member.display_name if payload.display_name is None else payload.display_name,
        language=payload.language or member.language,
        languages=member.languages if payload.languages is None else payload.languages,
        time_zone=payload.time_zone or member.time_zone,
        email=payload.email,
    )
    return _me(member)


@router.get("/networks", response=list[NetworkOut], auth=public)
def networks(request: HttpRequest) -> Any:
    return Network.objects.visible_to(reader(request))


@router.get("/networks/{network}", response=NetworkDetailOut, auth=public)
def network(request: HttpRequest, network: str) -> Any:
    found = access.access_network(reader(request), network)
    return {
        "slug": found.slug,
        "name": found.name,
        "description": found.description,
        "visibility": found.visibility,
        "organizations": list(access.organizations_of(found, reader(request))),
    }


@router.get("/networks/{network}/members", response=list[MembershipOut], auth=member_only)
def network_members(request: HttpRequest, network: str) -> Any:
    found = access.access_network_members(reader(request), network)
    return [_membership(m) for m in access.network_directory(found, reader(request))]


@router.post("/networks/{network}/invitations", response={201: InvitationOut}, auth=member_only)
def invite_organization(
    request: HttpRequest, network: str, payload: OrganizationInvitationIn
) -> Any:
    found = access.access_network(reader(request), network, for_write=True)
    invitation, token = actions.invite_organization(
        signed_in(request),
        network=found,
        note=payload.note,
    )
    return Status(201, _invitation(request, invitation, token))


@router.get("/organizations/{organization}", response=OrganizationOut, auth=public)
def organization(request: HttpRequest, organization: str) -> Any:
    return access.access_organization(reader(request), organization)


@router.get("/organizations/{organization}/members", response=list[MembershipOut], auth=member_only)
def organization_members(request: HttpRequest, organization: str) -> Any:
    found = access.access_organization_members(reader(request), organization)
    memberships = found.memberships.filter(member__is_active=True).select_related(
        "member", "organization"
    )
    return [_membership(m) for m in memberships]


@router.post(
    "/organizations/{organization}/invitations", response={201: InvitationOut}, auth=member_only
)
def invite_person(request: HttpRequest, organization: str, payload: PersonInvitationIn) -> Any:
    found = access.access_own_organization(reader(request), organization, for_write=True)
    invitation, token = actions.invite_person(
        signed_in(request),
        organization=found,
        role=payload.role,
        capabilities=payload.capabilities,
        note=payload.note,
    )
    return Status(201, _invitation(request, invitation, token))


def _invitation(request: HttpRequest, invitation: Any, token: str) -> dict[str, Any]:
    return {
        "link": request.build_absolute_uri(reverse("network:invitation", args=[token])),
        "expires_at": invitation.expires_at,
    }


@router.get("/organizations/{organization}/notices", response=list[NoticeOut], auth=public)
def notices(request: HttpRequest, organization: str) -> Any:
    found = access.access_organization(reader(request), organization)
    return [
        _notice(n)
        for n in Notice.objects.visible_to(reader(request))
        .filter(organization=found)
        .select_related("author", "organization")[:100]
    ]


@router.post("/organizations/{organization}/notices", response={201: NoticeOut}, auth=member_only)
def post_notice(request: HttpRequest, organization: str, payload: NoticeIn) -> Any:
    found = access.access_own_organization(reader(request), organization)
    shared_with = None
    if payload.shared_with is not None:
        shared_with = list(found.networks.filter(slug__in=payload.shared_with))
        if len(shared_with) != len(set(payload.shared_with)):
            raise ValidationError(
                {"shared_with": _("Share only with networks the organization belongs to.")}
            )
    created = actions.post_notice(
        signed_in(request),
        organization=found,
        title=payload.title,
        body=payload.body,
        visibility=payload.visibility,
        shared_with=shared_with,
    )
    return Status(201, _notice(created))


def _notice(notice: Notice) -> dict[str, Any]:
    return {
        "id": notice.pk,
        "organization": notice.organization.slug,
        "author": notice.author.display_name,
        "title": notice.title,
        "body": notice.body,
        "visibility": notice.visibility,
        "created_at": notice.created_at,
    }
