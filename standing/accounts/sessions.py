"""Django's database sessions, with the lookup every page makes written out
(``core.rawsql``, a prepared statement on PostgreSQL): building and compiling the ORM's query
cost more than running it. ``SESSION_ENGINE`` names this module."""

from functools import cache

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.utils import timezone

from standing.core import rawsql

_FIELDS = ("session_key", "session_data", "expire_date")


class SessionStore(DatabaseSessionStore):
    def _get_session_from_db(self):
        """The unexpired session of this key, as the ORM's ``get`` finds it, or None."""
        key = self.session_key
        if key:
            expiry = self.model._meta.get_field("expire_date")
            now = rawsql.prepare(expiry, timezone.now())
            rows = rawsql.fetchall(_sql(self.model), [key, now])
            if rows:
                return rawsql.instance(self.model, rows[0], _FIELDS)
        self._session_key = None
        return None


@cache
def _sql(model):
    meta, q = model._meta, rawsql.quote
    key, expiry = (q(meta.get_field(f).column) for f in ("session_key", "expire_date"))
    return (
        f"SELECT {rawsql.columns(model, meta.db_table, _FIELDS)} FROM {q(meta.db_table)}"
        f" WHERE {key} = %s AND {expiry} > %s"
    )
