"""The order status lifecycle: one table, one function. No order status is set elsewhere.

``open`` means something is still owed, ``paid`` that nothing is (a chargeback reopens it),
``cancelled`` is final (only refunds still apply to a cancelled order).
"""

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from standing.activity.services import record
from standing.core.errors import DomainError

from .models import Order, OrderStatus

S = OrderStatus

TRANSITIONS = {
    (S.OPEN, S.PAID): "paid",
    (S.PAID, S.OPEN): "reopened",
    (S.OPEN, S.CANCELLED): "cancelled",
    (S.PAID, S.CANCELLED): "cancelled",
}


class OrderTransitionNotAllowed(DomainError):
    def __init__(self, order, to):
        super().__init__(
            _("Order %(number)s is %(status)s and cannot become %(to)s.")
            % {"number": order.number, "status": S(order.status).label, "to": S(to).label}
        )


@transaction.atomic
def transition(order: Order, to: str, actor, summary=""):
    frm = order.status
    action = TRANSITIONS.get((frm, to))
    if action is None:
        raise OrderTransitionNotAllowed(order, to)
    if Order.objects.filter(pk=order.pk, status=frm).update(status=to) != 1:
        order.refresh_from_db(fields=["status"])
        raise OrderTransitionNotAllowed(order, to)
    order.status = to
    record(
        order.customer,
        actor,
        f"order.{action}",
        summary
        or _("Order %(number)s: %(frm)s → %(to)s")
        % {"number": order.number, "frm": S(frm).label, "to": S(to).label},
        before={"order": order.number, "status": frm},
        after={"order": order.number, "status": to},
        internal=True,
    )
    return order


def settle_status(order: Order, actor):
    """After amounts changed: ``paid`` when nothing is open, ``open`` otherwise."""
    if order.status == S.CANCELLED:
        return order
    target = S.PAID if order.open_amount == 0 else S.OPEN
    return order if target == order.status else transition(order, target, actor)
