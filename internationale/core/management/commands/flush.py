"""`flush`, which also empties append-only tables on SQLite.

Append-only triggers guard rows against the application; wiping a whole database is an
operator's (or the test runner's) act outside it. PostgreSQL's TRUNCATE does not fire row
triggers; SQLite deletes row by row, so its triggers are lifted for the flush and restored.
"""

from typing import Any

from django.core.management.commands.flush import Command as FlushCommand
from django.db import connections


class Command(FlushCommand):
    def handle(self, **options: Any) -> None:
        connection = connections[options["database"]]
        if connection.vendor != "sqlite":
            super().handle(**options)
            return
        with connection.cursor() as cursor:
            cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")
            triggers = [
                (name, sql)
                for name, sql in cursor.fetchall()
                if name.endswith(("_no_update", "_no_delete"))
            ]
            for name, _sql in triggers:
                cursor.execute(f'DROP TRIGGER "{name}"')
        try:
            super().handle(**options)
        finally:
            with connection.cursor() as cursor:
                for _name, sql in triggers:
                    cursor.execute(sql)
