"""Set-based loading of model rows: ``COPY … FROM STDIN`` on PostgreSQL (psycopg 3
``cursor.copy``), ``executemany`` in big transactions on SQLite.

Rows are dicts of attribute names (``customer_id``, not ``customer``); a field left out gets
its default (``auto_now`` / ``auto_now_add`` fields: the load's timestamp), exactly what
``Model.save()`` would have written. Primary keys are given by the caller (``next_id``,
``reserve_ids``), so rows of related tables can point at each other without reading anything
back; after explicit ids, ``finish`` moves the PostgreSQL identity sequences past them.
"""

import json

from django.db import connection, models
from django.utils import timezone


class BulkLoader:
    def __init__(self, chunk=20_000):
        self.vendor = connection.vendor
        self.chunk = chunk
        self.now = timezone.now()
        self.tables = set()
        self.counts = {}

    def next_id(self, model) -> int:
        """The first free primary key of ``model`` (the table's highest id + 1)."""
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT MAX(id) FROM {model._meta.db_table}")
            (highest,) = cursor.fetchone()
        return (highest or 0) + 1

    def reserve_ids(self, model, n):
        """``n`` primary keys of ``model`` no one else gets: from the identity sequence on
        PostgreSQL; on SQLite the next ones after the highest id ever given (the transaction
        holds the write lock from its start, ``transaction_mode`` IMMEDIATE). Call it inside
        the transaction that writes the rows."""
        table = model._meta.db_table
        with connection.cursor() as cursor:
            if self.vendor == "postgresql":
                cursor.execute(
                    f"SELECT nextval(pg_get_serial_sequence('{table}', 'id')) "
                    "FROM generate_series(1, %s)",
                    [n],
                )
                return [row[0] for row in cursor.fetchall()]
            cursor.execute(f"SELECT MAX(id) FROM {table}")
            (highest,) = cursor.fetchone()
            cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
            row = cursor.fetchone()
            start = max(highest or 0, row[0] if row else 0) + 1
            return range(start, start + n)

    def _plan(self, model):
        fields = [f for f in model._meta.concrete_fields]
        plan = []
        for field in fields:
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                default = self.now
            elif field.has_default():
                default = field.get_default()
            elif field.null:
                default = None
            elif isinstance(field, models.CharField | models.TextField):
                default = ""
            else:
                default = _MISSING
            plan.append((field.attname, field.column, default, self._converter(field)))
        return plan

    def _converter(self, field):
        if isinstance(field, models.JSONField):
            return lambda v: None if v is None else json.dumps(v)
        if self.vendor == "postgresql":
            return None
        # Dates, Decimals and booleans: the sqlite3 adapters Django registers take them as
        # they are; aware datetimes are stored in UTC without an offset, as Django stores them.
        if isinstance(field, models.DateTimeField):
            ops = connection.ops
            last = [None, None]  # a load's rows mostly share their timestamps: adapt once

            def adapt(value):
                if value is None:
                    return None
                if value is not last[0]:
                    last[:] = value, ops.adapt_datetimefield_value(value)
                return last[1]

            return adapt
        return None

    def load(self, model, rows, progress=None) -> int:
        """Write ``rows`` (an iterable of dicts) into ``model``'s table; returns how many."""
        plan = self._plan(model)
        table = model._meta.db_table

        def tuples():
            for row in rows:
                out = []
                for attname, column, default, _convert in plan:
                    value = row.get(attname, default)
                    if value is _MISSING:
                        raise ValueError(f"{table}.{column} needs a value")
                    out.append(value)
                yield out

        return self.insert(model, [a for a, _c, _d, _v in plan], tuples(), progress)

    def insert(self, model, attnames, rows, progress=None) -> int:
        """Write ``rows`` (sequences of values in the order of ``attnames``) into ``model``'s
        table, set-based; returns how many. Values are Python values (dates, Decimals …)."""
        by_name = {f.attname: f for f in model._meta.concrete_fields}
        fields = [by_name[a] for a in attnames]
        columns = [f.column for f in fields]
        converters = [(i, c) for i, f in enumerate(fields) if (c := self._converter(f))]
        table = model._meta.db_table
        self.tables.add(table)
        quoted = ", ".join(connection.ops.quote_name(c) for c in columns)

        def converted():
            if not converters:
                yield from rows
                return
            for row in rows:
                row = list(row)
                for i, convert in converters:
                    row[i] = convert(row[i])
                yield row

        written = 0
        with connection.cursor() as cursor:
            raw = cursor.cursor  # the driver's cursor: no Django SQL formatting per row
            if self.vendor == "postgresql":
                with raw.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:
                    for values in converted():
                        copy.write_row(values)
                        written += 1
                        if progress and written % self.chunk == 0:
                            progress(self.chunk)
                if progress and written % self.chunk:
                    progress(written % self.chunk)
            else:
                sql = f"INSERT INTO {table} ({quoted}) VALUES ({', '.join('?' * len(columns))})"
                batch = []
                for values in converted():
                    batch.append(values)
                    if len(batch) >= self.chunk:
                        raw.executemany(sql, batch)
                        written += len(batch)
                        if progress:
                            progress(len(batch))
                        batch = []
                if batch:
                    raw.executemany(sql, batch)
                    written += len(batch)
                    if progress:
                        progress(len(batch))
        self.counts[table] = self.counts.get(table, 0) + written
        return written

    def finish(self):
        """PostgreSQL: move each loaded table's id sequence past the ids written; ANALYZE."""
        with connection.cursor() as cursor:
            for table in sorted(self.tables):
                if self.vendor == "postgresql":
                    cursor.execute(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                        f"COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
                    )
                    cursor.execute(f"ANALYZE {table}")
            if self.vendor == "sqlite":
                cursor.execute("ANALYZE")


class _Missing:
    def __repr__(self):
        return "<missing>"


_MISSING = _Missing()
