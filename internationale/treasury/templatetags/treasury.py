"""Template helpers of the fund's pages: amounts and accounts in the reader's terms."""

from collections.abc import Iterable

from babel.lists import format_list
from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from internationale.core.languages import reader_locale
from internationale.core.money import Money, format_money
from internationale.core.templatetags.internationale import isolated
from internationale.treasury.models import Account, AccountKind, DrawKind

register = template.Library()


def _locale() -> str:
    return reader_locale().replace("-", "_")


@register.filter
def minor_money(amount: int, currency: str) -> SafeString:
    """A whole number of minor units of `currency`, as the reader writes the amount."""
    return isolated(format_money(Money(amount, currency), locale=_locale()))


@register.filter
def money_list(amounts: Iterable[Money]) -> str:
    """Amounts in several currencies, joined as the reader's language joins a list."""
    texts = [str(isolated(format_money(m, locale=_locale()))) for m in amounts]
    # The amounts are escaped by `isolated`; the list's own words are Babel's.
    return mark_safe(format_list(texts, locale=_locale())) if texts else "—"  # noqa: S308


@register.filter
def account_label(account: Account) -> str:
    """An account in words: whose it is and what it counts."""
    name = account.organization.name if account.organization is not None else ""
    if account.kind == AccountKind.HELD:
        return _("held by %(organization)s") % {"organization": name}
    if account.kind == AccountKind.CONTRIBUTIONS:
        return _("given by %(organization)s") % {"organization": name}
    if account.kind == AccountKind.DRAWS:
        kind = DrawKind(account.draw_kind).label if account.draw_kind in DrawKind.values else ""
        return _("draws: %(kind)s") % {"kind": kind}
    return _("currency exchange")
