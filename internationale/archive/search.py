"""Full-text search across the archive's items, translations, entities and relay transcripts.

On SQLite the search entries are mirrored into an FTS5 table (`archive_search_fts`, the
`unicode61` tokenizer with diacritics removed, so "salario" finds "salário"); on PostgreSQL a
GIN index over `to_tsvector('simple', …)` answers the same query. The 'simple' configuration
neither stems nor drops stop words: the archive holds every language at once, and a
Portuguese stemmer would mangle Turkish.

The reader's query is cut into words and each word is looked up as a prefix ("sindica"
finds "sindicato"); every word must be present. Only entries the reader may read are
searched: the visibility filter is part of the same SQL statement. Snippets come back with
the matched words between two control characters, which `_marked` turns into `<mark>`
after escaping everything else.
"""

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models.expressions import RawSQL
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from internationale.archive import indexing
from internationale.archive.models import SearchEntry
from internationale.network.models import Member, Network

KINDS = ("testimony", "translation", "tactic", "wage", "link", "entity", "transcript")
START, STOP = "\x02", "\x03"
# PostgreSQL's text parser reads "<…>" as an HTML tag and drops it: its index and snippets
# see "<" as this private-use character instead, which it reads as a separator.
LESS_THAN = "\ue000"
MAX_WORDS = 12
# How many of the best matches, per result shown, are checked before all of them are.
FIRST_LOOK = 8
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class Hit:
    entry: SearchEntry
    title: SafeString
    snippet: SafeString


@dataclass(frozen=True)
class Filters:
    kind: str = ""
    language: str = ""
    organization: int | None = None
    country: str = ""


def words(query: str) -> list[str]:
    """The query's words as written (composed): each database folds them the way it folds
    the texts it indexed, which Python's case folding would not match ("ß", "İ")."""
    return _WORD.findall(unicodedata.normalize("NFC", query))[:MAX_WORDS]


def _marked(text: str) -> SafeString:
    return mark_safe(  # noqa: S308 - everything but our own markers is escaped first
        str(escape(text.replace(LESS_THAN, "<"))).replace(START, "<mark>").replace(STOP, "</mark>")
    )


def _visible(member: Member | None, network: Network, filters: Filters) -> Any:
    entries = SearchEntry.objects.visible_to(member).filter(network=network)
    if filters.kind:
        entries = entries.filter(kind=filters.kind)
    if filters.language:
        entries = entries.filter(language__startswith=filters.language.split("-")[0])
    if filters.organization:
        entries = entries.filter(organization_id=filters.organization)
    if filters.country:
        entries = entries.filter(country=filters.country.upper())
    return entries.order_by().values("id")


def search(
    member: Member | None,
    network: Network,
    query: str,
    filters: Filters = Filters(),
    *,
    limit: int = 30,
) -> list[Hit]:
    """What `member` may read in `network` that holds every word of `query`, best first."""
    found = words(query)
    if not found:
        return []
    indexing.sync_transcripts(network)
    readable = _visible(member, network, filters)
    if connection.vendor == "postgresql":
        subquery, params = readable.query.sql_with_params()
        rows = _postgresql(found, subquery, params, limit)
    else:
        rows = _sqlite(found, readable, limit)
    entries = SearchEntry.objects.in_bulk([row[0] for row in rows])
    return [
        Hit(entry=entries[pk], title=_marked(title), snippet=_marked(snippet))
        for pk, title, snippet in rows
        if pk in entries
    ]


def _sqlite(found: list[str], readable: Any, limit: int) -> list[Any]:
    """The best matches the reader may read, then their highlights, in steps that keep a
    common word cheap: the best few hundred matches by rank are checked first (most readers
    may read most of them); only when too few are readable are all matches joined with what
    the reader may read. Snippets are made for the rows shown, not for every match."""
    match = " ".join('"{}"*'.format(word.replace('"', "")) for word in found)
    first = limit * FIRST_LOOK
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT rowid FROM archive_search_fts WHERE archive_search_fts MATCH %s "
            "ORDER BY rank, rowid LIMIT %s",
            [match, first],
        )
        best = [row[0] for row in cursor.fetchall()]
    allowed = set(readable.filter(id__in=best).values_list("id", flat=True))
    ids = [pk for pk in best if pk in allowed][:limit]
    if len(ids) < limit and len(best) == first:
        # Only the matched rows are looked up, by key, instead of every readable row.
        subquery, params = readable.filter(
            id__in=RawSQL("SELECT id FROM matched", [])
        ).query.sql_with_params()
        every = f"""
            WITH matched AS MATERIALIZED (
                SELECT rowid AS id, rank FROM archive_search_fts
                WHERE archive_search_fts MATCH %s
            )
            SELECT matched.id FROM matched WHERE matched.id IN ({subquery})
            ORDER BY matched.rank, matched.id
            LIMIT %s
        """  # noqa: S608 - the subquery is Django's own SQL; values travel as parameters
        with connection.cursor() as cursor:
            cursor.execute(every, [match, *params, limit])
            ids = [row[0] for row in cursor.fetchall()]
    if not ids:
        return []
    marked = """
        SELECT rowid,
               highlight(archive_search_fts, 0, char(2), char(3)),
               snippet(archive_search_fts, 1, char(2), char(3), '…', 24)
        FROM archive_search_fts
        WHERE archive_search_fts MATCH %s AND rowid IN ({ids})
    """
    with connection.cursor() as cursor:
        cursor.execute(marked.format(ids=", ".join(["%s"] * len(ids))), [match, *ids])
        rows = {row[0]: row for row in cursor.fetchall()}
    return [rows[pk] for pk in ids if pk in rows]


DOCUMENT = "to_tsvector('simple', replace(e.title || ' ' || e.body, '<', U&'\\E000'))"


def _postgresql(found: list[str], subquery: str, params: Any, limit: int) -> list[Any]:
    """The best readable matches first, then the highlights of those only."""
    query = " & ".join("'{}':*".format(word.replace("'", "")) for word in found)
    options = f"StartSel={START}, StopSel={STOP}, MaxFragments=2, MaxWords=30, MinWords=8"
    whole = f"StartSel={START}, StopSel={STOP}, HighlightAll=true"
    best = f"""
        SELECT e.id FROM archive_searchentry AS e, to_tsquery('simple', %s) AS q
        WHERE {DOCUMENT} @@ q AND e.id IN ({subquery})
        ORDER BY ts_rank({DOCUMENT}, q) DESC, e.id
        LIMIT %s
    """  # noqa: S608 - the subquery is Django's own SQL; values travel as parameters
    marked = """
        SELECT e.id,
               ts_headline('simple', replace(e.title, '<', U&'\\E000'), q, %s),
               ts_headline('simple', replace(e.body, '<', U&'\\E000'), q, %s)
        FROM archive_searchentry AS e, to_tsquery('simple', %s) AS q
        WHERE e.id = ANY(%s)
    """
    with connection.cursor() as cursor:
        cursor.execute(best, [query, *params, limit])
        ids = [row[0] for row in cursor.fetchall()]
        if not ids:
            return []
        cursor.execute(marked, [whole, options, query, ids])
        rows = {row[0]: row for row in cursor.fetchall()}
    return [rows[pk] for pk in ids if pk in rows]
