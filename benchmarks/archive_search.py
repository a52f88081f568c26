"""Search speed: the archive's full-text search against a plain substring scan of the same
entries, in the same process on the same fresh SQLite database.

Fills a network's search index with 50,000 entries of made-up text (about 60 words each,
drawn from a vocabulary of several languages, with rare words planted), then runs the same
queries through `archive.search.search` (FTS5, with the reader's visibility filter in the
same statement, ranked, with snippets) and through the baseline: a case-insensitive
`LIKE '%word%'` over the entries the reader may read, first 30 rows.

    make bench        (INTERNATIONALE_TESTING=true .venv/bin/python benchmarks/archive_search.py)

Rare words (found in a few entries) and common words (found in half of them) are measured
apart: the scan stops at its first 30 rows, so it is quick for common words and slow for
rare ones, while the full-text search ranks every match and reads only the index.

Goal: a query answers in under a tenth of a second at this size.
"""

import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ENTRIES = 50_000
WORDS_PER_ENTRY = 60
QUERIES = 40
GOAL_SECONDS = 0.1

VOCABULARY = (
    "warehouse shift wage overtime union manager contract picker loader courier factory "
    "salário sindicato entregador armazém turno patrão contrato atraso desconto "
    "maaş sendika depo vardiya sözleşme işçi mesai ustabaşı "  # noqa: RUF001
    "salario sindicato almacén turno contrato trabajador "
    "salaire syndicat entrepôt équipe contrat travailleur "
    "مستودع نقابة أجر عامل عقد وردية "
    "মজুরি ইউনিয়ন কারখানা শ্রমিক চুক্তি"
).split()


def main() -> None:
    data = tempfile.mkdtemp(prefix="internationale-search-bench-")
    os.environ["INTERNATIONALE_DATA_DIR"] = data
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("INTERNATIONALE_TESTING", "true")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "internationale.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from internationale.archive import search
    from internationale.archive.models import SearchEntry
    from internationale.network.demo import load_demo
    from internationale.network.models import Member, Network

    call_command("migrate", verbosity=0)
    load_demo()
    network = Network.objects.get(slug="logistics-workers-relay")
    organizations = list(network.organizations.all())
    reader = Member.objects.get(display_name="Caio")
    randomness = random.Random(7)
    rare = [f"rareword{n}" for n in range(QUERIES)]
    now = timezone.now()
    rows = []
    for number in range(ENTRIES):
        words = randomness.choices(VOCABULARY, k=WORDS_PER_ENTRY)
        if number % 1_000 == 0:
            words[randomness.randrange(WORDS_PER_ENTRY)] = rare[(number // 1_000) % QUERIES]
        rows.append(
            SearchEntry(
                network=network,
                organization=organizations[number % len(organizations)],
                visibility=("private", "network", "public")[number % 3],
                kind="testimony",
                object_id=number + 1,
                language="en",
                title=" ".join(words[:6]),
                body=" ".join(words),
                updated_at=now,
            )
        )
    started = time.perf_counter()
    SearchEntry.objects.bulk_create(rows, batch_size=2_000)
    indexed = time.perf_counter() - started
    common = randomness.sample(VOCABULARY, QUERIES // 2)
    rare_queries = rare[: QUERIES // 2]

    def timed(run: object, queries: list[str]) -> tuple[float, int]:
        found = 0
        started = time.perf_counter()
        for query in queries:
            found += len(run(query))  # type: ignore[operator]
        return (time.perf_counter() - started) / len(queries), found

    def full_text(query: str) -> list[object]:
        return search.search(reader, network, query)

    def scan(query: str) -> list[object]:
        return list(
            SearchEntry.objects.visible_to(reader)
            .filter(network=network, body__icontains=query)
            .values_list("id", flat=True)[:30]
        )

    full_text("warm up")
    print(f"Archive search on SQLite, {ENTRIES:,} entries of {WORDS_PER_ENTRY} words")
    print(f"  indexing (bulk insert through the FTS5 triggers): {indexed:.1f} s")
    slowest = 0.0
    for label, queries in (("a rare word", rare_queries), ("a common word", common)):
        fts, fts_found = timed(full_text, queries)
        baseline, scan_found = timed(scan, queries)
        slowest = max(slowest, fts)
        print(
            f"  {label}: full-text search {fts * 1000:.1f} ms a query ({fts_found} hits), "
            f"LIKE scan {baseline * 1000:.1f} ms ({scan_found} rows); ratio {fts / baseline:.2f}"
        )
    connection.close()
    if slowest > GOAL_SECONDS:
        raise SystemExit(f"A search took {slowest:.3f} s, over the goal of {GOAL_SECONDS} s.")


if __name__ == "__main__":
    main()
