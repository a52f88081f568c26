from typing import Any

from django.http import HttpRequest

from internationale.core.languages import interface_languages, own_language_name
from internationale.core.timezones import current_zone_name, zone_label


def reader(request: HttpRequest) -> dict[str, Any]:
    """What every page needs to speak to its reader: the interface languages, each named in
    itself, and the reader's time zone."""
    zone = current_zone_name()
    return {
        "interface_languages": [(code, own_language_name(code)) for code in interface_languages()],
        "reader_zone": zone,
        "reader_zone_label": zone_label(zone),
    }
