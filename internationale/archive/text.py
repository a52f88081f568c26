"""A text as a page shows it: escaped, its paragraphs kept, and each mention of a known
entity a link to that entity's page (the other direction of the entity page's list of
mentions)."""

from collections.abc import Sequence

from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from internationale.archive.mentions import Mention


def _escaped(text: str) -> str:
    return str(escape(text)).replace("\n", "<br>")


def linked(text: str, mentions: Sequence[Mention]) -> SafeString:
    """`text` as HTML paragraphs, each mention a link to its entity."""
    parts: list[str] = []
    position = 0
    for mention in sorted(mentions, key=lambda m: m.start):
        if mention.start < position:
            continue
        parts.append(_escaped(text[position : mention.start]))
        url = reverse("archive:entity", args=[int(mention.entity)])
        words = _escaped(text[mention.start : mention.end])
        parts.append(f'<a class="mention" href="{escape(url)}">{words}</a>')
        position = mention.end
    parts.append(_escaped(text[position:]))
    paragraphs = "".join(parts).replace("\r", "").split("<br><br>")
    return mark_safe(  # noqa: S308 - every piece of the text is escaped above
        "".join(f'<p dir="auto">{p}</p>' for p in paragraphs if p)
    )
