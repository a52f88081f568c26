"""Many processes at once approve and pay draws against one pool, on the database engine the
suite runs on (SQLite, or PostgreSQL when DATABASE_URL names it): the ledger's rules hold.

The test makes a database of its own (a temporary SQLite file, or a fresh PostgreSQL
database on the suite's server, dropped afterwards), migrates it in a subprocess, and runs
`concurrency_worker` in separate OS processes, so that the database, not Python, keeps the
writers apart.
"""

import json
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection
from django.test import SimpleTestCase

from internationale.core.testing import production_environment

PROCESSES = 8
POOL = 100_000  # minor units given to the fund
DRAWS = 12
AMOUNT = 15_000  # each draw: twelve of them ask for 180,000, the pool holds 100,000
WORKER = "internationale.treasury.tests.concurrency_worker"


@contextmanager
def separate_database() -> Iterator[str]:
    """The URL of an empty database on the suite's engine, removed afterwards."""
    if connection.vendor == "sqlite":
        with tempfile.TemporaryDirectory() as folder:
            yield f"sqlite:///{Path(folder) / 'concurrency.sqlite3'}"
        return
    import psycopg

    db = settings.DATABASES["default"]
    server = {
        "host": db["HOST"] or None,
        "port": db["PORT"] or None,
        "user": db["USER"] or None,
        "password": db["PASSWORD"] or None,
        "dbname": db["NAME"],
        "autocommit": True,
    }
    name = f"internationale_concurrency_{secrets.token_hex(4)}"
    with psycopg.connect(**{k: v for k, v in server.items() if v is not None}) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            auth = f"{db['USER']}:{db['PASSWORD']}@" if db["PASSWORD"] else f"{db['USER']}@"
            yield f"postgres://{auth}{db['HOST']}:{db['PORT'] or 5432}/{name}"
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class ConcurrentDrawsTests(SimpleTestCase):
    def run_python(self, env: dict[str, str], *args: str) -> Any:
        done = subprocess.run(
            [sys.executable, *args], env=env, capture_output=True, text=True, timeout=120
        )
        self.assertEqual(done.returncode, 0, done.stderr[-3000:])
        return json.loads(done.stdout.strip().splitlines()[-1]) if done.stdout.strip() else None

    def test_it_never_spends_more_than_the_pool_when_eight_processes_approve_and_pay(
        self,
    ) -> None:
        with separate_database() as url:
            env = production_environment(DATABASE_URL=url, INTERNATIONALE_TESTING="true")
            # Setting up need not wait for the disk (PostgreSQL only; SQLite ignores it).
            quick = {**env, "PGOPTIONS": "-c synchronous_commit=off"}
            self.run_python(quick, "-m", "internationale.cli", "migrate", "--verbosity", "0")
            world = self.run_python(
                quick, "-m", WORKER, "setup", str(POOL), str(DRAWS), str(AMOUNT)
            )

            gate = Path(tempfile.mkdtemp())
            self.addCleanup(shutil.rmtree, gate)
            workers = [
                subprocess.Popen(
                    [
                        sys.executable,
                        "-m",
                        WORKER,
                        "work",
                        str(world["stewards"][n % len(world["stewards"])]),
                        str(gate),
                        str(n),
                        *map(str, world["draws"]),
                    ],
                    env=env,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                    text=True,
                )
                for n in range(PROCESSES)
            ]
            deadline = time.monotonic() + 60
            while len(list(gate.glob("ready-*"))) < PROCESSES and time.monotonic() < deadline:
                time.sleep(0.05)
            (gate / "go").touch()  # all at once, each with Django loaded and connected
            outcomes: Counter[str] = Counter()
            spans = []
            for worker in workers:
                stdout, stderr = worker.communicate(timeout=120)
                self.assertEqual(worker.returncode, 0, stderr[-3000:])
                report = json.loads(stdout.strip().splitlines()[-1])
                outcomes.update(report["outcomes"])
                spans.append((report["began"], report["ended"]))
            facts = self.run_python(env, "-m", WORKER, "check")

        # The processes did compete: all were at work at one moment, votes went through,
        # some were refused as repeats, and the pool ran dry for some approvals.
        self.assertLess(max(b for b, _e in spans), min(e for _b, e in spans), spans)
        self.assertGreater(outcomes["voted"], 0, outcomes)
        self.assertIn("vote refused: You have already voted on this.", outcomes)
        self.assertIn(
            "vote refused: The fund does not have that much available in this currency.", outcomes
        )
        self.assertEqual(outcomes["paid"], facts["payments"], outcomes)

        self.assertGreaterEqual(facts["available"], 0)
        self.assertEqual(facts["contributions"], POOL)
        self.assertLessEqual(facts["reserved"] + facts["paid"], facts["contributions"])
        self.assertEqual(facts["available"], POOL - facts["reserved"] - facts["paid"])
        self.assertEqual(facts["paid"], facts["paid_draws"] * AMOUNT)
        self.assertEqual(facts["paid_draws"], POOL // AMOUNT)  # every affordable draw paid
        self.assertEqual(facts["payments_per_reservation"], [1])  # no draw paid twice
        self.assertEqual(facts["audit_events_per_transfer"], [1])
        self.assertEqual(facts["audited_other_targets"], [])
        self.assertEqual(facts["verify"], [])
