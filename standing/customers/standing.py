"""A customer's standing (SPEC §10): may they log in, book, reserve — at this moment."""

from django.conf import settings
from django.utils import timezone

from standing.core.registry import Registry

from .models import CustomerStatus
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


# At most one: the blocks app registers it in its AppConfig.ready() under the key "blocks"
# (a second source is refused); without one, nobody is blocked.
BLOCK_SOURCES = Registry("block source")
_NO_BLOCKS = BlockSource()


def _source() -> BlockSource:
    return BLOCK_SOURCES.get("blocks", _NO_BLOCKS)


def block_state(customer, now=None):
    """(blocked, blocked_until): until is None while an indefinite block is active."""
    active = _source().ends_of_active(customer, now or timezone.now())
    if not active:
        return False, None
    return True, None if None in active else max(active)


def blocked_until(customers, now=None) -> dict:
    """{customer id: end of their block (None: without end)} for those of ``customers`` (ids)
    that are blocked at ``now``, in one query: for one card, or a page of a list."""
    ends = {}
    for customer_id, ends_at in _source().active_ends(customers, now or timezone.now()):
        if customer_id in ends and ends[customer_id] is None:
            continue
        ends[customer_id] = (
            None if ends_at is None else max(ends.get(customer_id) or ends_at, ends_at)
        )
    return ends


def standing(customer, now=None):
    blocked, until = block_state(customer, now)
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
