"""Forms of the draw pages. They check the shape of input; the actions check its meaning."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from internationale.core.money import Money, format_money
from internationale.network.models import Organization
from internationale.treasury.models import Choice, Draw, DrawKind, Fund

STRATEGY_CHOICES = [
    (1, _("1: little")),
    (2, "2"),
    (3, "3"),
    (4, "4"),
    (5, _("5: great")),
]


def amount_text(minor: int, currency: str) -> str:
    """An amount as a form shows it for editing: plain decimal digits, '1200.50'."""
    return str(Money(minor, currency).decimal)


def _amount_field(label: Any, **kwargs: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=24,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        **kwargs,
    )


class DrawForm(forms.Form):
    """A request for money, or its revision after the stewards sent it back."""

    organization = forms.ModelChoiceField(
        label=_("Asking for"), queryset=Organization.objects.none(), empty_label=None
    )
    kind = forms.ChoiceField(
        label=_("What the money is for"), choices=DrawKind.choices, widget=forms.RadioSelect
    )
    amount = _amount_field(_("Amount"))
    currency = forms.ChoiceField(label=_("Currency"))
    means = _amount_field(
        _("Money your organization has for this itself"),
        initial="0",
        help_text=_("In the same currency. The less you have, the higher the need counts."),
    )
    needed_by = forms.DateField(
        label=_("Needed by"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    narrative = forms.CharField(
        label=_("What happened, and what the money is for"),
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    evidence = forms.CharField(
        label=_("Evidence"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Links, descriptions of documents, who can confirm what happened. "
            "No files: describe them or link to them."
        ),
    )
    blind = forms.BooleanField(
        label=_("Blind review"),
        required=False,
        help_text=_(
            "The stewards will not see which organization asks until they have decided. "
            "Then do not name your organization, its people or its town in the narrative or "
            "the evidence."
        ),
    )
    emergency = forms.BooleanField(label=_("Emergency fast track"), required=False)

    def __init__(
        self,
        *args: Any,
        fund: Fund,
        currencies: list[str],
        locale: str,
        organizations: list[Organization] | None = None,
        **kwargs: Any,
    ) -> None:
        """`organizations`: those the requester may ask for (the field is left out when
        there is only one, and on a revision, which keeps the organization and the blind
        review it was asked with)."""
        super().__init__(*args, **kwargs)
        self.fields["currency"].choices = [(c, c) for c in currencies]  # type: ignore[attr-defined]
        self.fields["currency"].initial = fund.currency
        if organizations and len(organizations) > 1:
            self.fields["organization"].queryset = Organization.objects.filter(  # type: ignore[attr-defined]
                pk__in=[o.pk for o in organizations]
            )
        else:
            del self.fields["organization"]
        if organizations is None:
            del self.fields["blind"]
        if fund.emergency_limit > 0:
            self.fields["emergency"].help_text = _(
                "For what cannot wait: two stewards' approvals reserve the money at once, "
                "for up to %(limit)s. The other stewards may still object afterwards."
            ) % {"limit": format_money(fund.emergency_money, locale=locale)}
        else:
            del self.fields["emergency"]

    @classmethod
    def revising(cls, draw: Draw, data: Any = None, **kwargs: Any) -> "DrawForm":
        """The form to submit `draw` again, filled with what it asks now."""
        initial = {
            "kind": draw.kind,
            "amount": amount_text(draw.amount, draw.currency),
            "currency": draw.currency,
            "means": amount_text(draw.means, draw.currency),
            "needed_by": draw.needed_by,
            "narrative": draw.narrative,
            "evidence": draw.evidence,
            "emergency": draw.emergency,
        }
        return cls(data, initial=initial, prefix="resubmit", fund=draw.fund, **kwargs)


class VoteForm(forms.Form):
    choice = forms.ChoiceField(
        label=_("Your decision"), choices=Choice.choices, widget=forms.RadioSelect
    )
    strategy = forms.TypedChoiceField(
        label=_("Strategic importance, from 1 to 5"),
        choices=STRATEGY_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        help_text=_("How much this matters for the network's common struggle."),
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("An objection needs its reason; the organization reads it."),
    )

    def __init__(self, *args: Any, objection_only: bool = False, **kwargs: Any) -> None:
        """`objection_only`: the request is already approved on the fast track, so the
        only vote left is an objection."""
        kwargs.setdefault("prefix", "vote")
        super().__init__(*args, **kwargs)
        if objection_only:
            self.fields["choice"].choices = [(Choice.OBJECT, Choice.OBJECT.label)]  # type: ignore[attr-defined]
            self.fields["choice"].initial = Choice.OBJECT


class PayForm(forms.Form):
    amount = _amount_field(_("Amount paid out"))

    def __init__(self, *args: Any, reserved: Money, locale: str, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "pay")
        kwargs.setdefault("initial", {"amount": amount_text(reserved.minor, reserved.currency)})
        super().__init__(*args, **kwargs)
        self.fields["amount"].help_text = _(
            "In %(currency)s, at most %(reserved)s. Pay less if less is needed: the rest "
            "goes back to the fund."
        ) % {"currency": reserved.currency, "reserved": format_money(reserved, locale=locale)}


class ReleaseForm(forms.Form):
    reason = forms.CharField(
        label=_("Why the reservation is released"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "release")
        super().__init__(*args, **kwargs)


class ReportForm(forms.Form):
    text = forms.CharField(
        label=_("How the money was used"),
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    spent = _amount_field(_("Amount spent"))

    def __init__(self, *args: Any, paid: Money, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "report")
        kwargs.setdefault("initial", {"spent": amount_text(paid.minor, paid.currency)})
        super().__init__(*args, **kwargs)
        self.fields["spent"].help_text = _("In %(currency)s.") % {"currency": paid.currency}


class WithdrawForm(forms.Form):
    """No fields: it carries the action's refusal back to the page."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "withdraw")
        super().__init__(*args, **kwargs)
