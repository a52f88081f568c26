"""Template helpers of the draw pages: days and amounts in the reader's terms."""

from datetime import date

from babel import Locale
from babel.dates import format_skeleton
from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from internationale.core.languages import reader_locale
from internationale.core.money import Money, format_money
from internationale.core.templatetags.internationale import isolated

register = template.Library()


@register.filter
def day(value: date | None) -> SafeString | str:
    """A <time> element: the calendar day as the reader's language writes it."""
    if value is None:
        return ""
    locale = Locale.parse(reader_locale().replace("-", "_"))
    return format_html(
        '<time datetime="{}">{}</time>',
        value.isoformat(),
        format_skeleton("yMMMd", value, locale=locale),
    )


@register.filter
def minor_in(value: int, currency: str) -> SafeString:
    """A whole number of `currency`'s minor units, formatted for the reader."""
    return isolated(format_money(Money(value, currency), locale=reader_locale()))
