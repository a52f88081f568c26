"""A crash in the middle of an import loses nothing and books nothing twice.

`internationale treasury import` runs in a child process against a database of its own
(a temporary SQLite file, or a fresh PostgreSQL database on the server of DATABASE_URL
when the suite runs there), is killed with SIGKILL once some chunks have committed, and is
then checked with `treasury verify` and run again to the end: every key is booked exactly
once and the fund holds exactly what the file says.
"""

import os
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.conf import settings

from internationale.core.testing import production_environment

ROOT = Path(__file__).resolve().parents[3]
ROWS = 5_000
SETUP = """
import os
import django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "internationale.settings")
django.setup()
from internationale.core.testing import make_world
from internationale.treasury.tests.world import fund_world
print(fund_world(make_world())["fund"].slug)
"""


class ScratchDatabase:
    """A database of its own for child processes, reachable with plain SQL from here."""

    def __init__(self, url: str, connect: Any) -> None:
        self.url = url
        self._connect = connect

    def query(self, sql: str) -> list[tuple[Any, ...]]:
        connection = self._connect()
        try:
            cursor = connection.cursor()
            cursor.execute(sql)
            rows = list(cursor.fetchall()) if cursor.description else []
            connection.commit()
            return rows
        finally:
            connection.close()


@contextmanager
def scratch_database(tmp_path: Path) -> Iterator[ScratchDatabase]:
    default = settings.DATABASES["default"]
    if default["ENGINE"] == "django.db.backends.sqlite3":
        path = tmp_path / "crash.sqlite3"
        yield ScratchDatabase(
            f"sqlite:///{path}", lambda: sqlite3.connect(path, timeout=20, isolation_level=None)
        )
        return
    import psycopg

    server = {
        "host": default["HOST"] or "localhost",
        "port": default["PORT"] or 5432,
        "user": default["USER"],
        "password": default["PASSWORD"] or None,
    }
    name = f"internationale_crash_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        auth = default["USER"] + (f":{default['PASSWORD']}" if default["PASSWORD"] else "")
        yield ScratchDatabase(
            f"postgres://{auth}@{server['host']}:{server['port']}/{name}",
            lambda: psycopg.connect(dbname=name, **server),
        )
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def write_contributions(path: Path) -> dict[str, int]:
    """A CSV of ROWS contributions in three currencies; returns the sum per currency in
    minor units."""
    organizations = ("alpha-union", "beta-collective", "epsilon-assembly")
    currencies = ("USD", "BRL", "EUR")
    totals: dict[str, int] = defaultdict(int)
    lines = ["key,organization,amount,currency,received_on,pledge,note"]
    for n in range(1, ROWS + 1):
        minor = 1 + (n * 7919) % 250_000
        currency = currencies[n % 3]
        totals[currency] += minor
        lines.append(
            f"bank-{n:05d},{organizations[n % 4 % 3]},{minor // 100}.{minor % 100:02d},"
            f"{currency},2025-02-{1 + n % 28:02d},,transfer {n}"
        )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return dict(totals)


def test_a_killed_import_leaves_a_sound_ledger_and_a_rerun_books_each_key_once(
    tmp_path: Path,
) -> None:
    with scratch_database(tmp_path) as database:
        env = production_environment(
            INTERNATIONALE_TESTING="true",
            INTERNATIONALE_DATA_DIR=str(tmp_path),
            DATABASE_URL=database.url,
        )

        def internationale(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
            result = subprocess.run(
                [sys.executable, "-m", "internationale.cli", *args],
                cwd=ROOT,
                env=env,
                capture_output=True,
                text=True,
                timeout=120,
            )
            if check:
                assert result.returncode == 0, result.stdout + result.stderr
            return result

        internationale("migrate", "--verbosity", "0")
        setup = subprocess.run(
            [sys.executable, "-c", SETUP],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        fund = setup.stdout.strip().splitlines()[-1]
        csv_path = tmp_path / "contributions.csv"
        expected = write_contributions(csv_path)

        def booked() -> int:
            sql = "SELECT COUNT(*) FROM treasury_transfer WHERE category = 'contribution'"
            return int(database.query(sql)[0][0])

        child = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "internationale.cli",
                "treasury",
                "import",
                "--fund",
                fund,
                str(csv_path),
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        seen = 0
        deadline = time.monotonic() + 60
        while child.poll() is None and time.monotonic() < deadline:
            seen = booked()
            if seen > 0:
                os.kill(child.pid, signal.SIGKILL)
                break
            time.sleep(0.005)
        child.wait(timeout=30)
        assert child.returncode == -signal.SIGKILL, "the import ended before it could be killed"
        at_kill = booked()
        assert 0 < at_kill < ROWS, at_kill
        assert at_kill % 200 == 0, "a chunk was committed half-way"

        verified = internationale("treasury", "verify")
        assert "OK" in verified.stdout

        rerun = internationale("treasury", "import", "--fund", fund, str(csv_path))
        assert f"{ROWS - at_kill} booked, {at_kill} already booked" in rerun.stdout
        internationale("treasury", "verify")

        assert database.query(
            "SELECT COUNT(*), COUNT(DISTINCT key) FROM treasury_transfer "
            "WHERE category = 'contribution'"
        ) == [(ROWS, ROWS)]
        assert database.query("SELECT COUNT(*) FROM treasury_contribution") == [(ROWS,)]
        received = database.query(
            "SELECT a.currency, SUM(t.amount) FROM treasury_transfer t "
            "JOIN treasury_account a ON a.id = t.credit_id "
            "WHERE t.category = 'contribution' GROUP BY a.currency"
        )
        assert {currency: int(total) for currency, total in received} == expected
        held = database.query(
            "SELECT currency, SUM(credits_posted - debits_posted) FROM treasury_account "
            "WHERE kind = 'held' GROUP BY currency"
        )
        assert {currency: int(total) for currency, total in held} == expected

        # The same check fails, and says why, once a stored total is wrong.
        database.query(
            "UPDATE treasury_account SET credits_posted = credits_posted + 1 "
            "WHERE kind = 'held' AND currency = 'USD'"
        )
        broken = internationale("treasury", "verify", check=False)
        assert broken.returncode == 1
        assert "stored totals differ" in broken.stderr
