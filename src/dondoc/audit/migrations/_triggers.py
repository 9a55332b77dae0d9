"""The append-only triggers, shared by the migrations that create or restore them (0002, 0004, 0005).

The database refuses to rewrite or empty the audit trail, whoever asks: UPDATE and DELETE on both databases (row
triggers), TRUNCATE on PostgreSQL (a statement trigger: row triggers do not see it). Emptying it takes a deliberate
schema change (dropping the triggers), not a stray statement.

Tests: Django flushes the test database between transactional tests with DELETE (SQLite) or TRUNCATE (PostgreSQL);
tests/conftest.py brackets that flush with FLUSH_BEFORE / FLUSH_AFTER (drop, then recreate the guard), the one
place allowed to empty the table.
"""

SQLITE = [
    "DROP TRIGGER IF EXISTS audit_event_no_update;",
    """CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event
       BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;""",
    "DROP TRIGGER IF EXISTS audit_event_no_delete;",
    """CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event
       BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;""",
]
POSTGRES = [
    """CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'audit events are append-only'; END; $$ LANGUAGE plpgsql;""",
    "DROP TRIGGER IF EXISTS audit_event_append_only ON audit_event;",
    """CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON audit_event
       FOR EACH ROW EXECUTE FUNCTION audit_event_append_only();""",
    "DROP TRIGGER IF EXISTS audit_event_no_truncate ON audit_event;",
    """CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event
       FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only();""",
]
SQLITE_REVERSE = ["DROP TRIGGER IF EXISTS audit_event_no_update;", "DROP TRIGGER IF EXISTS audit_event_no_delete;"]
POSTGRES_REVERSE = [
    "DROP TRIGGER IF EXISTS audit_event_no_truncate ON audit_event;",
    "DROP TRIGGER IF EXISTS audit_event_append_only ON audit_event;",
    "DROP FUNCTION IF EXISTS audit_event_append_only();",
]

# The test flush (see above): SQLite's DELETE needs the delete trigger gone; PostgreSQL's TRUNCATE the statement one.
FLUSH_BEFORE = {"sqlite": ["DROP TRIGGER IF EXISTS audit_event_no_delete;"],
                "postgresql": ["ALTER TABLE audit_event DISABLE TRIGGER audit_event_no_truncate;"]}
FLUSH_AFTER = {"sqlite": SQLITE[2:], "postgresql": ["ALTER TABLE audit_event ENABLE TRIGGER audit_event_no_truncate;"]}


def _run(schema_editor, by_vendor):
    for sql in by_vendor.get(schema_editor.connection.vendor, []):
        schema_editor.execute(sql)


def create(apps, schema_editor):
    _run(schema_editor, {"sqlite": SQLITE, "postgresql": POSTGRES})


def drop(apps, schema_editor):
    _run(schema_editor, {"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE})
