"""Forms check the shape of input; actions check its meaning and write."""

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from internationale.core.languages import all_languages, countries
from internationale.core.timezones import all_zones
from internationale.core.visibility import Visibility
from internationale.network.models import Capability, Member, Network, Organization, Role


def zone_choices() -> list[tuple[str, str]]:
    return [("UTC", "UTC"), *((z, z.replace("_", " ")) for z in all_zones())]


def _country_choices() -> list[tuple[str, str]]:
    """Every country, after an empty first choice, so that none is picked by accident."""
    return [("", "—"), *countries()]


class LoginForm(forms.Form):
    display_name = forms.CharField(label=_("Display name"), max_length=60)
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput)


class SecondFactorForm(forms.Form):
    code = forms.CharField(
        label=_("Code from your authenticator app, or a recovery code"),
        max_length=32,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "text"}),
    )


class LanguageForm(forms.Form):
    language = forms.ChoiceField(choices=settings.LANGUAGES)


class AccountFieldsForm(forms.Form):
    display_name = forms.CharField(
        label=_("Display name"),
        max_length=60,
        help_text=_("A pseudonym is fine. Others in your networks see it."),
    )
    password = forms.CharField(
        label=_("Password"), widget=forms.PasswordInput, help_text=_("At least 10 characters.")
    )


class NewMemberForm(AccountFieldsForm):
    time_zone = forms.ChoiceField(label=_("Your time zone"), initial="UTC", choices=zone_choices)


class NewPasswordForm(forms.Form):
    password = forms.CharField(
        label=_("New password"), widget=forms.PasswordInput, help_text=_("At least 10 characters.")
    )
    again = forms.CharField(label=_("The new password again"), widget=forms.PasswordInput)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password") and data.get("again") and data["password"] != data["again"]:
            self.add_error("again", _("The two passwords are not the same."))
        return data


class AccountForm(forms.Form):
    display_name = forms.CharField(label=_("Display name"), max_length=60)
    language = forms.ChoiceField(label=_("Interface language"), choices=settings.LANGUAGES)
    languages = forms.MultipleChoiceField(
        label=_("Languages you read"),
        required=False,
        choices=all_languages,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    time_zone = forms.ChoiceField(label=_("Time zone"), choices=zone_choices)
    email = forms.EmailField(
        label=_("E-mail address (optional)"),
        required=False,
        help_text=_(
            "Only to tell you when your circle is on duty. Leave it empty to be told here only."
        ),
    )


class PasswordForm(forms.Form):
    current = forms.CharField(label=_("Current password"), widget=forms.PasswordInput)
    new = forms.CharField(
        label=_("New password"), widget=forms.PasswordInput, help_text=_("At least 10 characters.")
    )


class EnableSecondFactorForm(forms.Form):
    code = forms.CharField(label=_("The 6-digit code your app shows"), max_length=8)


class ConfirmPasswordForm(forms.Form):
    password = forms.CharField(label=_("Your password"), widget=forms.PasswordInput)


class ApiTokenForm(forms.Form):
    name = forms.CharField(label=_("What the token is for"), max_length=80)


class OrganizationForm(forms.Form):
    name = forms.CharField(label=_("Name of the organization"), max_length=160)
    country = forms.ChoiceField(label=_("Country"), choices=_country_choices)
    languages = forms.MultipleChoiceField(
        label=_("Languages"), choices=all_languages, widget=forms.SelectMultiple(attrs={"size": 6})
    )
    time_zone = forms.ChoiceField(label=_("Time zone"), choices=zone_choices)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    visibility = forms.ChoiceField(
        label=_("Who can see its page"), choices=Visibility.choices, initial=Visibility.NETWORK
    )


class PersonInvitationForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.MEMBER)
    capabilities = forms.MultipleChoiceField(
        label=_("Capabilities"),
        choices=Capability.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    note = forms.CharField(
        label=_("Note: who it is for (other coordinators see it too)"),
        max_length=120,
        required=False,
    )


class OrganizationInvitationForm(forms.Form):
    note = forms.CharField(
        label=_("Note: which organization it is for (other coordinators see it too)"),
        max_length=120,
        required=False,
    )


class JoinWithExistingForm(forms.Form):
    organization = forms.ModelChoiceField(
        label=_("Your organization"), queryset=Organization.objects.none()
    )

    def __init__(self, *args: Any, organizations: list[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = Organization.objects.filter(  # type: ignore[attr-defined]
            pk__in=[o.pk for o in organizations]
        )


class MembershipForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    capabilities = forms.MultipleChoiceField(
        label=_("Capabilities"),
        choices=Capability.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class CircleForm(forms.Form):
    name = forms.CharField(label=_("Name of the circle"), max_length=120)
    description = forms.CharField(
        label=_("What it does"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    members = forms.ModelMultipleChoiceField(
        label=_("Members"),
        queryset=Member.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = Member.objects.filter(  # type: ignore[attr-defined]
            memberships__organization=organization
        )


class NoticeForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 4}))
    visibility = forms.ChoiceField(
        label=_("Who can see it"), choices=Visibility.choices, initial=Visibility.PRIVATE
    )
    shared_with = forms.ModelMultipleChoiceField(
        label=_("Networks it is shared with"),
        queryset=Network.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        networks = organization.networks.all()
        self.fields["shared_with"].queryset = networks  # type: ignore[attr-defined]
        self.fields["shared_with"].initial = list(networks)


def add_errors(form: forms.Form, error: Any, *others: forms.Form | None) -> None:
    """Put an action's ValidationError on the forms of a page: each named field's messages
    on the form that has that field, the rest on the first form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    candidates = [form, *(other for other in others if other is not None)]
    for field, messages in error.message_dict.items():
        owner = next((f for f in candidates if field in f.fields), None)
        (owner or form).add_error(field if owner else None, messages)
