"""Payment events: idempotent by event id, validated before anything changes.

Effects (amounts per installment; the order's ``amount`` and ``paid_amount`` are the sums):
- ``payment_received`` (amount): paid on the named installment, or on the owed installments
  oldest first; never more than is open. An installment paid in full becomes ``paid``.
- ``payment_failed``: the named (or earliest open) installment becomes ``failed``; it stays
  owed. A fee (return-debit fee) is added to the cancellation costs.
- ``chargeback`` (amount?, fee?): a received payment is reversed on the named (or latest
  paid) installment: its paid part drops by ``amount`` (default: all of it) and it becomes
  ``charged_back``, so the money is owed again. The fee goes to the cancellation costs.
- ``installments_stopped``: every open installment (from the named one on) becomes
  ``stopped``: no automatic collection any more; each stays owed and keeps its due date.
- ``order_cancelled``: the unpaid part of every owed installment is cancelled (its amount
  drops to what was paid on it, state ``cancelled``); what was paid stays paid until refunded.
- ``refund`` (amount): money paid back to the customer: the paid part and the amount of the
  named (or latest paid) installments drop together, so nothing becomes owed. The only event
  a cancelled order still takes (cancel first, then pay back).
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from standing.activity.services import record
from standing.core.errors import DomainError
from standing.core.money import format_money, round_money
from standing.core.registry import Registry

from . import lifecycle
from .models import EventType, InstallmentState, Order, OrderStatus, PaymentEvent
from .schedule import MAX_INSTALLMENTS
from .services import OWED_STATES, check_amount

I = InstallmentState  # noqa: E741
FEE_TYPES = {EventType.PAYMENT_FAILED, EventType.CHARGEBACK}


# Called inside the event's transaction after it was applied: fn(order, stored_event, actor).
# The claims app registers here to open, add to, close or cancel the order's claim.
AFTER_EVENT = Registry("after payment event hooks")


class EventRejected(DomainError):
    """The event does not fit the order's current state; nothing was changed."""


class EventIdReused(DomainError):
    """The event id was used before for a different event."""


@dataclass(frozen=True)
class Event:
    id: str
    type: str
    date: date
    amount: Decimal | None = None
    installment: int | None = None
    fee: Decimal | None = None


def validate(event: Event):
    if not event.id or len(event.id) > 100:
        raise ValidationError({"id": [_("The event id must have 1 to 100 characters.")]})
    if event.type not in EventType.values:
        raise ValidationError(
            {
                "type": [
                    _("Unknown event type '%(type)s'; use one of %(types)s.")
                    % {"type": event.type, "types": ", ".join(EventType.values)}
                ]
            }
        )
    if event.installment is not None and not 1 <= event.installment <= MAX_INSTALLMENTS:
        raise ValidationError(
            {
                "installment": [
                    _("Installments are numbered from 1 to %(max)s.") % {"max": MAX_INSTALLMENTS}
                ]
            }
        )
    if event.amount is not None:
        check_amount(event.amount)
    elif event.type in (EventType.PAYMENT_RECEIVED, EventType.REFUND):
        raise ValidationError({"amount": [_("This event needs an amount.")]})
    if event.fee is not None:
        check_amount(event.fee, "fee", allow_zero=True)
        if event.fee and event.type not in FEE_TYPES:
            raise ValidationError({"fee": [_("Only chargebacks and failed payments carry a fee.")]})


def deliver(order: Order, actor, event: Event):
    """Apply ``event`` to ``order`` once. Returns (result, duplicate): a repeated delivery of
    the same id changes nothing and returns the first delivery's result.

    The order row is locked so events of one order apply one after another; the unique
    event id (inserted in a savepoint before any effect) is what makes a second delivery,
    even a concurrent one, a duplicate.
    """
    validate(event)
    with transaction.atomic():
        order = Order.objects.select_for_update().select_related("customer").get(pk=order.pk)
        try:
            with transaction.atomic():
                stored = PaymentEvent.objects.create(
                    event_id=event.id,
                    order=order,
                    vendor_id=order.vendor_id,
                    type=event.type,
                    date=event.date,
                    amount=event.amount,
                    installment=event.installment,
                    fee=event.fee,
                    actor_label=actor.label,
                )
        except IntegrityError:
            if not PaymentEvent.objects.filter(
                vendor_id=order.vendor_id, event_id=event.id
            ).exists():
                raise
            return _duplicate(order, event), True
        paid_before = order.paid_amount
        effect = _apply(order, event, actor)
        _resum(order)
        if event.type == EventType.ORDER_CANCELLED:
            lifecycle.transition(order, OrderStatus.CANCELLED, actor)
        else:
            lifecycle.settle_status(order, actor)
        stored.effect = effect
        stored.result = result(order, stored)
        stored.save(update_fields=["effect", "result"])
        record(
            order.customer,
            actor,
            f"payment.{event.type}",
            _("Order %(number)s: %(type)s") % {"number": order.number, "type": event_label(event)},
            before={"order": order.number, "paid_amount": paid_before},
            after={
                "order": order.number,
                "event": event.id,
                "paid_amount": order.paid_amount,
                "open_amount": order.open_amount,
            },
            vendor=order.vendor_id,
        )
        for handler in AFTER_EVENT:
            handler(order, stored, actor)
        return stored.result, False


def event_label(event):
    label = str(EventType(event.type).label)
    return f"{label} {format_money(event.amount)}" if event.amount is not None else label


def _duplicate(order, event):
    first = PaymentEvent.objects.get(vendor_id=order.vendor_id, event_id=event.id)
    same = (
        first.order_id == order.pk
        and first.type == event.type
        and first.date == event.date
        and first.amount == event.amount
        and first.installment == event.installment
        and first.fee == event.fee
    )
    if not same:
        raise EventIdReused(
            _("The event id %(id)s was used before for a different event.") % {"id": event.id}
        )
    return first.result


def result(order, stored):
    return {
        "id": stored.event_id,
        "type": stored.type,
        "order": order.number,
        "status": order.status,
        "amount": str(order.amount),
        "paid_amount": str(order.paid_amount),
        "open_amount": str(order.open_amount),
        "cancellation_costs": str(order.cancellation_costs),
        "installments": [
            {"sequence": i.sequence, "state": i.state, "paid_amount": str(i.paid_amount)}
            for i in order.installments.all()
        ],
    }


def _resum(order):
    sums = order.installments.aggregate(amount=Sum("amount"), paid=Sum("paid_amount"))
    # Quantized: SQLite's SUM of decimals loses the trailing zeros.
    order.amount, order.paid_amount = (round_money(sums[k]) for k in ("amount", "paid"))
    order.save(update_fields=["amount", "paid_amount", "cancellation_costs"])


class _Changes:
    """Installments touched by one event, with their values before, for the timeline."""

    def __init__(self, actor=None):
        self.actor = actor
        self.rows, self.before = {}, {}

    def touch(self, inst):
        if inst.sequence not in self.rows:
            self.rows[inst.sequence] = inst
            self.before[inst.sequence] = (inst.state, str(inst.amount), str(inst.paid_amount))
        return inst

    def save(self):
        for seq, inst in self.rows.items():
            lifecycle.check_installment_transition(inst, self.before[seq][0], inst.state)
        for seq, inst in self.rows.items():
            lifecycle.move_installment(inst, self.before[seq][0], self.actor)
        return {
            str(seq): {
                "state": [self.before[seq][0], inst.state],
                "amount": [self.before[seq][1], str(inst.amount)],
                "paid_amount": [self.before[seq][2], str(inst.paid_amount)],
            }
            for seq, inst in self.rows.items()
        }


def _apply(order, event, actor=None):
    if order.status == OrderStatus.CANCELLED and event.type != EventType.REFUND:
        raise EventRejected(
            _("Order %(number)s is cancelled; only refunds apply to it.") % {"number": order.number}
        )
    installments = list(order.installments.order_by("sequence"))
    named = None
    if event.installment is not None:
        named = next((i for i in installments if i.sequence == event.installment), None)
        if named is None:
            raise ValidationError(
                {
                    "installment": [
                        _("Order %(number)s has no installment %(n)s (it has 1 to %(count)s).")
                        % {
                            "number": order.number,
                            "n": event.installment,
                            "count": len(installments),
                        }
                    ]
                }
            )
    changes = _Changes(actor)
    HANDLERS[event.type](order, event, installments, named, changes)
    if event.fee:
        order.cancellation_costs += event.fee
    return {
        "installments": changes.save(),
        "fee": str(event.fee) if event.fee else None,
    }


def _too_much(amount, available, what):
    raise ValidationError(
        {
            "amount": [
                _("The amount %(amount)s is more than the %(available)s %(what)s.")
                % {"amount": amount, "available": available, "what": what}
            ]
        }
    )


def _received(order, event, installments, named, changes):
    owed = [i for i in ([named] if named else installments) if i.state in OWED_STATES]
    available = sum((i.open_amount for i in owed), Decimal("0"))
    if event.amount > available:
        _too_much(event.amount, available, _("still open"))
    rest = event.amount
    for inst in owed:
        part = min(rest, inst.open_amount)
        if part:
            changes.touch(inst).paid_amount += part
            if inst.paid_amount == inst.amount:
                inst.state = I.PAID
            rest -= part


def _failed(order, event, installments, named, changes):
    target = named or next((i for i in installments if i.state == I.OPEN), None)
    if target is None or target.state != I.OPEN:
        raise EventRejected(_("There is no open installment that could fail."))
    changes.touch(target).state = I.FAILED


def _chargeback(order, event, installments, named, changes):
    target = named or next((i for i in reversed(installments) if i.paid_amount > 0), None)
    if target is None or target.paid_amount == 0:
        raise EventRejected(_("Nothing was paid that could be charged back."))
    amount = event.amount if event.amount is not None else target.paid_amount
    if amount > target.paid_amount:
        _too_much(amount, target.paid_amount, _("paid on this installment"))
    changes.touch(target).paid_amount -= amount
    target.state = I.CHARGED_BACK


def _stopped(order, event, installments, named, changes):
    start = named.sequence if named else 1
    targets = [i for i in installments if i.sequence >= start and i.state == I.OPEN]
    if not targets:
        raise EventRejected(_("There are no open installments to stop."))
    for inst in targets:
        changes.touch(inst).state = I.STOPPED


def _cancelled(order, event, installments, named, changes):
    for inst in installments:
        if inst.state in OWED_STATES:
            changes.touch(inst).amount = inst.paid_amount
            inst.state = I.CANCELLED


def _refund(order, event, installments, named, changes):
    paid = [named] if named else [i for i in reversed(installments) if i.paid_amount > 0]
    available = sum((i.paid_amount for i in paid), Decimal("0"))
    if event.amount > available:
        _too_much(event.amount, available, _("paid"))
    rest = event.amount
    for inst in paid:
        part = min(rest, inst.paid_amount)
        if part:
            changes.touch(inst).paid_amount -= part
            inst.amount -= part
            rest -= part


HANDLERS = {
    EventType.PAYMENT_RECEIVED: _received,
    EventType.PAYMENT_FAILED: _failed,
    EventType.CHARGEBACK: _chargeback,
    EventType.INSTALLMENTS_STOPPED: _stopped,
    EventType.ORDER_CANCELLED: _cancelled,
    EventType.REFUND: _refund,
}
