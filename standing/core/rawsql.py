"""Hand-written SQL for the few hot lookups (the API's token, a customer's standing) whose
cost is mostly Django building and compiling querysets, not running them.

Table and column names come from the models' ``_meta``; values are always parameters. Rows are
turned into model instances the way the ORM does it: each column through its field's and the
backend's converters (SQLite returns naive datetimes and JSON as text), then ``Model.from_db``.
Tests compare every such lookup with the ORM's answer on both databases.
"""

from functools import cache

from django.db import connections


def quote(name, alias=None):
    return connections[alias or "default"].ops.quote_name(name)


def columns(model, table_alias, fields=None, alias=None):
    """``"t"."col", …`` of ``fields`` (names; default: every concrete field) of ``model``, in
    the model's order."""
    return ", ".join(
        f"{quote(table_alias, alias)}.{quote(f.column, alias)}"
        for f in _fields(model, tuple(fields) if fields else None)
    )


def instance(model, values, fields=None, alias=None):
    """A ``model`` instance of one row's ``values`` (in the order ``columns`` gave them); the
    fields not loaded are deferred, as with ``.only()``."""
    connection = connections[alias or "default"]
    chosen = _fields(model, tuple(fields) if fields else None)
    values = list(values)
    for i, col, converters in _row_converters(chosen, connection):
        for converter in converters:
            values[i] = converter(values[i], col, connection)
    return model.from_db(connection.alias, [f.attname for f in chosen], values)


def convert(field, value, alias=None):
    """``value`` as read by a raw cursor, as the ORM would give it for ``field``."""
    connection = connections[alias or "default"]
    col, converters = _converters(field, connection)
    for converter in converters:
        value = converter(value, col, connection)
    return value


def prepare(field, value, alias=None):
    """``value`` as a query parameter for ``field`` (e.g. a datetime on SQLite: its text)."""
    return field.get_db_prep_value(value, connections[alias or "default"], prepared=False)


@cache
def _fields(model, names):
    # In the model's order, as from_db() reads them.
    wanted = None if names is None else {model._meta.get_field(name) for name in names}
    return tuple(f for f in model._meta.concrete_fields if wanted is None or f in wanted)


@cache
def _converters(field, connection):
    # The compiler's order: the backend's converters first, then the field's own. Per
    # connection object (one a thread), as the backend's are bound to it.
    col = field.get_col(field.model._meta.db_table)
    return col, tuple(connection.ops.get_db_converters(col) + col.get_db_converters(connection))


@cache
def _row_converters(fields, connection):
    # Only the columns that need converting (most do not).
    return tuple(
        (i, *_converters(f, connection))
        for i, f in enumerate(fields)
        if _converters(f, connection)[1]
    )
