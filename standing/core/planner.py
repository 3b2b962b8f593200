"""The query planner's statistics on SQLite, kept current by the tick.

SQLite has no autovacuum: without ``ANALYZE`` it guesses, and after a bulk load (the deny list,
a generated million customers, an import of claims) its guesses read whole tables where an
index answers in a millisecond (a name search took 14 s at 1,100,000 customers, 95 ms with
statistics). Sampled statistics (``PRAGMA analysis_limit``, which ``PRAGMA optimize`` uses)
chose badly too, so a table is analysed in full, but only when its size has moved by a quarter
since its statistics were taken: a cheap check every minute, a few seconds of work now and then.

PostgreSQL keeps its own statistics (autovacuum's ANALYZE); this does nothing there.

Both databases' statistics also tell the size of a big table without counting it
(``table_rows``): the lists' pager shows "≈" that many rather than counting millions of rows.
"""

from django.db import connection

# A table's statistics are renewed when it has grown or shrunk by this factor since.
DRIFT = 1.25
# Smaller tables are read in full by any plan; their statistics matter little.
MIN_ROWS = 1_000


def table_rows(table) -> int | None:
    """The planner's row count of ``table`` as its statistics hold it, without counting:
    ``pg_class.reltuples`` on PostgreSQL, the analysed size in ``sqlite_stat1`` on SQLite
    (renewed by ``refresh_statistics`` within a quarter). None without statistics."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass", [table]
            )
            row = cursor.fetchone()
            return row[0] if row and row[0] >= 0 else None
        if connection.vendor != "sqlite":
            return None
        return _analysed(cursor, table).get(table)


def _analysed(cursor, table=None) -> dict[str, int]:
    """{table: its size when SQLite last analysed it} from ``sqlite_stat1`` (empty before any
    ``ANALYZE``), of every table or of ``table``."""
    cursor.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'")
    if not cursor.fetchone():
        return {}
    if table is None:
        cursor.execute("SELECT tbl, stat FROM sqlite_stat1")
    else:
        cursor.execute("SELECT tbl, stat FROM sqlite_stat1 WHERE tbl = %s", [table])
    analysed = {}
    for name, stat in cursor.fetchall():
        # One row per index, each starting with the table's row count.
        analysed[name] = max(analysed.get(name, 0), int((stat or "0").split()[0]))
    return analysed


def stale_tables() -> list[str]:
    """Tables (with an integer ``id`` and at least ``MIN_ROWS`` rows) whose SQLite statistics
    are missing or were taken at a size ``DRIFT`` away from today's. The size is read as the
    highest id (one index probe), the analysed size from ``sqlite_stat1``."""
    if connection.vendor != "sqlite":
        return []
    with connection.cursor() as cursor:
        analysed = _analysed(cursor)
        stale = []
        cursor.execute(
            "SELECT m.name FROM sqlite_master m, pragma_table_info(m.name) c"
            " WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite%' AND c.name = 'id'"
        )
        for (table,) in cursor.fetchall():
            # The highest id first (one probe); only where it says "moved" are the rows counted
            # (ids leave holes where rows were deleted).
            before = analysed.get(table)
            cursor.execute(f'SELECT max(id) FROM "{table}"')
            top = cursor.fetchone()[0] or 0
            if top < MIN_ROWS or _near(before, top):
                continue
            cursor.execute(f'SELECT count(*) FROM "{table}"')
            size = cursor.fetchone()[0]
            if size >= MIN_ROWS and not _near(before, size):
                stale.append(table)
    return stale


def _near(before, size) -> bool:
    return bool(before) and 1 / DRIFT <= size / before <= DRIFT


def refresh_statistics(now=None) -> str | None:
    """Tick job: a full ``ANALYZE`` of each table whose statistics went stale (SQLite)."""
    tables = stale_tables()
    if not tables:
        return None
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f'ANALYZE "{table}"')
    return f"planner statistics renewed: {', '.join(tables)}"
