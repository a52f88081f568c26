from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from internationale.archive.models import (
    Consent,
    Level,
    LinkKind,
    Outcome,
    PayPeriod,
    Schema,
    Verdict,
)
from internationale.core.languages import all_languages
from internationale.core.visibility import Visibility

VISIBILITY_HELP = _(
    "Private items stay with your organization; network items are read by its members."
)


class EntityChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        countries = ", ".join(obj.countries)
        return f"{obj.name} ({countries})" if countries else str(obj.name)


class OrganizationField(forms.ModelChoiceField):
    def __init__(self, organizations: Any) -> None:
        super().__init__(
            label=_("Recorded for"),
            queryset=organizations,
            empty_label=None,
        )


def _written_in_any_direction(form: forms.Form) -> None:
    """Text people type is set in its own direction (a Turkish testimony on an Arabic
    page), not the page's."""
    for field in form.fields.values():
        if type(field.widget) in (forms.TextInput, forms.Textarea):
            field.widget.attrs.setdefault("dir", "auto")


class WrittenForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _written_in_any_direction(self)


class ItemForm(forms.Form):
    def __init__(self, *args: Any, organizations: Any, entities: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _written_in_any_direction(self)
        self.fields["organization"] = OrganizationField(organizations)
        for name, field in self.fields.items():
            if isinstance(field, EntityChoice) and entities is not None:
                field.queryset = entities
            if name == "visibility":
                field.help_text = VISIBILITY_HELP
        self.order_fields(["organization"])


class TestimonyForm(ItemForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    speaker = forms.CharField(
        label=_("Speaker's pseudonym"),
        max_length=80,
        help_text=_("Never a legal name."),
    )
    language = forms.ChoiceField(label=_("Language"), choices=all_languages)
    text = forms.CharField(
        label=_("Testimony"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        max_length=100_000,
        help_text=_(
            "Write passages only your organization may read between double brackets, "
            "[[like this]]: they are cut from every shared copy."
        ),
    )
    audio = forms.FileField(
        label=_("Or a recording"),
        required=False,
        help_text=_(
            "Audio up to ten minutes. It is re-encoded without any metadata and transcribed "
            "when a speech model is installed; the original file is never kept."
        ),
    )
    consent = forms.ChoiceField(
        label=_("The speaker consented to share it with"),
        choices=Consent.choices,
        initial=Consent.ORGANIZATION,
    )
    visibility = forms.ChoiceField(
        label=_("Who can see it"), choices=Visibility.choices, initial=Visibility.PRIVATE
    )

    def __init__(self, *args: Any, recorded: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.recorded = recorded
        if recorded:
            self.fields["audio"].label = _("Replace the recording")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("text", "").strip() and not data.get("audio") and not self.recorded:
            raise forms.ValidationError(_("Write the testimony or upload a recording."))
        return data


class WageForm(ItemForm):
    employer = EntityChoice(label=_("Employer"), queryset=None)
    country = forms.CharField(label=_("Country (two-letter code)"), max_length=2)
    city = forms.CharField(label=_("City"), max_length=120, required=False)
    sector = forms.CharField(label=_("Sector"), max_length=120, required=False)
    job = forms.CharField(label=_("Job"), max_length=120)
    pay = forms.CharField(label=_("Pay"), max_length=30, help_text=_("For example 1250.50"))
    currency = forms.CharField(label=_("Currency (ISO code)"), max_length=3)
    period = forms.ChoiceField(label=_("Pay period"), choices=PayPeriod.choices)
    hours = forms.CharField(
        label=_("Hours worked in the period"), max_length=10, help_text=_("For example 48 or 7.5")
    )
    observed_on = forms.DateField(
        label=_("Date observed"), widget=forms.DateInput(attrs={"type": "date"})
    )
    source = forms.CharField(label=_("Source"), max_length=300, required=False)
    visibility = forms.ChoiceField(
        label=_("Who can see it"), choices=Visibility.choices, initial=Visibility.NETWORK
    )


class LinkForm(ItemForm):
    source = EntityChoice(label=_("This entity"), queryset=None)
    kind = forms.ChoiceField(label=_("Kind of link"), choices=LinkKind.choices)
    target = EntityChoice(label=_("That entity"), queryset=None)
    share = forms.CharField(
        label=_("Share owned (percent)"),
        max_length=10,
        required=False,
        help_text=_("Only for ownership, for example 70 or 12.5."),
    )
    evidence = forms.CharField(
        label=_("Evidence"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    visibility = forms.ChoiceField(
        label=_("Who can see it"), choices=Visibility.choices, initial=Visibility.NETWORK
    )


class TacticForm(ItemForm):
    jurisdiction = forms.CharField(label=_("Jurisdiction"), max_length=120)
    issue = forms.CharField(label=_("Issue"), max_length=300)
    tactic = forms.CharField(label=_("Tactic"), widget=forms.Textarea(attrs={"rows": 6}))
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices)
    documents = forms.CharField(
        label=_("Documents"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    against = EntityChoice(label=_("Against"), queryset=None, required=False)
    visibility = forms.ChoiceField(
        label=_("Who can see it"), choices=Visibility.choices, initial=Visibility.NETWORK
    )


class EntityForm(WrittenForm):
    name = forms.CharField(label=_("Name"), max_length=300)
    schema = forms.ChoiceField(label=_("Kind"), choices=Schema.choices)
    aliases = forms.CharField(
        label=_("Other names"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line, in any language or script."),
    )
    countries = forms.CharField(
        label=_("Countries"), required=False, help_text=_("Two-letter codes, for example BR TR")
    )
    lei = forms.CharField(label=_("LEI code"), required=False, max_length=20)
    registration = forms.CharField(label=_("Registration number"), required=False, max_length=60)


class TranslationForm(WrittenForm):
    language = forms.ChoiceField(label=_("Language"), choices=all_languages)
    title = forms.CharField(label=_("Title"), max_length=300)
    text = forms.CharField(
        label=_("Translation"),
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("Keep the original's redactions between double brackets."),
    )


class JudgementForm(forms.Form):
    level = forms.ChoiceField(choices=Level.choices, widget=forms.HiddenInput)
    left = forms.IntegerField(widget=forms.HiddenInput)
    right = forms.IntegerField(widget=forms.HiddenInput)
    verdict = forms.ChoiceField(choices=Verdict.choices)


class RateForm(forms.Form):
    on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    amount = forms.CharField(label=_("Amount"), max_length=30, initial="1")
    currency = forms.CharField(label=_("Currency (ISO code)"), max_length=3)
    common = forms.CharField(label=_("Was worth"), max_length=30)
    common_currency = forms.CharField(label=_("In (ISO code)"), max_length=3)


class ImportForm(ItemForm):
    kind = forms.ChoiceField(
        label=_("What the file holds"),
        choices=[("entities", _("Entities")), ("wages", _("Wage records")), ("links", _("Links"))],
    )
    file = forms.FileField(label=_("CSV file"))


def _any_language() -> list[tuple[str, Any]]:
    return [("", _("Any")), *all_languages()]


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), max_length=200, required=False)
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[
            ("", _("Everything")),
            ("testimony", _("Testimonies")),
            ("translation", _("Translations")),
            ("tactic", _("Legal tactics")),
            ("wage", _("Wage records")),
            ("link", _("Links")),
            ("entity", _("Entities")),
            ("transcript", _("Relay transcripts")),
        ],
    )
    language = forms.ChoiceField(label=_("Language"), required=False, choices=_any_language)
    country = forms.CharField(label=_("Country (two-letter code)"), max_length=2, required=False)
