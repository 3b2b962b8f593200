"""A customer's standing (SPEC §10): may they log in, book, reserve — at this moment."""

from functools import cache

from django.conf import settings
from django.utils import timezone

from standing.accounts.scoping import not_found, scoped_key_sql
from standing.core import rawsql
from standing.core.registry import Registry

from .models import Customer, CustomerGroup, CustomerStatus
from .services import effective_permissions

S = CustomerStatus


class BlockSource:
    """What the standing needs to know about blocks. The blocks app (above customers, which
    must not import it) registers its implementation in its AppConfig.ready()."""

    def ends_of_active(self, customer, now) -> list:
        """The ends (None: indefinite) of the customer's blocks active at ``now``."""
        return []

    def active_ends(self, customer_ids, now) -> list:
        """(customer id, end) of every block of ``customer_ids`` active at ``now``."""
        return []

    def blocked_customers(self, now):
        """A queryset of the ids of customers blocked at ``now`` (or None: nobody)."""
        return None

    def blocked_q(self, now):
        """A Q on Customer: blocked at ``now``."""
        from django.db.models import Q

        return Q(pk__in=[])

    def active_ends_join(self, now):
        """For a lookup written in SQL (``standing_of``): ``(join, columns, params)``, a LEFT
        JOIN of the blocks active at ``now`` (a row each) of the customer ``"c"``, the two
        columns it adds (the block's id, its end: NULL, NULL without one) and the join's
        parameters. ``end(value)`` reads such an end."""
        return "", "NULL, NULL", []

    def end(self, value):
        return value


# At most one: the blocks app registers it in its AppConfig.ready() under the key "blocks"
# (a second source is refused); without one, nobody is blocked.
BLOCK_SOURCES = Registry("block source")
_NO_BLOCKS = BlockSource()


def _source() -> BlockSource:
    return BLOCK_SOURCES.get("blocks", _NO_BLOCKS)


def block_state(customer, now=None):
    """(blocked, blocked_until): until is None while an indefinite block is active."""
    return _state(_source().ends_of_active(customer, now or timezone.now()))


def _state(ends):
    if not ends:
        return False, None
    return True, None if None in ends else max(ends)


def blocked_until(customers, now=None) -> dict:
    """{customer id: end of their block (None: without end)} for those of ``customers`` (ids)
    that are blocked at ``now``, in one query: for one card, or a page of a list."""
    ends = {}
    if not customers:  # an empty page: no query to build
        return ends
    for customer_id, ends_at in _source().active_ends(customers, now or timezone.now()):
        if customer_id in ends and ends[customer_id] is None:
            continue
        ends[customer_id] = (
            None if ends_at is None else max(ends.get(customer_id) or ends_at, ends_at)
        )
    return ends


def standing(customer, now=None, block=None):
    """``block``: the customer's ``block_state`` if already known."""
    blocked, until = block or block_state(customer, now)
    permissions = effective_permissions(customer)
    usable = not blocked and customer.status in (S.VERIFIED, S.ACTIVE)
    return {
        "status": customer.status,
        "blocked": blocked,
        "blocked_until": until,
        "can_login": customer.status != S.DELETED
        and (not blocked or settings.BLOCKED_CUSTOMERS_CAN_LOGIN),
        # Booking needs the activation ("freigeschaltet"); reserving only a passed screening.
        "can_book": usable and customer.status == S.ACTIVE and permissions["book"],
        "can_reserve": usable and permissions["reserve"],
        "permissions": permissions,
    }


def standing_of(number, actor, now=None):
    """The standing of customer ``number`` as ``actor`` sees it (404 for one they may not
    see, as ``get_scoped``): the customer, their group and their active blocks' ends in one
    statement written out (``core.rawsql``), as the API asks it at a high rate and compiling
    the querysets cost more than running them (issue 15)."""
    now = now or timezone.now()
    scope = scoped_key_sql(Customer, actor, "number", number)
    if scope is None:
        raise not_found(Customer, number)
    source = _source()
    sql, params = _standing_sql(source, scope, now)
    rows = rawsql.fetchall(sql, params)
    if not rows:
        raise not_found(Customer, number)
    customer = rawsql.instance(Customer, rows[0][:4], _CUSTOMER_FIELDS)
    if customer.group_id is not None:
        customer.group = rawsql.instance(
            CustomerGroup, (customer.group_id, rows[0][4]), _GROUP_FIELDS
        )
    ends = [source.end(row[6]) for row in rows if row[5] is not None]
    return standing(customer, now, block=_state(ends))


_CUSTOMER_FIELDS = ("id", "status", "permissions", "group")
_GROUP_FIELDS = ("id", "permissions")


def _standing_sql(source, scope, now):
    join, block_columns, join_params = source.active_ends_join(now)
    scope_sql, scope_params = scope
    return _standing_statement(join, block_columns, scope_sql), [*join_params, *scope_params]


@cache
def _standing_statement(join, block_columns, scope_sql):
    q = rawsql.quote
    customer, group = Customer._meta, CustomerGroup._meta
    c, g = q("c"), q("g")
    return (
        f"SELECT {rawsql.columns(Customer, 'c', _CUSTOMER_FIELDS)},"
        f" {g}.{q(group.get_field('permissions').column)}, {block_columns}"
        f" FROM {q(customer.db_table)} {c}"
        f" LEFT OUTER JOIN {q(group.db_table)} {g}"
        f" ON {g}.{q(group.pk.column)} = {c}.{q(customer.get_field('group').column)}"
        f" {join} WHERE {c}.{q(customer.pk.column)} = ({scope_sql})"
    )


def filter_blocked(queryset, blocked: bool, now=None):
    now = now or timezone.now()
    if blocked:
        # Driven from the (small) set of active blocks, not by probing every customer.
        active = _source().blocked_customers(now)
        return queryset.none() if active is None else queryset.filter(pk__in=active)
    return queryset.filter(~_source().blocked_q(now))


def may_log_in(user) -> bool:
    """The login check customers registers with accounts: the user's customer may log in."""
    customer = getattr(user, "customer", None)
    return customer is not None and standing(customer)["can_login"]
