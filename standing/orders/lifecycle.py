"""The order status lifecycle: one table, one function. No order status is set elsewhere.

``open`` means something is still owed, ``paid`` that nothing is (a chargeback reopens it),
``cancelled`` is final (only refunds still apply to a cancelled order).
"""

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from standing.activity.services import record
from standing.core.errors import DomainError

from .models import InstallmentState, Order, OrderStatus

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


# --- installments: their state follows from payment events (orders/events.py) ------------
I = InstallmentState  # noqa: E741
_OWED = (I.OPEN, I.FAILED, I.CHARGED_BACK, I.STOPPED)
INSTALLMENT_TRANSITIONS = frozenset(
    {(s, I.PAID) for s in _OWED}  # paid in full
    | {(I.OPEN, I.FAILED), (I.OPEN, I.STOPPED)}  # a collection failed / was stopped
    | {(s, I.CHARGED_BACK) for s in (I.PAID, I.OPEN, I.FAILED, I.STOPPED)}  # money reversed
    | {(s, I.CANCELLED) for s in _OWED}  # the order was cancelled
)


class InstallmentTransitionNotAllowed(DomainError):
    def __init__(self, installment, frm, to):
        super().__init__(
            _("Installment %(n)s cannot go from %(frm)s to %(to)s.")
            % {"n": installment.sequence, "frm": I(frm).label, "to": I(to).label}
        )


def check_installment_transition(installment, frm, to):
    """Every installment state change of a payment event passes here before it is saved."""
    if frm != to and (frm, to) not in INSTALLMENT_TRANSITIONS:
        raise InstallmentTransitionNotAllowed(installment, frm, to)
