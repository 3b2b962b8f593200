"""The activity log is append-only in the database too: triggers (installed by migration
``activity.0003``) refuse UPDATE and DELETE of its rows on PostgreSQL and SQLite, whatever
the caller (the ORM, the admin, a SQL console).

Two things pass: the database setting a deleted user's reference to NULL (the record keeps
``actor_label``), and work inside ``maintenance()``: the flush of a test database and, once
it exists, GDPR erasure. Nothing else may use it.
"""

import threading
from contextlib import contextmanager

from django.db import connections, transaction

TABLE = "activity_activityrecord"
COLUMNS = ["id", "customer_id", "actor_label", "action", "summary", '"before"', '"after"',
           "internal", "created_at"]  # fmt: skip
MESSAGE = "The activity log is append-only: %s refused."
_state = threading.local()

_SAME_BUT_ACTOR = " AND ".join(f"NEW.{c} IS OLD.{c}" for c in COLUMNS)
ACTOR_DELETED = f"(OLD.actor_id IS NOT NULL AND NEW.actor_id IS NULL AND {_SAME_BUT_ACTOR})"

POSTGRES_INSTALL = f"""
CREATE OR REPLACE FUNCTION standing_activity_append_only() RETURNS trigger AS $$
BEGIN
  IF current_setting('standing.audit_maintenance', true) = 'on' THEN
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
  END IF;
  IF TG_OP = 'UPDATE' AND OLD.actor_id IS NOT NULL AND NEW.actor_id IS NULL
     AND ({", ".join("NEW." + c for c in COLUMNS)})
         IS NOT DISTINCT FROM ({", ".join("OLD." + c for c in COLUMNS)}) THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'The activity log is append-only: % refused.', TG_OP
    USING ERRCODE = 'restrict_violation';
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER activity_append_only BEFORE UPDATE OR DELETE ON {TABLE}
  FOR EACH ROW EXECUTE FUNCTION standing_activity_append_only();
"""
POSTGRES_REMOVE = f"""
DROP TRIGGER IF EXISTS activity_append_only ON {TABLE};
DROP FUNCTION IF EXISTS standing_activity_append_only();
"""
SQLITE_INSTALL = [
    f"""CREATE TRIGGER activity_no_delete BEFORE DELETE ON {TABLE}
    WHEN standing_audit_open() = 0
    BEGIN SELECT RAISE(ABORT, '{MESSAGE % "DELETE"}'); END""",
    f"""CREATE TRIGGER activity_no_update BEFORE UPDATE ON {TABLE}
    WHEN standing_audit_open() = 0 AND NOT {ACTOR_DELETED}
    BEGIN SELECT RAISE(ABORT, '{MESSAGE % "UPDATE"}'); END""",
]
SQLITE_REMOVE = [
    "DROP TRIGGER IF EXISTS activity_no_delete",
    "DROP TRIGGER IF EXISTS activity_no_update",
]


def install(schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_INSTALL, params=None)
    else:
        for statement in SQLITE_INSTALL:
            schema_editor.execute(statement)


def remove(schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_REMOVE, params=None)
    else:
        for statement in SQLITE_REMOVE:
            schema_editor.execute(statement)


def installed(using="default") -> bool:
    """Whether the guard is in place (a rebuilt table on SQLite would lose its triggers)."""
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT count(*) FROM pg_trigger WHERE tgname = 'activity_append_only'"
                " AND NOT tgisinternal"
            )
            return cursor.fetchone()[0] == 1
        cursor.execute(
            "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name IN"
            " ('activity_no_delete', 'activity_no_update')"
        )
        return cursor.fetchone()[0] == 2


@contextmanager
def maintenance(using="default"):
    """Lift the guard for this connection inside the block (in one transaction)."""
    connection = connections[using]
    with transaction.atomic(using=using):
        if connection.vendor == "postgresql":
            # Local to the transaction; switched off again on the way out, because inside an
            # outer transaction this block is only a savepoint.
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config('standing.audit_maintenance', 'on', true)")
            try:
                yield
            finally:
                if not connection.needs_rollback:
                    with connection.cursor() as cursor:
                        cursor.execute(
                            "SELECT set_config('standing.audit_maintenance', 'off', true)"
                        )
            return
        _state.open = True
        try:
            yield
        finally:
            _state.open = False


def _is_open():
    return 1 if getattr(_state, "open", False) else 0


def register_sqlite_function(sender, connection, **kwargs):
    """Every SQLite connection knows ``standing_audit_open()``, which the triggers ask."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("standing_audit_open", 0, _is_open)
