from datetime import datetime

from ninja import Schema


class NetworkOut(Schema):
    slug: str
    name: str
    description: str
    visibility: str


class OrganizationOut(Schema):
    slug: str
    name: str
    country: str
    languages: list[str]
    time_zone: str
    description: str
    visibility: str


class NetworkDetailOut(NetworkOut):
    organizations: list[OrganizationOut]


class MemberOut(Schema):
    id: int
    display_name: str
    time_zone: str
    languages: list[str]


class MembershipOut(Schema):
    member: MemberOut
    organization: str
    role: str
    capabilities: list[str]


class MeOut(MemberOut):
    language: str
    second_factor: bool
    memberships: list[MembershipOut]


class AccountIn(Schema):
    display_name: str | None = None
    language: str | None = None
    languages: list[str] | None = None
    time_zone: str | None = None
    email: str | None = None


class PersonInvitationIn(Schema):
    role: str = "member"
    capabilities: list[str] = []
    note: str = ""


class OrganizationInvitationIn(Schema):
    note: str = ""


class InvitationOut(Schema):
    link: str
    expires_at: datetime


class NoticeIn(Schema):
    title: str
    body: str
    visibility: str = "private"
    shared_with: list[str] | None = None


class NoticeOut(Schema):
    id: int
    organization: str
    author: str
    title: str
    body: str
    visibility: str
    created_at: datetime
