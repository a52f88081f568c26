"""Forms of the fund's pages: they check the shape of input; actions check its meaning.

Amounts are decimal text, read exactly by `Money.parse` (here, where a form needs `Money`,
or in the action); never a float.
"""

import secrets
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from internationale.core.money import Money, MoneyError, is_currency
from internationale.network.models import Organization
from internationale.treasury.models import Choice, Fund, OtherKind, Period, Pledge


def new_key() -> str:
    """A fresh idempotency key for a form that books money: a resubmitted form carries the
    same key, so the booking happens once."""
    return secrets.token_urlsafe(24)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


def amount_field(label: Any, *, required: bool = True, help_text: Any = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=24,
        required=required,
        help_text=help_text,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )


def currency_field(label: Any = None) -> forms.CharField:
    return forms.CharField(
        label=label or _("Currency"),
        max_length=3,
        min_length=3,
        help_text=_("Its ISO 4217 code, such as USD, BRL or TRY."),
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "size": 4}),
    )


def _parse(text: str, currency: str) -> Money:
    try:
        return Money.parse(text, currency)
    except MoneyError:
        raise forms.ValidationError(
            _("Enter an amount in %(currency)s with no more decimals than it has."),
            params={"currency": currency},
        ) from None


class OrganizationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class RulesForm(forms.Form):
    """Every rule of a fund. `rules()` gives them as the actions take them."""

    weight_urgency = forms.IntegerField(label=_("Weight of urgency"), min_value=0)
    weight_strategy = forms.IntegerField(label=_("Weight of strategic importance"), min_value=0)
    weight_need = forms.IntegerField(label=_("Weight of need"), min_value=0)
    approvals_needed = forms.IntegerField(
        label=_("Approvals a draw needs"),
        min_value=1,
        help_text=_("How many stewards must approve a draw (N of the stewards per term)."),
    )
    steward_seats = forms.IntegerField(label=_("Stewards per term"), min_value=1)
    emergency_limit = amount_field(
        _("Emergency limit"),
        help_text=_("The most the fast track may pay, in the fund's currency; 0 turns it off."),
    )
    steward_term_days = forms.IntegerField(label=_("Steward term in days"), min_value=1)
    report_days = forms.IntegerField(label=_("Days to report back on a draw"), min_value=1)
    reservation_days = forms.IntegerField(label=_("Days an approval holds the money"), min_value=1)
    public_summary = forms.BooleanField(
        label=_("Publish a summary of the fund for anyone to read"), required=False
    )

    def __init__(self, *args: Any, currency: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fund_currency = currency

    def rules_currency(self) -> str:
        """The currency the emergency limit is entered in."""
        return self.fund_currency

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        limit = data.get("emergency_limit")
        currency = self.rules_currency()
        if limit is not None and is_currency(currency):
            try:
                data["emergency_limit"] = _parse(limit or "0", currency).minor
            except forms.ValidationError as error:
                self.add_error("emergency_limit", error)
        return data

    def rules(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in Fund.RULE_FIELDS}

    @staticmethod
    def initial_for(fund: Fund) -> dict[str, Any]:
        initial = fund.rules()
        limit = fund.emergency_money.decimal if fund.currency else fund.emergency_limit
        initial["emergency_limit"] = str(limit)
        return initial


class OpenFundForm(RulesForm):
    name = forms.CharField(label=_("Name of the fund"), max_length=120)
    currency = currency_field(_("Base currency"))
    custodian = OrganizationChoiceField(
        label=_("Organization that holds the money"),
        queryset=Organization.objects.none(),
        help_text=_("Custody is not ownership: the money belongs to the network."),
    )
    field_order = ["name", "currency", "custodian"]

    def __init__(self, *args: Any, organizations: Any, **kwargs: Any) -> None:
        super().__init__(*args, currency="", **kwargs)
        self.fields["custodian"].queryset = organizations  # type: ignore[attr-defined]

    def rules_currency(self) -> str:
        return str(self.cleaned_data.get("currency", "")).strip().upper()


class RulesProposalForm(RulesForm):
    reason = forms.CharField(
        label=_("Why change them"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class PledgeForm(forms.Form):
    organization = OrganizationChoiceField(
        label=_("Organization"), queryset=Organization.objects.none(), empty_label=None
    )
    percent = forms.CharField(
        label=_("Share of income, in percent"),
        max_length=8,
        help_text=_("Up to two decimals, such as 2.5."),
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    period = forms.ChoiceField(label=_("Period"), choices=Period.choices)
    currency = currency_field()
    declared_income = amount_field(_("Declared income per period"))
    starts_on = forms.DateField(label=_("First period starts"), widget=DateInput())

    def __init__(self, *args: Any, organizations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations  # type: ignore[attr-defined]


class PledgeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        pledge: Pledge = obj
        return _("%(organization)s: %(percent)s%% %(period)s in %(currency)s") % {
            "organization": pledge.organization.name,
            "percent": pledge.percent_text,
            "period": pledge.get_period_display(),
            "currency": pledge.currency,
        }


class ContributionForm(forms.Form):
    organization = OrganizationChoiceField(
        label=_("From which organization"), queryset=Organization.objects.none()
    )
    amount = amount_field(_("Amount"))
    currency = currency_field()
    received_on = forms.DateField(label=_("Received on"), widget=DateInput())
    pledge = PledgeChoiceField(
        label=_("Against a pledge"),
        queryset=Pledge.objects.none(),
        required=False,
        empty_label=_("No pledge"),
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)
    key = forms.CharField(max_length=80, widget=forms.HiddenInput)

    def __init__(self, *args: Any, organizations: Any, pledges: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations  # type: ignore[attr-defined]
        self.fields["pledge"].queryset = pledges  # type: ignore[attr-defined]


class OtherForm(forms.Form):
    organization = OrganizationChoiceField(
        label=_("Which organization gave it"), queryset=Organization.objects.none()
    )
    kind = forms.ChoiceField(label=_("What was given"), choices=OtherKind.choices)
    description = forms.CharField(
        label=_("Description"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    hours = forms.IntegerField(
        label=_("Hours"), required=False, min_value=1, help_text=_("Only for hours of work.")
    )
    given_on = forms.DateField(label=_("When"), widget=DateInput())

    def __init__(self, *args: Any, organizations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations  # type: ignore[attr-defined]


class ExchangeForm(forms.Form):
    sold_amount = amount_field(_("Amount sold"))
    sold_currency = currency_field(_("Currency sold"))
    bought_amount = amount_field(_("Amount bought"))
    bought_currency = currency_field(_("Currency bought"))
    note = forms.CharField(label=_("Note"), max_length=300, required=False)
    key = forms.CharField(max_length=80, widget=forms.HiddenInput)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for side in ("sold", "bought"):
            amount, currency = data.get(f"{side}_amount"), data.get(f"{side}_currency")
            if not amount or not currency:
                continue
            currency = currency.strip().upper()
            if not is_currency(currency):
                self.add_error(
                    f"{side}_currency",
                    _("Choose a currency by its ISO 4217 code, such as USD."),
                )
                continue
            try:
                data[side] = _parse(amount, currency)
            except forms.ValidationError as error:
                self.add_error(f"{side}_amount", error)
        return data


class CustodyForm(forms.Form):
    currency = forms.ChoiceField(label=_("Currency"))
    organization = OrganizationChoiceField(
        label=_("Organization that will hold it"), queryset=Organization.objects.none()
    )

    def __init__(self, *args: Any, currencies: list[str], organizations: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["currency"].choices = [(c, c) for c in currencies]  # type: ignore[attr-defined]
        self.fields["organization"].queryset = organizations  # type: ignore[attr-defined]


class CorrectionForm(forms.Form):
    reason = forms.CharField(label=_("What was wrong"), max_length=300)


class VoteForm(forms.Form):
    choice = forms.ChoiceField(
        label=_("Your decision"), choices=Choice.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=2000,
        help_text=_("An objection needs its reason."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
