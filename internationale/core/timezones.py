"""Times shown in the reader's time zone, with the zone named in the reader's language."""

import zoneinfo
from datetime import datetime
from functools import cache

from babel import Locale
from babel.dates import format_skeleton, get_timezone_location
from django.utils import timezone

from internationale.core.languages import reader_locale


@cache
def all_zones() -> tuple[str, ...]:
    return tuple(
        sorted(
            z
            for z in zoneinfo.available_timezones()
            if "/" in z and not z.startswith(("Etc/", "SystemV/", "US/", "posix/", "right/"))
        )
    )


def is_zone(name: str) -> bool:
    return name == "UTC" or name in all_zones()


def zone_label(zone: str, *, locale: str | None = None) -> str:
    """The zone as a reader of `locale` calls it: 'United States (Chicago) Time'."""
    if zone == "UTC":
        return "UTC"
    return get_timezone_location(zoneinfo.ZoneInfo(zone), locale=_babel(locale))


def _babel(locale: str | None) -> Locale:
    return Locale.parse((locale or reader_locale()).replace("-", "_"))


def format_moment(
    moment: datetime, *, zone: str | None = None, locale: str | None = None, with_date: bool = True
) -> str:
    """`moment` in `zone` (the reader's by default), formatted for `locale`, zone not named."""
    tz = zoneinfo.ZoneInfo(zone) if zone else timezone.get_current_timezone()
    babel_locale = _babel(locale)
    time_text = format_skeleton("Hm", moment, tzinfo=tz, locale=babel_locale)
    if not with_date:
        return time_text
    date_text = format_skeleton("yMMMd", moment, tzinfo=tz, locale=babel_locale)
    return babel_locale.datetime_formats["medium"].format(time_text, date_text)


def current_zone_name() -> str:
    return str(timezone.get_current_timezone())
