"""The order and installment lifecycles, declared for the one engine (core.lifecycle).

``open`` means something is still owed, ``paid`` that nothing is (a chargeback reopens it),
``cancelled`` is final (only refunds still apply to a cancelled order). An installment's state
follows from payment events (orders/events.py); each change passes the installment table.
"""

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from standing.core import lifecycle

from .models import Installment, InstallmentState, Order, OrderStatus

S = OrderStatus

TRANSITIONS = {
    (S.OPEN, S.PAID): "paid",
    (S.PAID, S.OPEN): "reopened",
    (S.OPEN, S.CANCELLED): "cancelled",
    (S.PAID, S.CANCELLED): "cancelled",
}


class OrderTransitionNotAllowed(lifecycle.TransitionNotAllowed):
    pass


class OrderChangedMeanwhile(lifecycle.ChangedMeanwhile, OrderTransitionNotAllowed):
    pass


ORDER = lifecycle.Lifecycle(
    "order",
    Order,
    TRANSITIONS,
    action_prefix="order",
    internal=True,
    describe=lambda order: _("Order %(number)s") % {"number": order.number},
    refusal=lambda order, frm, to: (
        _("Order %(number)s is %(status)s and cannot become %(to)s.")
        % {"number": order.number, "status": S(frm).label, "to": S(to).label}
    ),
    summary=lambda order, frm, to: (
        _("Order %(number)s: %(frm)s → %(to)s")
        % {"number": order.number, "frm": S(frm).label, "to": S(to).label}
    ),
    not_allowed=OrderTransitionNotAllowed,
    changed=OrderChangedMeanwhile,
)


@transaction.atomic
def transition(order: Order, to: str, actor, summary=""):
    return ORDER.transition(
        order,
        to,
        actor,
        summary=summary or None,
        before={"order": order.number},
        details={"order": order.number},
    )


def settle_status(order: Order, actor):
    """After amounts changed: ``paid`` when nothing is open, ``open`` otherwise."""
    if order.status == S.CANCELLED:
        return order
    target = S.PAID if order.open_amount == 0 else S.OPEN
    return order if target == order.status else transition(order, target, actor)


# --- installments: their state follows from payment events (orders/events.py) ------------
I = InstallmentState  # noqa: E741
_OWED = (I.OPEN, I.FAILED, I.CHARGED_BACK, I.STOPPED)
INSTALLMENT_TRANSITIONS = {
    **{(s, I.PAID): "paid" for s in _OWED},  # paid in full
    (I.OPEN, I.FAILED): "failed",  # a collection failed
    (I.OPEN, I.STOPPED): "stopped",  # ... was stopped
    **{(s, I.CHARGED_BACK): "charged_back" for s in (I.PAID, I.OPEN, I.FAILED, I.STOPPED)},
    **{(s, I.CANCELLED): "cancelled" for s in _OWED},  # the order was cancelled
}


class InstallmentTransitionNotAllowed(lifecycle.TransitionNotAllowed):
    pass


class InstallmentChangedMeanwhile(lifecycle.ChangedMeanwhile, InstallmentTransitionNotAllowed):
    pass


def _installment_refusal(installment, frm, to):
    return _("Installment %(n)s cannot go from %(frm)s to %(to)s.") % {
        "n": installment.sequence,
        "frm": I(frm).label,
        "to": I(to).label,
    }


# The payment event's own activity record describes every installment it touched, so the
# installment lifecycle writes transition rows only.
INSTALLMENT = lifecycle.Lifecycle(
    "installment",
    Installment,
    INSTALLMENT_TRANSITIONS,
    field="state",
    record=False,
    customer=None,
    refusal=_installment_refusal,
    not_allowed=InstallmentTransitionNotAllowed,
    changed=InstallmentChangedMeanwhile,
)


def check_installment_transition(installment, frm, to):
    """Every installment state change of a payment event passes here before it is saved."""
    if frm != to and (why := INSTALLMENT.refusal_reason(installment, to, frm=frm)):
        raise InstallmentTransitionNotAllowed(why, obj=installment, frm=frm, to=to)


def move_installment(installment, frm, actor, fields=("amount", "paid_amount")):
    """Save an installment a payment event changed: a state change through the engine (a
    conditional UPDATE from ``frm`` with the amounts, and its transition row), else the
    amounts alone."""
    to = installment.state
    if frm == to:
        installment.save(update_fields=["state", *fields])
        return installment
    installment.state = frm
    return INSTALLMENT.transition(
        installment, to, actor, updates={f: getattr(installment, f) for f in fields}
    )
