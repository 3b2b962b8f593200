"""Integrity checks of rented objects, damage cases and vouchers (``standing check-data``).

Rented objects are order items of kind ``rental`` (``orders.OrderItem``); their lifecycle is
this app's (``rentals.services.ITEM``): out until taken back, once, with the return date."""

from django.db.models import F, Q

from standing.core.integrity import each_row, invalid_choices
from standing.orders.models import ItemKind, OrderItem, RentalState

from .models import DamageCase, DamageStatus, Voucher


def _items(queryset, sentence):
    return each_row(queryset, "order item {pk} ({name}, order {order__number})", sentence)


def items_valid():
    items = OrderItem.objects.all()
    yield from invalid_choices(items, "kind", ItemKind.choices)
    yield from invalid_choices(items.exclude(rental_state=""), "rental_state", RentalState.choices)
    rentals = items.filter(kind=ItemKind.RENTAL)
    yield from _items(rentals.filter(rental_state=""), "is rented but has no rental state")
    sold = items.filter(kind=ItemKind.SALE)
    yield from _items(sold.exclude(rental_state=""), "is a product sold but has a rental state")
    yield from _items(items.filter(price__lt=0), "has a negative price")


def returns_dated():
    """Returned: with its return date, not before the rental began; still out: none."""
    rentals = OrderItem.objects.filter(kind=ItemKind.RENTAL)
    yield from _items(
        rentals.filter(rental_state=RentalState.RETURNED, returned_on__isnull=True),
        "was taken back without a return date",
    )
    yield from _items(
        rentals.filter(rental_state=RentalState.OUT, returned_on__isnull=False),
        "is still out but has a return date",
    )
    yield from _items(
        rentals.filter(returned_on__lt=F("period_from")),
        "was returned before the rental began",
    )
    yield from _items(
        OrderItem.objects.filter(period_until__lt=F("period_from")),
        "has a rental period that ends before it starts",
    )


def damages_and_vouchers_valid():
    damages = DamageCase.objects.all()
    yield from invalid_choices(damages, "status", DamageStatus.choices)
    yield from each_row(damages.filter(amount__lt=0), "damage case {pk}", "has a negative amount")
    foreign = damages.filter(order__isnull=False).exclude(
        vendor_id=F("order__vendor_id"), customer_id=F("order__customer_id")
    )
    yield from each_row(
        foreign, "damage case {pk}", "is filed under another vendor or customer than its order"
    )
    neither = Voucher.objects.exclude(
        Q(value__gt=0, percent__isnull=True)
        | Q(value__isnull=True, percent__gt=0, percent__lte=100)
    )
    yield from each_row(
        neither, "voucher {code}", "has not exactly one of a value and a percentage"
    )


CHECKS = [items_valid, returns_dated, damages_and_vouchers_valid]
