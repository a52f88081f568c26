"""The only write path of the network module.

Each action validates, writes inside one transaction, records an audit event, and raises
django.core.exceptions.ValidationError with a translated message when the input is wrong,
having written nothing.
"""

import secrets
import unicodedata
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

import pyotp
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from internationale.core import audit
from internationale.core.languages import is_country, is_language
from internationale.core.timezones import is_zone
from internationale.core.visibility import Visibility
from internationale.network.auth import matching_totp_step
from internationale.network.models import (
    AccountReset,
    ApiToken,
    Capability,
    Circle,
    Invitation,
    InvitationKind,
    Member,
    Membership,
    Network,
    NetworkMembership,
    Notice,
    Organization,
    RecoveryCode,
    Role,
    display_key,
    token_digest,
)

RECOVERY_CODE_COUNT = 10
RESET_HOURS = 24
API_TOKEN_PREFIX = "intl_"


# Networks and organizations ---------------------------------------------------------------


def create_network(
    actor: Member | None,
    *,
    name: str,
    description: str = "",
    visibility: str = Visibility.NETWORK,
    slug: str = "",
) -> Network:
    name = _text(name, field="name", limit=120)
    description = _description(description)
    if visibility not in (Visibility.NETWORK, Visibility.PUBLIC):
        raise ValidationError({"visibility": _("Choose who can see the network's page.")})
    with transaction.atomic():
        network = Network.objects.create(
            name=name,
            description=description,
            visibility=visibility,
            slug=_free_slug(Network, slug or name),
        )
        audit.record(actor, "network.create", network)
    return network


def update_organization(
    actor: Member | None,
    organization: Organization,
    *,
    name: str,
    country: str,
    languages: Iterable[str],
    time_zone: str,
    description: str,
    visibility: str,
) -> Organization:
    fields = _organization_fields(
        name=name, country=country, languages=languages, time_zone=time_zone, visibility=visibility
    )
    description = _description(description)
    with transaction.atomic():
        for key, value in {**fields, "description": description}.items():
            setattr(organization, key, value)
        organization.save(update_fields=[*fields, "description"])
        audit.record(actor, "organization.update", organization)
    return organization


def _organization_fields(
    *, name: str, country: str, languages: Iterable[str], time_zone: str, visibility: str
) -> dict[str, Any]:
    errors: dict[str, str] = {}
    languages = list(dict.fromkeys(code.strip() for code in languages if code.strip()))
    if not name.strip():
        errors["name"] = _("Give the organization a name.")
    else:
        try:
            name = _text(name, field="name", limit=160)
        except ValidationError as error:
            errors["name"] = error.message_dict["name"][0]
    if not is_country(country):
        errors["country"] = _("Choose a country from the list.")
    if not languages:
        errors["languages"] = _("Choose at least one language.")
    elif not all(is_language(code) for code in languages):
        errors["languages"] = _("Choose languages from the list.")
    if not is_zone(time_zone):
        errors["time_zone"] = _("Choose a time zone from the list.")
    if visibility not in Visibility.values:
        errors["visibility"] = _("Choose who can see the organization's page.")
    if errors:
        raise ValidationError(errors)
    return {
        "name": name.strip(),
        "country": country,
        "languages": languages,
        "time_zone": time_zone,
        "visibility": visibility,
    }


def _create_organization(
    actor: Member | None, *, network: Network, coordinator: Member, **fields: Any
) -> Organization:
    description = _description(fields.pop("description", ""))
    values = _organization_fields(**fields)
    organization = Organization.objects.create(
        slug=_free_slug(Organization, values["name"]), description=description, **values
    )
    NetworkMembership.objects.create(network=network, organization=organization)
    Membership.objects.create(member=coordinator, organization=organization, role=Role.COORDINATOR)
    audit.record(actor, "organization.create", organization, network=network.slug)
    return organization


def _free_slug(model: Any, text: str) -> str:
    base = slugify(text, allow_unicode=False)[:50] or model.__name__.lower()
    slug, n = base, 1
    while model.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


# Invitations ------------------------------------------------------------------------------


def invite_person(
    actor: Member | None,
    *,
    organization: Organization,
    role: str = Role.MEMBER,
    capabilities: Iterable[str] = (),
    note: str = "",
) -> tuple[Invitation, str]:
    """A single-use link that adds a person to `organization`. Returns the invitation and
    the secret token, which is shown once and never stored."""
    _check_can_coordinate(actor, organization)
    if role not in Role.values:
        raise ValidationError({"role": _("Choose a role.")})
    capabilities = _capabilities(capabilities)
    return _invite(
        actor,
        kind=InvitationKind.PERSON,
        organization=organization,
        role=role,
        capabilities=capabilities,
        note=note,
    )


def invite_organization(
    actor: Member | None, *, network: Network, note: str = ""
) -> tuple[Invitation, str]:
    """A single-use link that brings an organization into `network`."""
    if actor is not None and not actor.coordinates_in(network):
        raise ValidationError(_("Only coordinators of the network's organizations can invite."))
    return _invite(actor, kind=InvitationKind.ORGANIZATION, network=network, note=note)


def _invite(actor: Member | None, **fields: Any) -> tuple[Invitation, str]:
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        invitation = Invitation.objects.create(
            token_digest=token_digest(token),
            created_by=actor,
            expires_at=timezone.now() + timedelta(days=settings.INVITATION_DAYS),
            **{
                **fields,
                "note": _text(fields.get("note", ""), field="note", limit=120, required=False),
            },
        )
        audit.record(actor, f"invitation.create.{invitation.kind}", invitation)
    return invitation, token


def revoke_invitation(actor: Member, invitation: Invitation) -> None:
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.is_open:
            invitation.revoked_at = timezone.now()
            invitation.save(update_fields=["revoked_at"])
            audit.record(actor, "invitation.revoke", invitation)


def accept_person_invitation(
    actor: Member | None,
    *,
    token: str,
    display_name: str = "",
    password: str = "",
    language: str = "en",
    time_zone: str = "UTC",
) -> Member:
    """Join the invitation's organization: as `actor` when signed in, or as a new account
    made from a display name and password only."""
    with transaction.atomic():
        invitation = _claim(token, InvitationKind.PERSON)
        member = actor or _create_account(
            display_name=display_name, password=password, language=language, time_zone=time_zone
        )
        organization = invitation.organization
        assert organization is not None
        if Membership.objects.filter(member=member, organization=organization).exists():
            raise ValidationError(
                _("You are already a member of %(organization)s.") % {"organization": organization}
            )
        Membership.objects.create(
            member=member,
            organization=organization,
            role=invitation.role,
            capabilities=invitation.capabilities,
        )
        _close(invitation, member)
        audit.record(member, "invitation.accept.person", invitation, organization=organization.slug)
    return member


def accept_organization_invitation(
    actor: Member | None,
    *,
    token: str,
    organization: Organization | None = None,
    display_name: str = "",
    password: str = "",
    language: str = "en",
    **new_organization: Any,
) -> Organization:
    """Bring an organization into the invitation's network: one the signed-in `actor`
    coordinates, or a new one with its first coordinator (`actor`, or a new account)."""
    with transaction.atomic():
        invitation = _claim(token, InvitationKind.ORGANIZATION)
        network = invitation.network
        assert network is not None
        if organization is not None:
            if actor is None or not actor.is_coordinator_of(organization):
                raise ValidationError(_("Only a coordinator of that organization can bring it in."))
            if NetworkMembership.objects.filter(
                network=network, organization=organization
            ).exists():
                raise ValidationError(
                    _("%(organization)s is already in %(network)s.")
                    % {"organization": organization, "network": network}
                )
            NetworkMembership.objects.create(network=network, organization=organization)
            member = actor
        else:
            member = actor or _create_account(
                display_name=display_name,
                password=password,
                language=language,
                time_zone=new_organization.get("time_zone", "UTC"),
            )
            organization = _create_organization(
                member, network=network, coordinator=member, **new_organization
            )
        _close(invitation, member)
        audit.record(
            member,
            "invitation.accept.organization",
            invitation,
            organization=organization.slug,
            network=network.slug,
        )
    return organization


def _claim(token: str, kind: str) -> Invitation:
    invitation = (
        Invitation.objects.select_for_update()
        .filter(token_digest=token_digest(token), kind=kind)
        .first()
    )
    if invitation is None or not invitation.is_open:
        raise ValidationError(_("This invitation link has expired or has already been used."))
    return invitation


def _close(invitation: Invitation, member: Member) -> None:
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = member
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    member.forget_memberships()


def _create_account(*, display_name: str, password: str, language: str, time_zone: str) -> Member:
    display_name = _display_name(display_name)
    member = Member(
        display_name=display_name,
        display_key=display_key(display_name),
        language=_interface_language(language),
        time_zone=time_zone if is_zone(time_zone) else "UTC",
    )
    _check_password(password, member)
    member.set_password(password)
    try:
        with transaction.atomic():
            member.save()
    except IntegrityError:
        raise ValidationError({"display_name": _taken()}) from None
    audit.record(member, "member.create", member)
    return member


def _taken() -> str:
    return _("This display name is taken. Choose another one.")


def _display_name(text: str, *, member: Member | None = None) -> str:
    """A display name, normalised; refused when empty, too long, holding invisible
    characters, or the same as another member's (ignoring case and Unicode forms)."""
    name = " ".join(unicodedata.normalize("NFKC", text).split())
    if not name:
        raise ValidationError({"display_name": _("Choose a display name.")})
    if len(name) > 60:
        raise ValidationError({"display_name": _("A display name has at most 60 characters.")})
    if _has_invisible(name):
        raise ValidationError({"display_name": _invisible()})
    others = Member.objects.filter(display_key=display_key(name))
    if member is not None:
        others = others.exclude(pk=member.pk)
    if others.exists():
        raise ValidationError({"display_name": _taken()})
    return name


# Unicode categories a person cannot see: controls, formatting marks (such as the
# right-to-left override or zero-width spaces), private-use and unassigned code points.
_INVISIBLE = {"Cc", "Cf", "Co", "Cs", "Cn", "Zl", "Zp"}


def _has_invisible(text: str, *, multiline: bool = False) -> bool:
    allowed = {"\n", "\r", "\t"} if multiline else set()
    return any(unicodedata.category(c) in _INVISIBLE and c not in allowed for c in text)


def _description(text: str) -> str:
    return _text(text, field="description", limit=5000, required=False, multiline=True)


def _invisible() -> str:
    return _("This may not contain invisible or control characters.")


def _text(
    text: str, *, field: str, limit: int, required: bool = True, multiline: bool = False
) -> str:
    """Text a person typed, trimmed; refused when missing, too long, or holding invisible
    characters, so that it is stored the same on SQLite and PostgreSQL."""
    value = text.strip()
    if required and not value:
        raise ValidationError({field: _("This field is required.")})
    if len(value) > limit:
        raise ValidationError(
            {
                field: ngettext(
                    "This has %(count)d characters; at most %(limit)d is allowed.",
                    "This has %(count)d characters; at most %(limit)d are allowed.",
                    limit,
                )
                % {"count": len(value), "limit": limit}
            }
        )
    if _has_invisible(value, multiline=multiline):
        raise ValidationError({field: _invisible()})
    return value


def _check_password(password: str, member: Member) -> None:
    try:
        validate_password(password, member)
    except ValidationError as error:
        raise ValidationError({"password": error.messages}) from None


def _interface_language(code: str) -> str:
    return code if code in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def _capabilities(values: Iterable[str]) -> list[str]:
    chosen = list(dict.fromkeys(values))
    if not set(chosen) <= set(Capability.values):
        raise ValidationError({"capabilities": _("Choose capabilities from the list.")})
    return chosen


def _check_can_coordinate(actor: Member | None, organization: Organization) -> None:
    if actor is not None and not actor.is_coordinator_of(organization):
        raise ValidationError(
            _("Only coordinators of %(organization)s can do this.") % {"organization": organization}
        )


# Memberships and circles ------------------------------------------------------------------


def update_membership(
    actor: Member, membership: Membership, *, role: str, capabilities: Iterable[str]
) -> Membership:
    _check_can_coordinate(actor, membership.organization)
    if role not in Role.values:
        raise ValidationError({"role": _("Choose a role.")})
    with transaction.atomic():
        # Lock the organization's coordinators, so that two who step down at once cannot
        # leave it with none.
        list(
            Membership.objects.select_for_update().filter(
                organization=membership.organization, role=Role.COORDINATOR
            )
        )
        if (
            role != Role.COORDINATOR
            and membership.role == Role.COORDINATOR
            and not (
                Membership.objects.filter(
                    organization=membership.organization, role=Role.COORDINATOR
                )
                .exclude(pk=membership.pk)
                .exists()
            )
        ):
            raise ValidationError(_("An organization needs at least one coordinator."))
        membership.role = role
        membership.capabilities = _capabilities(capabilities)
        membership.save(update_fields=["role", "capabilities"])
        audit.record(
            actor, "membership.update", membership, role=role, capabilities=membership.capabilities
        )
    return membership


def create_circle(
    actor: Member | None,
    *,
    organization: Organization,
    name: str,
    description: str = "",
    members: Iterable[Member] = (),
) -> Circle:
    _check_can_coordinate(actor, organization)
    name = _text(name, field="name", limit=120)
    description = _description(description)
    members = list(members)
    member_ids = set(
        Membership.objects.filter(organization=organization).values_list("member_id", flat=True)
    )
    if any(m.pk not in member_ids for m in members):
        raise ValidationError({"members": _("A circle's members must belong to the organization.")})
    with transaction.atomic():
        duplicate = ValidationError(
            {"name": _("The organization already has a circle of that name.")}
        )
        if Circle.objects.filter(organization=organization, name__iexact=name).exists():
            raise duplicate
        try:
            with transaction.atomic():
                circle = Circle.objects.create(
                    organization=organization, name=name, description=description
                )
        except IntegrityError:
            raise duplicate from None
        circle.members.set(members)
        audit.record(actor, "circle.create", circle, members=[m.pk for m in members])
    return circle


# Notices ----------------------------------------------------------------------------------


def post_notice(
    actor: Member,
    *,
    organization: Organization,
    title: str,
    body: str,
    visibility: str = Visibility.PRIVATE,
    shared_with: Iterable[Network] | None = None,
) -> Notice:
    """Post a notice. Shared with the organization's networks unless `shared_with` narrows
    it; private notices stay with the organization whatever they are shared with."""
    if actor.membership_in(organization) is None:
        raise ValidationError(
            _("Only members of %(organization)s can post its notices.")
            % {"organization": organization}
        )
    errors = {}
    if not title.strip():
        errors["title"] = _("Give the notice a title.")
    if not body.strip():
        errors["body"] = _("Write the notice.")
    for field, value, limit, multiline in (
        ("title", title, 200, False),
        ("body", body, 20000, True),
    ):
        if field not in errors:
            try:
                _text(value, field=field, limit=limit, multiline=multiline)
            except ValidationError as error:
                errors[field] = error.message_dict[field][0]
    if visibility not in Visibility.values:
        errors["visibility"] = _("Choose who can see it.")
    own_networks = list(organization.networks.all())
    networks = own_networks if shared_with is None else list(shared_with)
    if not {n.pk for n in networks} <= {n.pk for n in own_networks}:
        errors["shared_with"] = _("Share only with networks the organization belongs to.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        notice = Notice.objects.create(
            organization=organization,
            author=actor,
            title=title.strip(),
            body=body.strip(),
            visibility=visibility,
        )
        notice.shared_with.set(networks)
        audit.record(actor, "notice.post", notice, visibility=visibility)
    return notice


def delete_notice(actor: Member, notice: Notice) -> None:
    with transaction.atomic():
        audit.record(actor, "notice.delete", notice)
        notice.delete()


# Accounts ---------------------------------------------------------------------------------


def update_account(
    member: Member,
    *,
    display_name: str,
    language: str,
    languages: Iterable[str],
    time_zone: str,
    email: str | None = None,
) -> Member:
    """Change what a member says about themselves. `email` (optional; None keeps it, ""
    removes it) is used only to tell them when something waits for them."""
    errors: dict[str, str] = {}
    name = member.display_name
    try:
        name = _display_name(display_name, member=member)
    except ValidationError as error:
        errors.update({k: v[0] for k, v in error.message_dict.items()})
    if language not in dict(settings.LANGUAGES):
        errors["language"] = _("Choose a language from the list.")
    read = list(dict.fromkeys(languages))
    if not all(is_language(code) for code in read):
        errors["languages"] = _("Choose languages from the list.")
    if not is_zone(time_zone):
        errors["time_zone"] = _("Choose a time zone from the list.")
    address = member.email if email is None else email.strip()
    if address:
        try:
            validate_email(address)
        except ValidationError:
            errors["email"] = _("Enter an e-mail address such as name@example.org, or nothing.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        changed = {
            "display_name": name,
            "display_key": display_key(name),
            "language": language,
            "languages": read,
            "time_zone": time_zone,
            "email": address,
        }
        for key, value in changed.items():
            setattr(member, key, value)
        member.save(update_fields=list(changed))
        audit.record(member, "member.update", member)
    return member


def set_language(member: Member, *, language: str) -> None:
    if language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": _("Choose a language from the list.")})
    member.language = language
    member.save(update_fields=["language"])


def change_password(member: Member, *, current: str, new: str) -> None:
    if not member.check_password(current):
        raise ValidationError({"current": _("Your current password is not right.")})
    _check_password(new, member)
    with transaction.atomic():
        member.set_password(new)
        member.save(update_fields=["password"])
        audit.record(member, "member.password", member)


def new_totp_secret() -> str:
    return pyotp.random_base32()


def enable_second_factor(member: Member, *, secret: str, code: str) -> list[str]:
    """Turn on TOTP once the member proves their app holds `secret`; returns the new
    recovery codes, shown once."""
    step = matching_totp_step(secret, code.strip().replace(" ", ""))
    if step is None:
        raise ValidationError(
            {
                "code": _(
                    "That code is not right. Check your phone's clock and "
                    "enter the code your app shows now."
                )
            }
        )
    with transaction.atomic():
        member.totp_secret = secret
        member.totp_enabled_at = timezone.now()
        member.totp_last_step = step
        member.save(update_fields=["totp_secret", "totp_enabled_at", "totp_last_step"])
        codes = _replace_recovery_codes(member)
        audit.record(member, "member.second_factor.enable", member)
    return codes


def disable_second_factor(member: Member, *, password: str) -> None:
    if not member.check_password(password):
        raise ValidationError({"password": _("Your password is not right.")})
    with transaction.atomic():
        member.totp_secret = ""
        member.totp_enabled_at = None
        member.save(update_fields=["totp_secret", "totp_enabled_at"])
        member.recovery_codes.all().delete()
        audit.record(member, "member.second_factor.disable", member)


def regenerate_recovery_codes(member: Member) -> list[str]:
    with transaction.atomic():
        codes = _replace_recovery_codes(member)
        audit.record(member, "member.recovery_codes.regenerate", member)
    return codes


def _replace_recovery_codes(member: Member) -> list[str]:
    member.recovery_codes.all().delete()
    # 80 random bits each: too many to guess, so a fast digest is enough to store them.
    codes = [secrets.token_hex(10) for _ in range(RECOVERY_CODE_COUNT)]
    RecoveryCode.objects.bulk_create(
        RecoveryCode(member=member, code_digest=token_digest(code)) for code in codes
    )
    return ["-".join(code[i : i + 5] for i in range(0, 20, 5)) for code in codes]


def make_account_reset(
    actor: Member | None, *, member: Member, clear_second_factor: bool = False
) -> tuple[AccountReset, str]:
    """A link with which `member` sets a new password, valid for a day; any earlier open
    link for them stops working. Returns the reset and its secret token, shown once."""
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        AccountReset.objects.filter(member=member, used_at__isnull=True).update(
            expires_at=timezone.now()
        )
        reset = AccountReset.objects.create(
            member=member,
            token_digest=token_digest(token),
            clears_second_factor=clear_second_factor,
            expires_at=timezone.now() + timedelta(hours=RESET_HOURS),
        )
        audit.record(actor, "member.reset.create", member, clears_second_factor=clear_second_factor)
    return reset, token


def reset_password(*, token: str, password: str) -> Member:
    """Use a reset link: set the new password, unlock the account, and turn the second
    factor off if the link says so. The link then stops working."""
    with transaction.atomic():
        reset = (
            AccountReset.objects.select_for_update()
            .select_related("member")
            .filter(token_digest=token_digest(token))
            .first()
        )
        if reset is None or not reset.is_open:
            raise ValidationError(_("This link has expired or has already been used."))
        member = reset.member
        _check_password(password, member)
        member.set_password(password)
        member.failed_logins = 0
        member.locked_until = None
        fields = ["password", "failed_logins", "locked_until"]
        if reset.clears_second_factor:
            member.totp_secret = ""
            member.totp_enabled_at = None
            fields += ["totp_secret", "totp_enabled_at"]
            member.recovery_codes.all().delete()
        member.save(update_fields=fields)
        # Whoever had the old password may have made tokens with it.
        member.api_tokens.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
        reset.used_at = timezone.now()
        reset.save(update_fields=["used_at"])
        audit.record(
            member, "member.reset.use", member, clears_second_factor=reset.clears_second_factor
        )
    return member


def create_api_token(member: Member, *, name: str) -> tuple[ApiToken, str]:
    name = _text(name, field="name", limit=80)
    raw = API_TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            member=member, name=name, prefix=raw[:12], token_digest=token_digest(raw)
        )
        audit.record(member, "api_token.create", token)
    return token, raw


def revoke_api_token(member: Member, token: ApiToken) -> None:
    if token.member_id != member.pk:
        raise ValidationError(_("This token is not yours."))
    with transaction.atomic():
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
            audit.record(member, "api_token.revoke", token)
