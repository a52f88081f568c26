"""Template helpers of the relay: times within a recording."""

from typing import Any

from django import template

register = template.Library()


@register.filter
def clock(milliseconds: int) -> str:
    """A moment within a recording, as 1:05 or 1:02:05."""
    seconds = max(int(milliseconds), 0) // 1000
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"


@register.filter
def seconds(milliseconds: int) -> str:
    """Milliseconds as seconds for a media fragment (#t=12.5)."""
    whole, rest = divmod(max(int(milliseconds), 0), 1000)
    return f"{whole}.{rest // 100}" if rest >= 100 else str(whole)


@register.simple_tag
def on_duty(member: Any) -> list[Any]:
    """The open legs whose circle holds `member`: what the home page tells them about."""
    from internationale.relay.models import Leg

    if not getattr(member, "is_authenticated", False):
        return []
    return list(
        Leg.objects.open()
        .filter(circle__members=member)
        .select_related("relay", "circle")
        .order_by("due_at")
    )


@register.filter
def is_rtl(code: str) -> bool:
    """Whether a language is written right to left (its base language decides)."""
    from internationale.core.languages import RIGHT_TO_LEFT

    return code.split("-")[0].lower() in RIGHT_TO_LEFT
