from typing import Any

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

register = template.Library()

KINDS = {
    "testimony": _("testimony"),
    "translation": _("translation"),
    "tactic": _("legal tactic"),
    "wage": _("wage record"),
    "link": _("link"),
    "entity": _("entity"),
    "transcript": _("relay transcript"),
    "report": _("relay report"),
}
EVIDENCE = {
    "testimony": _("Testimonies"),
    "translation": _("Translations"),
    "tactic": _("Legal tactics"),
    "wage": _("Wage records"),
    "link": _("Links"),
    "report": _("Relay reports"),
}


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    return mapping.get(key) if mapping else None


@register.filter
def percent(basis_points: int) -> str:
    """A share kept in basis points, as a percentage: 7000 → "70 %"."""
    return f"{number_format(basis_points / 100, decimal_pos=2 if basis_points % 100 else 0)} %"


@register.filter
def score(value: float) -> str:
    return f"{number_format(round(value * 100))} %"


@register.filter
def search_kind(kind: str) -> str:
    return str(KINDS.get(kind, kind))


@register.filter
def evidence_kind(kind: str) -> str:
    return str(EVIDENCE.get(kind, kind))
