"""The full-text index of the archive's search entries: an FTS5 table kept in step by
triggers on SQLite, a GIN index on PostgreSQL."""

from typing import Any

from django.db import migrations

SQLITE = [
    """CREATE VIRTUAL TABLE archive_search_fts USING fts5(
        title, body, content='archive_searchentry', content_rowid='id',
        tokenize="unicode61 remove_diacritics 2")""",
    """CREATE TRIGGER archive_search_insert AFTER INSERT ON archive_searchentry BEGIN
        INSERT INTO archive_search_fts(rowid, title, body)
        VALUES (new.id, new.title, new.body); END""",
    """CREATE TRIGGER archive_search_delete AFTER DELETE ON archive_searchentry BEGIN
        INSERT INTO archive_search_fts(archive_search_fts, rowid, title, body)
        VALUES ('delete', old.id, old.title, old.body); END""",
    """CREATE TRIGGER archive_search_update AFTER UPDATE ON archive_searchentry BEGIN
        INSERT INTO archive_search_fts(archive_search_fts, rowid, title, body)
        VALUES ('delete', old.id, old.title, old.body);
        INSERT INTO archive_search_fts(rowid, title, body)
        VALUES (new.id, new.title, new.body); END""",
]
SQLITE_UNDO = [
    "DROP TRIGGER archive_search_update",
    "DROP TRIGGER archive_search_delete",
    "DROP TRIGGER archive_search_insert",
    "DROP TABLE archive_search_fts",
]
POSTGRESQL = [
    """CREATE INDEX archive_search_fts ON archive_searchentry
        USING GIN (to_tsvector('simple', replace(title || ' ' || body, '<', U&'\\E000')))"""
]
POSTGRESQL_UNDO = ["DROP INDEX archive_search_fts"]


def _run(statements: dict[str, list[str]]) -> Any:
    def run(apps: Any, schema_editor: Any) -> None:
        for statement in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("archive", "0002_knowledge_pages")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRESQL}),
            _run({"sqlite": SQLITE_UNDO, "postgresql": POSTGRESQL_UNDO}),
        )
    ]
