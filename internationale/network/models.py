"""Networks, their organizations, members, circles, notices, invitations and tokens."""

import hashlib
import unicodedata
from functools import cached_property
from typing import Any, ClassVar, Self

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from internationale.core.visibility import (
    Visibility,
    VisibleContent,
    VisibleQuerySet,
    reader_ids,
)


def token_digest(token: str) -> str:
    """Secrets handed out (invitation links, API tokens, recovery codes) are stored only as
    this digest. Each carries at least 80 random bits, far too many to guess, so a fast hash
    is enough and keeps lookups to one indexed query."""
    return hashlib.sha256(token.encode()).hexdigest()


def display_key(name: str) -> str:
    """What makes two display names the same: Unicode compatibility forms, case in every
    script and spacing folded, so that "José" (in either Unicode form), "JOSÉ" and "josé"
    are one name, on SQLite as on PostgreSQL."""
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


class Role(models.TextChoices):
    COORDINATOR = "coordinator", _("coordinator")
    MEMBER = "member", _("member")


class Capability(models.TextChoices):
    TRANSLATOR = "translator", _("translator")
    STEWARD = "steward", _("steward")
    RESEARCHER = "researcher", _("researcher")


class NetworkQuerySet(models.QuerySet["Network"]):
    def visible_to(self, member: Any) -> Self:
        _org_ids, net_ids = reader_ids(member)
        return self.filter(models.Q(visibility=Visibility.PUBLIC) | models.Q(id__in=net_ids))


class Network(models.Model):
    """A coalition of organizations that act as one."""

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("short name in links"), max_length=60, unique=True)
    description = models.TextField(_("description"), blank=True)
    visibility = models.CharField(
        _("who can see its page"),
        max_length=16,
        choices=[
            (Visibility.NETWORK, _("Members of the network")),
            (Visibility.PUBLIC, _("Anyone, without logging in")),
        ],
        default=Visibility.NETWORK,
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = NetworkQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("network")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("network:network", kwargs={"network": self.slug})


class OrganizationQuerySet(models.QuerySet["Organization"]):
    def visible_to(self, member: Any) -> Self:
        """Public organizations, the reader's own, and those sharing a network with them,
        unless an organization keeps itself private."""
        org_ids, net_ids = reader_ids(member)
        shares_network = models.Q(visibility=Visibility.NETWORK) & models.Q(
            id__in=NetworkMembership.objects.filter(network_id__in=net_ids).values(
                "organization_id"
            )
        )
        return self.filter(
            models.Q(visibility=Visibility.PUBLIC) | models.Q(id__in=org_ids) | shares_network
        )


class Organization(models.Model):
    """A node of one or more networks: a union, a worker centre, a student union..."""

    name = models.CharField(_("name"), max_length=160)
    slug = models.SlugField(_("short name in links"), max_length=60, unique=True)
    country = models.CharField(_("country"), max_length=2)
    languages = models.JSONField(_("languages"), default=list)
    time_zone = models.CharField(_("time zone"), max_length=64)
    description = models.TextField(_("description"), blank=True)
    visibility = models.CharField(
        _("who can see its page"),
        max_length=16,
        choices=Visibility.choices,
        default=Visibility.NETWORK,
    )
    networks: "models.ManyToManyField[Network, NetworkMembership]" = models.ManyToManyField(
        Network, through="NetworkMembership", related_name="organizations"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organization")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("network:organization", kwargs={"organization": self.slug})


class NetworkMembership(models.Model):
    network = models.ForeignKey(Network, on_delete=models.CASCADE)
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["network", "organization"], name="one_membership_per_network"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization} in {self.network}"


class MemberManager(BaseUserManager["Member"]):
    def get_by_natural_key(self, username: str | None) -> "Member":
        return self.get(display_key=display_key(username or ""))

    def create_user(
        self, display_name: str, password: str | None = None, **fields: Any
    ) -> "Member":
        member = self.model(
            display_name=display_name, display_key=display_key(display_name), **fields
        )
        member.set_password(password)
        member.save(using=self._db)
        return member

    def create_superuser(
        self, display_name: str, password: str | None = None, **fields: Any
    ) -> "Member":
        return self.create_user(display_name, password, is_staff=True, is_superuser=True, **fields)


class Member(AbstractBaseUser, PermissionsMixin):
    """A person, known by a pseudonym; no legal name or e-mail address is asked for."""

    display_name = models.CharField(_("display name"), max_length=60)
    display_key = models.CharField(max_length=80, unique=True, editable=False)
    language = models.CharField(_("interface language"), max_length=8, default="en")
    languages = models.JSONField(_("languages I read"), default=list, blank=True)
    time_zone = models.CharField(_("time zone"), max_length=64, default="UTC")
    email = models.EmailField(_("e-mail address for notices"), blank=True)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)
    totp_secret = models.CharField(max_length=64, blank=True)
    totp_enabled_at = models.DateTimeField(null=True, blank=True)
    totp_last_step = models.PositiveBigIntegerField(default=0)
    failed_logins = models.PositiveIntegerField(default=0)
    locked_until = models.DateTimeField(null=True, blank=True)

    objects = MemberManager()

    USERNAME_FIELD = "display_name"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        ordering = ["display_name"]
        verbose_name = _("member")

    def __str__(self) -> str:
        return self.display_name

    @property
    def has_second_factor(self) -> bool:
        return self.totp_enabled_at is not None

    @cached_property
    def _memberships(self) -> list["Membership"]:
        return list(self.memberships.select_related("organization"))

    def organization_ids(self) -> frozenset[int]:
        return frozenset(m.organization_id for m in self._memberships)

    def network_ids(self) -> frozenset[int]:
        return self._network_ids

    @cached_property
    def _network_ids(self) -> frozenset[int]:
        if not self._memberships:
            return frozenset()
        return frozenset(
            NetworkMembership.objects.filter(
                organization_id__in=self.organization_ids()
            ).values_list("network_id", flat=True)
        )

    def forget_memberships(self) -> None:
        """Drop what this object remembers of its organizations and networks, after they
        change."""
        self.__dict__.pop("_memberships", None)
        self.__dict__.pop("_network_ids", None)

    def membership_in(self, organization: Organization) -> "Membership | None":
        return next((m for m in self._memberships if m.organization_id == organization.pk), None)

    def is_coordinator_of(self, organization: Organization) -> bool:
        membership = self.membership_in(organization)
        return membership is not None and membership.role == Role.COORDINATOR

    def coordinates_in(self, network: Network) -> bool:
        """Whether the member coordinates an organization of `network`."""
        return Membership.objects.filter(
            member=self,
            role=Role.COORDINATOR,
            organization__networkmembership__network=network,
        ).exists()

    def coordinated_organizations(self) -> list[Organization]:
        return [m.organization for m in self._memberships if m.role == Role.COORDINATOR]


class MembershipQuerySet(models.QuerySet["Membership"]):
    def in_network(self, network: Network) -> Self:
        return self.filter(organization__networkmembership__network=network)


class Membership(models.Model):
    """A member's place in an organization: a role and any capabilities."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="memberships")
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.MEMBER)
    capabilities = models.JSONField(_("capabilities"), default=list, blank=True)
    joined_at = models.DateTimeField(auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["organization__name", "member__display_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "organization"], name="one_membership_per_organization"
            )
        ]

    def __str__(self) -> str:
        return f"{self.member} ({self.role}) in {self.organization}"

    def has(self, capability: Capability) -> bool:
        return capability in self.capabilities

    def get_capabilities_display(self) -> list[str]:
        return [str(Capability(c).label) for c in self.capabilities if c in Capability.values]


class Circle(models.Model):
    """A small group inside an organization that takes on a piece of work, such as a relay
    leg. Who is in which circle is known to the organization only."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="circles")
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    members = models.ManyToManyField(
        Member, related_name="circles", blank=True, verbose_name=_("members")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("circle")
        constraints = [
            models.UniqueConstraint(
                "organization", Lower("name"), name="circle_name_unique_in_organization"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("network:circle", kwargs={"circle": self.pk})

    @property
    def audit_label(self) -> str:
        return f"circle {self.pk}"


class NoticeQuerySet(VisibleQuerySet):
    def visible_to(self, member: Any) -> Self:
        """Notices the reader may see. A private organization's notices stay with its own
        members whatever their visibility, so they never name it to outsiders."""
        org_ids, _net_ids = reader_ids(member)
        return (
            super()
            .visible_to(member)
            .exclude(
                models.Q(organization__visibility=Visibility.PRIVATE)
                & ~models.Q(organization_id__in=org_ids)
            )
        )


class Notice(VisibleContent):
    """A notice an organization posts: to itself, to its networks, or to the public."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="notices")
    author = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    shared_with = models.ManyToManyField(
        Network, blank=True, related_name="+", verbose_name=_("shared with networks")
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    objects = NoticeQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notice")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("network:notice", kwargs={"notice": self.pk})

    @property
    def audit_label(self) -> str:
        return f"notice {self.pk}"


class InvitationKind(models.TextChoices):
    PERSON = "person", _("a person to an organization")
    ORGANIZATION = "organization", _("an organization to a network")


class InvitationQuerySet(models.QuerySet["Invitation"]):
    def open(self) -> Self:
        return self.filter(
            accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
        )


class Invitation(models.Model):
    """A single-use link that expires. Only the digest of its secret is kept."""

    kind = models.CharField(max_length=16, choices=InvitationKind.choices)
    token_digest = models.CharField(max_length=64, unique=True)
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.CASCADE, related_name="invitations"
    )
    network = models.ForeignKey(
        Network, null=True, blank=True, on_delete=models.CASCADE, related_name="invitations"
    )
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.MEMBER)
    capabilities = models.JSONField(default=list, blank=True)
    note = models.CharField(_("note"), max_length=120, blank=True)
    created_by = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(kind="person", organization__isnull=False)
                    | models.Q(kind="organization", network__isnull=False)
                ),
                name="invitation_has_its_target",
            )
        ]

    def __str__(self) -> str:
        target = self.organization if self.kind == InvitationKind.PERSON else self.network
        return f"invitation to {target}"

    @property
    def is_open(self) -> bool:
        return (
            self.accepted_at is None
            and self.revoked_at is None
            and self.expires_at > timezone.now()
        )


class RecoveryCode(models.Model):
    """A single-use code that stands in for the second factor when the phone is lost."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="recovery_codes")
    code_digest = models.CharField(max_length=64)
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"recovery code of {self.member}"


class AccountReset(models.Model):
    """A single-use link, made by the site's operator, with which a member who lost their
    password (and perhaps their second factor) sets a new one. There is no e-mail to send
    a reset to: the operator hands the link over after checking who asks, as an
    organization's coordinators can vouch."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+")
    token_digest = models.CharField(max_length=64, unique=True)
    clears_second_factor = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"account reset of {self.member}"

    @property
    def is_open(self) -> bool:
        return self.used_at is None and self.expires_at > timezone.now()


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def active(self) -> Self:
        return self.filter(revoked_at__isnull=True)


class ApiToken(models.Model):
    """A personal token for the API: shown once, stored as a digest, revocable."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=80)
    prefix = models.CharField(max_length=12)
    token_digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_on = models.DateField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
