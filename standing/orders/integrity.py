"""Integrity checks of orders (``standing check-data``)."""

from collections import defaultdict
from decimal import Decimal

from django.db.models import DecimalField, Exists, F, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from standing.core.integrity import CENT_TOLERANCE, apart, each_row, invalid_choices, repeated

from .models import (
    EventType,
    Installment,
    InstallmentState,
    Order,
    OrderStatus,
    PaymentEvent,
)


def _sum(field):
    rows = (
        Installment.objects.filter(order=OuterRef("pk"))
        .values("order")
        .annotate(total=Sum(field))
        .values("total")
    )
    return Coalesce(
        Subquery(rows, output_field=DecimalField()), Value(0), output_field=DecimalField()
    )


def amounts_add_up():
    """An order's amount and paid amount are the sums of its installments'."""
    wrong = (
        Order.objects.annotate(planned=_sum("amount"), paid=_sum("paid_amount"))
        .filter(apart([(F("amount"), F("planned")), (F("paid_amount"), F("paid"))]))
        .filter(installments__isnull=False)
        .distinct()
    )
    for order in wrong.values("pk", "number", "amount", "planned", "paid_amount", "paid")[:50]:
        yield (
            f"order {order['number']} (id {order['pk']}): amount {order['amount']} / paid "
            f"{order['paid_amount']}, its installments {order['planned']} / {order['paid']}"
        )


def states_valid():
    yield from invalid_choices(Order.objects.all(), "status", OrderStatus.choices)
    yield from invalid_choices(Installment.objects.all(), "state", InstallmentState.choices)
    over = Installment.objects.filter(Q(paid_amount__gt=F("amount")) | Q(paid_amount__lt=0))
    for pk in over.values_list("pk", flat=True)[:50]:
        yield f"installment {pk} is paid beyond its amount"


def events_of_their_vendor():
    wrong = PaymentEvent.objects.exclude(vendor_id=F("order__vendor_id"))
    for event_id in wrong.values_list("event_id", flat=True)[:50]:
        yield f"payment event {event_id} is filed under another vendor than its order"


def events_of_existing_orders():
    orphans = PaymentEvent.objects.exclude(order_id__in=Order.objects.values("pk"))
    yield from each_row(
        orphans, "payment event {event_id}", "belongs to an order id that does not exist"
    )


def event_ids_unique_per_vendor():
    for row in repeated(PaymentEvent.objects.all(), "vendor_id", "event_id"):
        yield (
            f"payment event id {row['event_id']} is used {row['n']} times by vendor "
            f"{row['vendor_id']}"
        )


def _moves(effect):
    """(installment sequence, paid before, paid after) of one event's stored effect."""
    for sequence, change in ((effect or {}).get("installments") or {}).items():
        before, after = change.get("paid_amount") or (None, None)
        yield int(sequence), Decimal(before), Decimal(after)


def paid_as_the_events_say():
    """Money reaches an installment only through payment events: each installment's paid
    amount is what its order's events moved there (payments in, chargebacks and refunds out).
    Streamed: one pass over the events' effects, one over the installments."""
    moved = defaultdict(Decimal)
    broken = []
    events = PaymentEvent.objects.order_by().values_list("event_id", "order_id", "effect")
    for event_id, order_id, effect in events.iterator(chunk_size=2000):
        try:
            for sequence, before, after in _moves(effect):
                moved[(order_id, sequence)] += after - before
        except (TypeError, ValueError, ArithmeticError, AttributeError):
            broken.append(event_id)
    for event_id in broken[:50]:
        yield f"payment event {event_id} has an unreadable effect"
    wrong = 0
    rows = Installment.objects.order_by().values_list("order_id", "sequence", "paid_amount")
    for order_id, sequence, paid in rows.iterator(chunk_size=2000):
        expected = moved.pop((order_id, sequence), Decimal(0))
        if abs(expected - paid) >= CENT_TOLERANCE and wrong < 50:
            wrong += 1
            yield (
                f"installment {sequence} of order id {order_id} is paid {paid}, its payment "
                f"events moved {expected}"
            )
    for (order_id, sequence), amount in sorted(moved.items())[:50]:
        if amount:
            yield (
                f"payment events moved {amount} onto installment {sequence} of order id "
                f"{order_id}, which does not exist"
            )


ORDER = "order {number} (id {pk})"


def status_follows_the_payments():
    """Paid when nothing is open, open while something is (a cancelled order stays so); a
    paid order was paid by at least one payment event."""
    paid = Order.objects.filter(status=OrderStatus.PAID)
    open_amount = apart([(F("amount"), F("paid_amount"))])
    yield from each_row(paid.filter(open_amount), ORDER, "is paid but has an open amount")
    unpaid = paid.exclude(
        Exists(PaymentEvent.objects.filter(order=OuterRef("pk"), type=EventType.PAYMENT_RECEIVED))
    ).filter(original_amount__gt=0)
    yield from each_row(unpaid, ORDER, "is paid without any payment event")
    settled = Order.objects.filter(status=OrderStatus.OPEN).exclude(open_amount)
    yield from each_row(settled, ORDER, "is open but nothing is open on it")


CHECKS = [
    amounts_add_up,
    states_valid,
    events_of_their_vendor,
    events_of_existing_orders,
    event_ids_unique_per_vendor,
    paid_as_the_events_say,
    status_follows_the_payments,
]
