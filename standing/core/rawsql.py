"""Hand-written SQL for the few hot lookups (the API's token, a customer's standing) whose
cost is mostly Django building and compiling querysets, not running them.

Table and column names come from the models' ``_meta``; values are always parameters. Rows are
turned into model instances the way the ORM does it: each column through the backend's and its
field's converters (SQLite returns naive datetimes and JSON as text), then ``Model.from_db``.
Tests compare every such lookup with the ORM's answer on both databases.
"""

from functools import cache

import psycopg
from django.db import connection, connections


def fetchall(sql, params):
    """The rows of one of these statements. On PostgreSQL it is prepared, once per connection
    (psycopg keeps it): each call then skips parsing and planning, which took the database
    most of its 0.7 ms per API call. Only here: Django binds parameters on the client, and a
    prepared list query could fall back to a generic plan that ignores its values."""
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()
    # As ``connection.cursor()``, with a server-binding cursor: Django's wrapper still turns
    # errors into Django's and logs the query where queries are logged.
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    with connection.wrap_database_errors:
        if connection.connection.prepare_threshold is None:
            # Django turns preparing off on its connections; its own cursors bind on the client
            # and never prepare, so this changes nothing for them.
            connection.connection.prepare_threshold = _NEVER_BY_COUNT
        raw = _PreparedCursor(connection.connection)
    with connection._prepare_cursor(raw) as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


# Prepared because asked (``prepare=True``), never because a statement was seen often.
_NEVER_BY_COUNT = 2**31


class _PreparedCursor(psycopg.Cursor):
    def execute(self, query, params=None, **kwargs):
        return super().execute(query, params, prepare=True)


def quote(name):
    return connection.ops.quote_name(name)


def columns(model, table_alias, fields=None):
    """``"t"."col", …`` of ``fields`` (names; default: every concrete field) of ``model``, in
    the model's order."""
    return ", ".join(f"{quote(table_alias)}.{quote(f.column)}" for f in _fields(model, fields))


def instance(model, values, fields=None):
    """A ``model`` instance of one row's ``values`` (in the order ``columns`` gave them); the
    fields not loaded are deferred, as with ``.only()``."""
    chosen = _fields(model, fields)
    values = list(values)
    for i in _converted(chosen, connections["default"]):
        values[i] = convert(chosen[i], values[i])
    return model.from_db("default", [f.attname for f in chosen], values)


def convert(field, value):
    """``value`` as read by a raw cursor, as the ORM would give it for ``field``."""
    wrapper = connections["default"]
    col, converters = _converters(field, wrapper)
    for converter in converters:
        value = converter(value, col, wrapper)
    return value


def prepare(field, value):
    """``value`` as a query parameter for ``field`` (e.g. a datetime on SQLite: its text)."""
    return field.get_db_prep_value(value, connections["default"], prepared=False)


@cache
def _fields(model, names):
    # In the model's order, as from_db() reads them.
    wanted = None if names is None else {model._meta.get_field(name) for name in names}
    return tuple(f for f in model._meta.concrete_fields if wanted is None or f in wanted)


@cache
def _converters(field, wrapper):
    # The compiler's order: the backend's converters first, then the field's own. Per
    # connection object (one a thread), as the backend's are bound to it.
    col = field.get_col(field.model._meta.db_table)
    return col, tuple(wrapper.ops.get_db_converters(col) + col.get_db_converters(wrapper))


@cache
def _converted(fields, wrapper):
    # The positions of the columns that need converting (most do not).
    return tuple(i for i, f in enumerate(fields) if _converters(f, wrapper)[1])
