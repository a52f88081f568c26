from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from internationale.core.languages import all_languages
from internationale.core.visibility import Visibility
from internationale.network.models import Circle
from internationale.relay.models import Feed, Report

LEG_FIELDS = 8
DISGUISES = [
    (0, _("No disguise")),
    (-4, _("Lower voice (strong)")),
    (-2, _("Lower voice")),
    (2, _("Higher voice")),
    (4, _("Higher voice (strong)")),
]


class CircleChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} — {obj.organization.name}"


class StartRelayForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    prompt = forms.CharField(
        label=_("Prompt for the first circle"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        help_text=_("A question the first circle answers; each circle after it responds."),
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages the chain must be available in"),
        choices=all_languages,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    leg_days = forms.IntegerField(label=_("Days per leg"), min_value=1, max_value=90, initial=7)

    def __init__(self, *args: Any, circles: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for i in range(LEG_FIELDS):
            self.fields[f"leg_{i}"] = CircleChoice(
                label=_("Circle of leg %(number)d") % {"number": i + 1},
                queryset=circles,
                required=i == 0,
                empty_label=_("(none)") if i else None,
            )
        # The legs come before the languages and the time-box in the page.
        order = ["title", "prompt", *[f"leg_{i}" for i in range(LEG_FIELDS)]]
        self.order_fields(order)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        data["circles"] = [
            data[f"leg_{i}"] for i in range(LEG_FIELDS) if data.get(f"leg_{i}") is not None
        ]
        return data


class ReportFieldsForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    speaker = forms.CharField(
        label=_("Speaker's pseudonym"),
        max_length=80,
        help_text=_("Never a legal name: this name travels with the report."),
    )
    language = forms.ChoiceField(label=_("Language spoken or written"), choices=all_languages)
    visibility = forms.ChoiceField(
        label=_("Who can see it"),
        choices=Visibility.choices,
        initial=Visibility.NETWORK,
        help_text=_(
            "Private reports stay with your organization and are not passed on. "
            "Only public reports can go into a public podcast feed."
        ),
    )
    responds_to = forms.ModelChoiceField(
        label=_("Responds to"), queryset=Report.objects.none(), required=False
    )

    def __init__(self, *args: Any, earlier: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["responds_to"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = earlier
        field.empty_label = _("(the prompt)")


class AudioReportForm(ReportFieldsForm):
    audio = forms.FileField(
        label=_("Recording"),
        help_text=_(
            "Ogg, WebM, MP3, M4A, AAC, WAV or FLAC, at most 10 minutes. The server re-encodes it "
            "and removes every tag and all metadata; the file you send is not kept."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": "audio/*"}),
    )
    disguise = forms.TypedChoiceField(
        label=_("Voice disguise"),
        choices=DISGUISES,
        coerce=int,
        initial=0,
        help_text=_("Shifts the pitch and timbre of the voice for speakers at risk."),
    )


class TextReportForm(ReportFieldsForm):
    text = forms.CharField(
        label=_("Report"),
        widget=forms.Textarea(attrs={"rows": 10}),
        max_length=40_000,
        help_text=_("Leave an empty line between paragraphs."),
    )


class FeedForm(forms.Form):
    feed = forms.ChoiceField(label=_("Podcast feed"), choices=Feed.choices)


def circles_of(network: Any) -> Any:
    return (
        Circle.objects.filter(organization__in=network.organizations.all())
        .select_related("organization")
        .order_by("organization__name", "name")
    )
