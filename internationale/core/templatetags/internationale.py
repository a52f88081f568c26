"""Template helpers for times, languages, countries and money in the reader's terms."""

from datetime import datetime

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from internationale.core import languages, money, timezones
from internationale.core.languages import reader_locale

register = template.Library()


@register.simple_tag
def moment(value: datetime | None, zone: str = "", named: bool = True) -> SafeString | str:
    """A <time> element: the moment in the reader's zone (or `zone`), the zone named."""
    if value is None:
        return ""
    text = timezones.format_moment(value, zone=zone or None)
    label = timezones.zone_label(zone or timezones.current_zone_name())
    if named:
        text = f"{text} ({label})"
    return format_html('<time datetime="{}">{}</time>', value.isoformat(), text)


@register.simple_tag
def local_time_now(zone: str) -> SafeString:
    """The time it is now in `zone`, as an organization's page shows it."""
    from django.utils import timezone

    now = timezone.now()
    return format_html(
        '<time datetime="{}">{}</time>',
        now.isoformat(),
        timezones.format_moment(now, zone=zone, with_date=False),
    )


@register.filter
def zone_label(zone: str) -> str:
    return timezones.zone_label(zone)


@register.filter
def language_name(code: str) -> str:
    return languages.language_name(code)


@register.filter
def language_list(codes: list[str]) -> str:
    return languages.language_list(codes)


@register.filter
def country_name(code: str) -> str:
    return languages.country_name(code)


def isolated(text: str) -> SafeString:
    """An amount set apart from the text around it, so that right-to-left text does not
    reorder its currency sign ("US$ 12.00" stays as written in Arabic)."""
    return format_html('<bdi dir="ltr">{}</bdi>', text)


@register.filter
def money_text(value: money.Money) -> SafeString:
    return isolated(money.format_money(value, locale=reader_locale()))
