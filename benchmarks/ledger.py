"""Ledger throughput: postings per second through the treasury's actions, against the raw
INSERT rate of the same rows.

A fund takes in contributions in batches of 500 receipts, each a posting with its own key,
through `treasury.actions.record_contributions` (every rule: stewardship, keys, limits,
locks, audit). The baseline writes the same rows for each posting (the transfer, its two
entries and its audit event) with `executemany`, one transaction per batch, and nothing
else. Both run in the same process on the same fresh database: SQLite in a temporary file
(write-ahead log, as the site runs it), and PostgreSQL when INTERNATIONALE_BENCH_POSTGRES or
INTERNATIONALE_TEST_POSTGRES names a server (a database is made there and dropped after).

    make bench        (INTERNATIONALE_TESTING=true .venv/bin/python benchmarks/ledger.py)

Goals on SQLite: at least 2,000 postings per second, and a third of the raw rate. Exits
non-zero when the action layer falls below 2,000 per second; the share of the raw rate is
reported (what remains of the gap is the ledger core's checks and Python's work per row).
"""

import json
import os
import secrets
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BATCH = 500
BATCHES = 10
GOAL_PER_SECOND = 2_000
GOAL_SHARE_OF_RAW = 1 / 3


def measure() -> dict[str, float]:
    """In a process whose DATABASE_URL names an empty database: migrate, set up a fund,
    then time both ways of writing. Returns postings per second for each."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "internationale.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from internationale.core.money import Money
    from internationale.core.testing import make_world
    from internationale.treasury import actions
    from internationale.treasury.models import Account, AccountKind
    from internationale.treasury.tests.world import fund_world

    call_command("migrate", verbosity=0)
    world = make_world()
    world.update(fund_world(world))
    fund, steward, beta = world["fund"], world["steward"], world["beta"]
    today = timezone.localdate()

    def receipts(prefix: str, batch: int) -> list[actions.Receipt]:
        return [
            actions.Receipt(
                organization=beta,
                amount=Money(100 + n, "USD"),
                received_on=today,
                key=f"{prefix}-{batch}-{n}",
            )
            for n in range(BATCH)
        ]

    # Warm up (the accounts exist, the code paths are loaded), then time.
    actions.record_contributions(steward, fund=fund, receipts=receipts("warm", 0))
    started = time.perf_counter()
    for batch in range(BATCHES):
        actions.record_contributions(steward, fund=fund, receipts=receipts("action", batch))
    action_seconds = time.perf_counter() - started

    source = Account.objects.get(fund=fund, kind=AccountKind.CONTRIBUTIONS)
    held = Account.objects.get(fund=fund, kind=AccountKind.HELD)
    started = time.perf_counter()
    for batch in range(BATCHES):
        raw_batch(connection, transaction, fund.pk, source.pk, held.pk, steward.pk, beta.pk, batch)
    raw_seconds = time.perf_counter() - started
    postings = BATCH * BATCHES
    return {"action": postings / action_seconds, "raw": postings / raw_seconds}


def raw_batch(
    connection: Any,
    transaction: Any,
    fund: int,
    debit: int,
    credit: int,
    actor: int,
    organization: int,
    batch: int,
) -> None:
    """The same rows as one batch of the action layer (transfers, their entries, the
    contributions, the audit events), written with executemany."""
    from django.utils import timezone

    now = timezone.now()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT COALESCE(MAX(id), 0) FROM treasury_transfer")
        first = cursor.fetchone()[0] + 1
        ids = range(first, first + BATCH)
        cursor.executemany(
            "INSERT INTO treasury_transfer (id, fund_id, key, kind, category, debit_id,"
            " credit_id, amount, link, memo, booked_at, booked_by_id)"
            " VALUES (%s, %s, %s, 'posted', 'contribution', %s, %s, %s, '', '', %s, %s)",
            [
                (pk, fund, f"raw-{batch}-{n}", debit, credit, 100 + n, now, actor)
                for n, pk in enumerate(ids)
            ],
        )
        cursor.executemany(
            "INSERT INTO treasury_entry (transfer_id, account_id, side, pending, amount)"
            " VALUES (%s, %s, %s, %s, %s)",
            [
                row
                for n, pk in enumerate(ids)
                for row in (
                    (pk, debit, "debit", False, 100 + n),
                    (pk, credit, "credit", False, 100 + n),
                )
            ],
        )
        cursor.executemany(
            "INSERT INTO treasury_contribution (fund_id, organization_id, transfer_id,"
            " received_on, note, recorded_by_id) VALUES (%s, %s, %s, %s, '', %s)",
            [(fund, organization, pk, now.date(), actor) for pk in ids],
        )
        cursor.executemany(
            "INSERT INTO core_auditevent (occurred_at, actor_id, actor_label, verb, target_type,"
            " target_id, target_label, data) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
            [
                (
                    now,
                    actor,
                    "Steward A",
                    "treasury.transfer",
                    "treasury.transfer",
                    str(pk),
                    f"transfer raw-{batch}-{n}",
                    json.dumps({"key": f"raw-{batch}-{n}", "amount": 100 + n}),
                )
                for n, pk in enumerate(ids)
            ],
        )


def environment(url: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("INTERNATIONALE_", "DJANGO_")) and key != "DATABASE_URL"
    }
    return {**env, "DATABASE_URL": url, "INTERNATIONALE_TESTING": "true"}


def run_on(url: str) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, __file__, "--measure"],
        env=environment(url),
        capture_output=True,
        text=True,
        timeout=600,
    )
    if done.returncode != 0:
        raise SystemExit(f"the benchmark failed on {urlsplit(url).scheme}:\n{done.stderr}")
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


@contextmanager
def sqlite_database() -> Iterator[str]:
    with tempfile.TemporaryDirectory() as folder:
        yield f"sqlite:///{Path(folder) / 'bench.sqlite3'}"


@contextmanager
def postgres_database(server_url: str) -> Iterator[str | None]:
    """A fresh database on the server of `server_url`, dropped afterwards; None when the
    server cannot be reached."""
    import psycopg

    parts = urlsplit(server_url)
    name = f"internationale_bench_{secrets.token_hex(4)}"
    try:
        admin = psycopg.connect(server_url, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError:
        yield None
        return
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield urlunsplit(parts._replace(path=f"/{name}"))
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def report(engine: str, figures: dict[str, float]) -> dict[str, float]:
    action, raw = figures["action"], figures["raw"]
    print(
        f"{engine:<11} {action:>9,.0f} postings/s through actions   "
        f"{raw:>9,.0f} postings/s raw   ratio {action / raw:.2f}"
    )
    return figures


def main() -> None:
    if sys.argv[1:] == ["--measure"]:
        print(json.dumps(measure()))
        return
    print(
        f"Ledger: {BATCHES} batches of {BATCH} contributions, each a posting with its key",
        flush=True,
    )
    with sqlite_database() as url:
        sqlite = report("SQLite", run_on(url))
    server = os.environ.get("INTERNATIONALE_BENCH_POSTGRES") or os.environ.get(
        "INTERNATIONALE_TEST_POSTGRES"
    )
    if not server:
        print("PostgreSQL  skipped: not reachable (set INTERNATIONALE_BENCH_POSTGRES)")
    else:
        with postgres_database(server) as url:
            if url is None:
                print("PostgreSQL  skipped: not reachable")
            else:
                report("PostgreSQL", run_on(url))
    fast = sqlite["action"] >= GOAL_PER_SECOND
    share = sqlite["action"] / sqlite["raw"] >= GOAL_SHARE_OF_RAW
    print(f"Goal on SQLite, {GOAL_PER_SECOND:,} postings/s: {'met' if fast else 'MISSED'}")
    print(f"Goal on SQLite, a third of the raw rate: {'met' if share else 'missed'}")
    if not fast:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
