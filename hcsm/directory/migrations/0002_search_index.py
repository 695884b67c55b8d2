"""Substring search over Organization.search_text that does not scan the table.

SQLite: an FTS5 table with the trigram tokenizer over search_text (external content, kept in
step by triggers, so bulk inserts and every writer are covered). PostgreSQL: a pg_trgm GIN
index, which serves LIKE '%word%' directly. Either way the query is the same filter
(hcsm.directory.filters.text_match)."""

from django.db import migrations

SQLITE_UP = [
    "CREATE VIRTUAL TABLE directory_organization_fts USING fts5("
    "search_text, content='directory_organization', content_rowid='id', tokenize='trigram')",
    "CREATE TRIGGER directory_organization_fts_ai AFTER INSERT ON directory_organization BEGIN "
    "INSERT INTO directory_organization_fts(rowid, search_text) VALUES (new.id, new.search_text); "
    "END",
    "CREATE TRIGGER directory_organization_fts_ad AFTER DELETE ON directory_organization BEGIN "
    "INSERT INTO directory_organization_fts(directory_organization_fts, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); END",
    "CREATE TRIGGER directory_organization_fts_au AFTER UPDATE OF search_text "
    "ON directory_organization BEGIN "
    "INSERT INTO directory_organization_fts(directory_organization_fts, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); "
    "INSERT INTO directory_organization_fts(rowid, search_text) VALUES (new.id, new.search_text); "
    "END",
    "INSERT INTO directory_organization_fts(directory_organization_fts) VALUES ('rebuild')",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS directory_organization_fts_au",
    "DROP TRIGGER IF EXISTS directory_organization_fts_ad",
    "DROP TRIGGER IF EXISTS directory_organization_fts_ai",
    "DROP TABLE IF EXISTS directory_organization_fts",
]
POSTGRES_UP = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS org_search_trgm ON directory_organization "
    "USING gin (search_text gin_trgm_ops)",
]
POSTGRES_DOWN = ["DROP INDEX IF EXISTS org_search_trgm"]


def run(statements_by_vendor):  # type: ignore[no-untyped-def]
    def apply(apps, schema_editor):  # type: ignore[no-untyped-def]
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return apply


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_initial")]

    operations = [
        migrations.RunPython(
            run({"sqlite": SQLITE_UP, "postgresql": POSTGRES_UP}),
            run({"sqlite": SQLITE_DOWN, "postgresql": POSTGRES_DOWN}),
        ),
    ]
