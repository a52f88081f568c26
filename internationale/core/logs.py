"""Logs that name no one: a filter that removes network addresses (and the secrets that
links carry) from every record.

Members often share an address, and a log of who connected from where endangers them, so
no address is ever written: not by Django, not by gunicorn (which names the client of a
malformed request, for instance).
"""

import ipaddress
import logging
import re
from typing import Any

from gunicorn.glogging import Logger as GunicornLogger

REMOVED = "[address removed]"
SECRET_REMOVED = "[secret removed]"
# A path segment as long as the site's secrets (invitation and reset links carry 43
# characters of URL-safe base64): logged paths keep their shape, not the secret.
_SECRET = re.compile(r"(?<=/)[A-Za-z0-9_-]{32,}(?=/|\s|$|\?)")
# Candidates only; each is checked with ipaddress before it is removed.
_CANDIDATE = re.compile(
    r"(?<![\w:.])"  # not inside a longer word or number
    r"(?:\d{1,3}(?:\.\d{1,3}){3}|[0-9a-fA-F:]*:[0-9a-fA-F:.]+)"  # IPv4, or IPv6-like
    r"(?![\w.])"
)


def redact(text: str) -> str:
    def replace(match: re.Match[str]) -> str:
        try:
            ipaddress.ip_address(match.group(0))
        except ValueError:
            return match.group(0)
        return REMOVED

    return _SECRET.sub(SECRET_REMOVED, _CANDIDATE.sub(replace, text))


class RedactAddresses(logging.Filter):
    """Rewrites each record's message without addresses or secrets from links; the
    server's own listening address, which it announces at start, is kept."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if not message.startswith("Listening at"):
            cleaned = redact(message)
            if cleaned != message:
                record.msg, record.args = cleaned, None
        return True


class PrivateGunicornLogger(GunicornLogger):
    """gunicorn's logger with addresses removed from its error log."""

    def setup(self, cfg: Any) -> None:
        super().setup(cfg)
        self.error_log.addFilter(RedactAddresses())
