from functools import cache

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from standing.core import rawsql
from standing.core.registry import Registry

from .models import Role

# May this customer login log in now? callables (user) -> bool, registered by the apps that
# know (customers: the standing) in their AppConfig.ready(); accounts sits below them. Every
# check must agree; with none registered a customer cannot log in (deny by default).
CUSTOMER_LOGIN_CHECKS = Registry("customer login checks")


class StandingBackend(ModelBackend):
    """Customers may log in only while their standing allows it (not DELETED; when blocked,
    as the setting says). A customer may give their email address instead of their number."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username and "@" in username:
            logins = get_user_model().objects.filter(
                role=Role.CUSTOMER, email__iexact=username.strip()
            )
            matches = list(logins[:2])
            # An address shared by two logins names neither: the customer uses the number.
            if len(matches) == 1:
                username = matches[0].username
        return super().authenticate(request, username=username, password=password, **kwargs)

    def get_user(self, user_id):
        """The session's user (on every page): one lookup written out (``core.rawsql``, a
        prepared statement on PostgreSQL) instead of the ORM's ``get``."""
        rows = rawsql.fetchall(_user_sql(), [user_id])
        if not rows:
            return None
        user = rawsql.instance(get_user_model(), rows[0])
        return user if self.user_can_authenticate(user) else None

    def user_can_authenticate(self, user):
        if not super().user_can_authenticate(user):
            return False
        if user.role != Role.CUSTOMER:
            return True
        checks = list(CUSTOMER_LOGIN_CHECKS)
        return bool(checks) and all(check(user) for check in checks)


@cache
def _user_sql():
    meta, q = get_user_model()._meta, rawsql.quote
    return (
        f"SELECT {rawsql.columns(get_user_model(), meta.db_table)} FROM {q(meta.db_table)}"
        f" WHERE {q(meta.pk.column)} = %s"
    )
