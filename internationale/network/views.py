"""Pages of the network module: thin functions of access, form, action, render."""

import time
from typing import Any

import pyotp
import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.crypto import constant_time_compare
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from internationale.core.htmx import is_htmx
from internationale.core.languages import country_name, language_list
from internationale.network import access, actions, auth
from internationale.network.access import reader, signed_in
from internationale.network.forms import (
    AccountFieldsForm,
    AccountForm,
    ApiTokenForm,
    CircleForm,
    ConfirmPasswordForm,
    EnableSecondFactorForm,
    JoinWithExistingForm,
    LanguageForm,
    LoginForm,
    MembershipForm,
    NewMemberForm,
    NewPasswordForm,
    NoticeForm,
    OrganizationForm,
    OrganizationInvitationForm,
    PasswordForm,
    PersonInvitationForm,
    SecondFactorForm,
    add_errors,
)
from internationale.network.models import (
    Capability,
    InvitationKind,
    Member,
    Membership,
    Network,
    Notice,
    Organization,
    Role,
)

PENDING_SECOND_FACTOR = "pending_second_factor"
PENDING_SECONDS = 300
TOTP_SETUP = "second_factor_setup"


def home(request: HttpRequest) -> HttpResponse:
    member = reader(request)
    networks = Network.objects.visible_to(member)
    notices = (
        Notice.objects.visible_to(member).select_related("organization", "author")[:10]
        if member
        else Notice.objects.none()
    )
    memberships = member.memberships.select_related("organization") if member else []
    return render(
        request,
        "network/home.html",
        {
            "networks": networks,
            "notices": notices,
            "memberships": memberships,
            "is_translator": any(m.has(Capability.TRANSLATOR) for m in memberships),
        },
    )


# Logging in -------------------------------------------------------------------------------


def login(request: HttpRequest) -> HttpResponse:
    form = LoginForm(request.POST or None)
    next_url = _safe_next(request)
    if request.method == "POST" and form.is_valid():
        name = form.cleaned_data["display_name"]
        member = auth.DisplayNameBackend().authenticate(
            request, username=name, password=form.cleaned_data["password"]
        )
        if member is None:
            form.add_error(None, _login_refusal())
        elif member.has_second_factor:
            request.session[PENDING_SECOND_FACTOR] = {
                "member": member.pk,
                "since": time.time(),
                "password": member.get_session_auth_hash(),
            }
            return redirect(
                f"{reverse('network:login-second-factor')}?{urlencode({'next': next_url})}"
            )
        else:
            return _complete_login(request, member, next_url)
    return render(request, "network/login.html", {"form": form, "next": next_url})


def _login_refusal() -> str:
    """The same words whether the account exists, is locked, or the password is wrong, so
    that nobody can learn from them which pseudonyms have accounts."""
    minutes = settings.LOGIN_LOCK_MINUTES
    return ngettext(
        "The display name or the password is not right. After several wrong attempts an "
        "account waits %(minutes)d minute before it accepts another.",
        "The display name or the password is not right. After several wrong attempts an "
        "account waits %(minutes)d minutes before it accepts another.",
        minutes,
    ) % {"minutes": minutes}


def _pending_member(request: HttpRequest) -> Member | None:
    """The member whose password was right a moment ago, while the second factor is asked.
    The step lasts a few minutes and ends if the password changes meanwhile."""
    pending = request.session.get(PENDING_SECOND_FACTOR)
    if not isinstance(pending, dict) or time.time() - pending.get("since", 0) > PENDING_SECONDS:
        return None
    member = Member.objects.filter(pk=pending.get("member", 0), is_active=True).first()
    if member is None or not constant_time_compare(
        member.get_session_auth_hash(), pending.get("password", "")
    ):
        return None
    return member


def login_second_factor(request: HttpRequest) -> HttpResponse:
    member = _pending_member(request)
    if member is None:
        request.session.pop(PENDING_SECOND_FACTOR, None)
        return redirect("network:login")
    form = SecondFactorForm(request.POST or None)
    next_url = _safe_next(request)
    if request.method == "POST" and form.is_valid():
        if not auth.reserve_attempt(member):
            form.add_error(None, _login_refusal())
        elif auth.verify_second_factor(member, form.cleaned_data["code"]):
            del request.session[PENDING_SECOND_FACTOR]
            return _complete_login(request, member, next_url)
        else:
            auth.note_failure(member)
            form.add_error("code", _("That code is not right."))
    return render(request, "network/login_second_factor.html", {"form": form, "next": next_url})


def _complete_login(request: HttpRequest, member: Member, next_url: str) -> HttpResponse:
    auth.note_success(member)
    auth_login(request, member, backend=settings.AUTHENTICATION_BACKENDS[0])
    response = HttpResponseRedirect(next_url)
    remember_language(response, member.language)
    return response


def remember_language(response: HttpResponse, language: str) -> None:
    """Keep the reader's language in a cookie, for the pages they see before logging in."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite="Lax",
        secure=settings.LANGUAGE_COOKIE_SECURE,
    )


def _safe_next(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse(settings.LOGIN_REDIRECT_URL)


@require_POST
def logout(request: HttpRequest) -> HttpResponse:
    auth_logout(request)
    return redirect("network:home")


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    form = LanguageForm(request.POST)
    next_url = _safe_next(request)
    response = HttpResponseRedirect(next_url)
    if form.is_valid():
        language = form.cleaned_data["language"]
        member = reader(request)
        if member is not None:
            actions.set_language(member, language=language)
        remember_language(response, language)
    return response


# Networks and organizations ---------------------------------------------------------------


def network(request: HttpRequest, network: str) -> HttpResponse:
    member = reader(request)
    found = access.access_network(member, network)
    organizations = sorted(
        access.organizations_of(found, member), key=lambda o: (country_name(o.country), o.name)
    )
    is_member = member is not None and found.pk in member.network_ids()
    return render(
        request,
        "network/network.html",
        {
            "network": found,
            "organizations": organizations,
            "is_member": is_member,
            "can_invite": access.is_coordinator_in_network(member, found),
            # The treasury's fund of the network, if it has one (its reverse relation, so
            # that the network does not import the treasury).
            "fund": getattr(found, "fund", None) if is_member else None,
        },
    )


@login_required
def network_members(request: HttpRequest, network: str) -> HttpResponse:
    found = access.access_network_members(reader(request), network)
    return render(
        request,
        "network/members.html",
        {"network": found, "memberships": access.network_directory(found, reader(request))},
    )


@login_required
def invite_organization(request: HttpRequest, network: str) -> HttpResponse:
    found = access.access_network(reader(request), network, for_write=True)
    form = OrganizationInvitationForm(request.POST or None)
    link = None
    if request.method == "POST" and form.is_valid():
        try:
            _invitation, token = actions.invite_organization(
                signed_in(request), network=found, note=form.cleaned_data["note"]
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            link = request.build_absolute_uri(reverse("network:invitation", args=[token]))
            form = OrganizationInvitationForm()
    invitations = found.invitations.open().filter(kind=InvitationKind.ORGANIZATION)
    return render(
        request,
        "network/invite_organization.html",
        {"network": found, "form": form, "link": link, "invitations": invitations},
    )


def organization(request: HttpRequest, organization: str) -> HttpResponse:
    member = reader(request)
    found = access.access_organization(member, organization)
    membership = member.membership_in(found) if member else None
    notices = (
        Notice.objects.visible_to(member).filter(organization=found).select_related("author")[:20]
    )
    context: dict[str, Any] = {
        "organization": found,
        "membership": membership,
        "notices": notices,
        "networks": Network.objects.visible_to(member).filter(organizations=found),
    }
    if membership is not None:
        context["members"] = (
            found.memberships.filter(member__is_active=True)
            .select_related("member")
            .order_by("member__display_name")
        )
        context["circles"] = found.circles.prefetch_related("members")
        context["notice_form"] = NoticeForm(organization=found)
    return render(request, "network/organization.html", context)


@login_required
def edit_organization(request: HttpRequest, organization: str) -> HttpResponse:
    found = access.access_organization(reader(request), organization, for_write=True)
    initial = {
        "name": found.name,
        "country": found.country,
        "languages": found.languages,
        "time_zone": found.time_zone,
        "description": found.description,
        "visibility": found.visibility,
    }
    form = OrganizationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_organization(signed_in(request), found, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect(found)
    return render(request, "network/organization_edit.html", {"organization": found, "form": form})


@login_required
def invite_person(request: HttpRequest, organization: str) -> HttpResponse:
    found = access.access_own_organization(reader(request), organization, for_write=True)
    form = PersonInvitationForm(request.POST or None)
    link = None
    if request.method == "POST" and form.is_valid():
        try:
            _invitation, token = actions.invite_person(
                signed_in(request), organization=found, **form.cleaned_data
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            link = request.build_absolute_uri(reverse("network:invitation", args=[token]))
            form = PersonInvitationForm()
    invitations = found.invitations.open().select_related("created_by")
    return render(
        request,
        "network/invite_person.html",
        {"organization": found, "form": form, "link": link, "invitations": invitations},
    )


@login_required
@require_POST
def revoke_invitation(request: HttpRequest, invitation: int) -> HttpResponse:
    member = signed_in(request)
    found = access.access_invitation(member, invitation)
    actions.revoke_invitation(member, found)
    messages.success(request, _("The invitation link no longer works."))
    if found.organization is not None:
        return redirect("network:invite-person", found.organization.slug)
    assert found.network is not None
    return redirect("network:invite-organization", found.network.slug)


@login_required
def edit_membership(request: HttpRequest, organization: str, membership: int) -> HttpResponse:
    found = access.access_own_organization(reader(request), organization, for_write=True)
    target = get_object_or_404(
        Membership.objects.select_related("member", "organization"),
        pk=membership,
        organization=found,
    )
    form = MembershipForm(
        request.POST or None, initial={"role": target.role, "capabilities": target.capabilities}
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_membership(signed_in(request), target, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect(found)
    return render(
        request,
        "network/membership_edit.html",
        {"organization": found, "target": target, "form": form},
    )


@login_required
def new_circle(request: HttpRequest, organization: str) -> HttpResponse:
    found = access.access_own_organization(reader(request), organization, for_write=True)
    form = CircleForm(request.POST or None, organization=found)
    if request.method == "POST" and form.is_valid():
        try:
            circle = actions.create_circle(
                signed_in(request),
                organization=found,
                **form.cleaned_data,
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            return redirect(circle)
    return render(request, "network/circle_new.html", {"organization": found, "form": form})


@login_required
def circle(request: HttpRequest, circle: int) -> HttpResponse:
    found = access.access_circle(reader(request), circle)
    return render(
        request,
        "network/circle.html",
        {"circle": found, "organization": found.organization, "members": found.members.all()},
    )


@login_required
@require_POST
def post_notice(request: HttpRequest, organization: str) -> HttpResponse:
    found = access.access_own_organization(reader(request), organization)
    form = NoticeForm(request.POST, organization=found)
    if form.is_valid():
        try:
            actions.post_notice(signed_in(request), organization=found, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Your notice is posted."))
            return redirect(found)
    return render(
        request,
        "network/notice_form_page.html",
        {"organization": found, "notice_form": form},
        status=400,
    )


def notice(request: HttpRequest, notice: int) -> HttpResponse:
    member = reader(request)
    found = access.access_notice(member, notice)
    can_delete = member is not None and (
        found.author_id == member.pk or member.is_coordinator_of(found.organization)
    )
    return render(request, "network/notice.html", {"notice": found, "can_delete": can_delete})


@login_required
@require_POST
def delete_notice(request: HttpRequest, notice: int) -> HttpResponse:
    found = access.access_notice(reader(request), notice, for_write=True)
    actions.delete_notice(signed_in(request), found)
    messages.success(request, _("The notice is deleted."))
    return redirect(found.organization)


# Invitations ------------------------------------------------------------------------------


def invitation(request: HttpRequest, token: str) -> HttpResponse:
    found = access.access_invitation_by_token(token)
    if found.kind == InvitationKind.PERSON:
        return _accept_person(request, token, found)
    return _accept_organization(request, token, found)


def _accept_person(request: HttpRequest, token: str, found: Any) -> HttpResponse:
    member = reader(request)
    form = None if member else NewMemberForm(request.POST or None)
    if request.method == "POST" and (form is None or form.is_valid()):
        try:
            joined = actions.accept_person_invitation(
                member,
                token=token,
                **(form.cleaned_data if form else {}),
                language=request.LANGUAGE_CODE,
            )
        except ValidationError as error:
            if form is None:
                messages.error(request, " ".join(error.messages))
            else:
                add_errors(form, error)
        else:
            if member is None:
                auth_login(request, joined, backend=settings.AUTHENTICATION_BACKENDS[0])
            messages.success(
                request, _("Welcome to %(organization)s.") % {"organization": found.organization}
            )
            return redirect(found.organization)
    return render(request, "network/accept_person.html", {"invitation": found, "form": form})


def _accept_organization(request: HttpRequest, token: str, found: Any) -> HttpResponse:
    member = reader(request)
    account_form = None if member else AccountFieldsForm(request.POST or None, prefix="account")
    new_form = OrganizationForm(request.POST or None, prefix="organization")
    candidates = (
        list(
            Organization.objects.filter(
                memberships__member=member, memberships__role=Role.COORDINATOR
            ).exclude(networkmembership__network=found.network)
        )
        if member
        else []
    )
    existing_form = (
        JoinWithExistingForm(request.POST or None, prefix="existing", organizations=candidates)
        if candidates
        else None
    )
    if request.method == "POST":
        joining_existing = existing_form is not None and "existing-organization" in request.POST
        forms_ok = (
            existing_form.is_valid()
            if joining_existing and existing_form
            else new_form.is_valid() and (account_form is None or account_form.is_valid())
        )
        if forms_ok:
            try:
                if joining_existing and existing_form:
                    joined = actions.accept_organization_invitation(
                        member,
                        token=token,
                        organization=existing_form.cleaned_data["organization"],
                    )
                else:
                    joined = actions.accept_organization_invitation(
                        member,
                        token=token,
                        **(account_form.cleaned_data if account_form else {}),
                        language=request.LANGUAGE_CODE,
                        **new_form.cleaned_data,
                    )
            except ValidationError as error:
                add_errors(new_form, error, account_form)
            else:
                if member is None:
                    auth_login(
                        request,
                        joined.memberships.get().member,
                        backend=settings.AUTHENTICATION_BACKENDS[0],
                    )
                messages.success(
                    request,
                    _("%(organization)s has joined %(network)s.")
                    % {"organization": joined, "network": found.network},
                )
                return redirect(joined)
    return render(
        request,
        "network/accept_organization.html",
        {
            "invitation": found,
            "account_form": account_form,
            "new_form": new_form,
            "existing_form": existing_form,
        },
    )


def account_reset(request: HttpRequest, token: str) -> HttpResponse:
    reset = access.access_account_reset_by_token(token)
    form = NewPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.reset_password(token=token, password=form.cleaned_data["password"])
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Your new password is set. Log in with it."))
            return redirect("network:login")
    return render(request, "network/account_reset.html", {"reset": reset, "form": form})


# The account ------------------------------------------------------------------------------


@login_required
def account(request: HttpRequest) -> HttpResponse:
    member = signed_in(request)
    form = AccountForm(
        request.POST or None,
        initial={
            "display_name": member.display_name,
            "language": member.language,
            "languages": member.languages,
            "time_zone": member.time_zone,
            "email": member.email,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_account(member, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            response = redirect("network:account")
            remember_language(response, member.language)
            return response
    if member.languages:
        form.fields["languages"].help_text = _("Chosen now: %(languages)s.") % {
            "languages": language_list(member.languages)
        }
    return render(
        request,
        "network/account.html",
        {
            "form": form,
            "unused_codes": member.recovery_codes.filter(used_at__isnull=True).count(),
        },
    )


@login_required
def password(request: HttpRequest) -> HttpResponse:
    member = signed_in(request)
    form = PasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.change_password(member, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            from django.contrib.auth import update_session_auth_hash

            update_session_auth_hash(request, member)
            messages.success(request, _("Your password is changed."))
            return redirect("network:account")
    return render(request, "network/password.html", {"form": form})


@login_required
def second_factor(request: HttpRequest) -> HttpResponse:
    member = signed_in(request)
    if member.has_second_factor:
        off_form = ConfirmPasswordForm(request.POST or None)
        if request.method == "POST" and off_form.is_valid():
            try:
                actions.disable_second_factor(member, **off_form.cleaned_data)
            except ValidationError as error:
                add_errors(off_form, error)
            else:
                messages.success(request, _("The second factor is off."))
                return redirect("network:account")
        return render(request, "network/second_factor_off.html", {"form": off_form})
    # The secret is made here and kept in the session until it is confirmed: the browser
    # never sends one back that the server would have to trust.
    secret = request.session.get(TOTP_SETUP)
    if not secret or request.method != "POST":
        secret = request.session[TOTP_SETUP] = actions.new_totp_secret()
    form = EnableSecondFactorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = actions.enable_second_factor(
                member, secret=secret, code=form.cleaned_data["code"]
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            del request.session[TOTP_SETUP]
            return render(request, "network/recovery_codes.html", {"codes": codes})
    uri = pyotp.TOTP(secret).provisioning_uri(
        name=member.display_name, issuer_name="Internationale"
    )
    # The QR code is drawn here, from our own data, as inline SVG: no image request, no script.
    qr_svg = mark_safe(  # noqa: S308 (our own SVG, no user input)
        segno.make(uri, error="m").svg_inline(
            scale=4, dark="#000", light="#fff", title=_("QR code for your authenticator app")
        )
    )
    return render(
        request, "network/second_factor_on.html", {"form": form, "qr_svg": qr_svg, "secret": secret}
    )


@login_required
@require_POST
def recovery_codes(request: HttpRequest) -> HttpResponse:
    member = signed_in(request)
    if not member.has_second_factor:
        return redirect("network:second-factor")
    return render(
        request, "network/recovery_codes.html", {"codes": actions.regenerate_recovery_codes(member)}
    )


@login_required
def tokens(request: HttpRequest) -> HttpResponse:
    member = signed_in(request)
    form = ApiTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token, raw = actions.create_api_token(member, name=form.cleaned_data["name"])
        return render(request, "network/token_created.html", {"token": token, "raw": raw})
    return render(
        request, "network/tokens.html", {"tokens": member.api_tokens.active(), "token_form": form}
    )


@login_required
@require_POST
def revoke_token(request: HttpRequest, apitoken: int) -> HttpResponse:
    member = signed_in(request)
    token = get_object_or_404(member.api_tokens.all(), pk=apitoken)
    actions.revoke_api_token(member, token)
    if not is_htmx(request):
        return redirect("network:tokens")
    return render(
        request,
        "network/tokens.html#tokens",
        {"tokens": member.api_tokens.active(), "token_form": ApiTokenForm()},
    )
