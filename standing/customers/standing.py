"""A customer's standing (SPEC §10): may they log in, book, reserve — at this moment."""

from django.conf import settings
from django.utils import timezone

from standing.blocks.models import Block, blocked_exists

from .models import CustomerStatus
from .services import effective_permissions

S = CustomerStatus


def block_state(customer, now=None):
    """(blocked, blocked_until): until is None while an indefinite block is active."""
    states = blocked_until([customer.pk], now)
    if customer.pk not in states:
        return False, None
    return True, states[customer.pk]


def blocked_until(customers, now=None) -> dict:
    """{customer id: end of their block (None: without end)} for those of ``customers`` (ids)
    that are blocked at ``now``, in one query: for one card, or a page of a list."""
    now = now or timezone.now()
    ends = {}
    rows = Block.objects.filter(Block.active_q(now), customer_id__in=customers).values_list(
        "customer_id", "ends_at"
    )
    for customer_id, ends_at in rows:
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
        active = Block.objects.filter(Block.active_q(now)).values("customer_id")
        return queryset.filter(pk__in=active)
    return queryset.filter(~blocked_exists(now))
