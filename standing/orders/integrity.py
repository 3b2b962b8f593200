"""Integrity checks of orders (``standing check-data``)."""

from django.db.models import DecimalField, F, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from standing.core.integrity import apart, invalid_choices

from .models import Installment, InstallmentState, Order, OrderStatus, PaymentEvent


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


CHECKS = [amounts_add_up, states_valid, events_of_their_vendor]
