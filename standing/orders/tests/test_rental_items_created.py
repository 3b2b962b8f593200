"""Rented objects as an order brings them: what ``standing check-data`` holds them to from the
start (a period that does not end before it begins; reported back already: returned)."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from standing.orders import services
from standing.orders.models import ItemKind, Order, OrderItem, RentalState


def create(support, vendor1, customer, **item):
    return services.create_order(
        support,
        number="R-1",
        vendor=vendor1,
        customer=customer,
        amount=Decimal("50.00"),
        payment_method="invoice",
        created_at=timezone.now(),
        plan_kind="one_time",
        due=date(2026, 1, 15),
        items=[{"kind": ItemKind.RENTAL, "sku": "CAR", "name": "Auto", "price": 50, **item}],
    )


def test_a_period_that_ends_before_it_starts_is_refused(support, vendor1, customer):
    with pytest.raises(ValidationError) as refused:
        create(
            support, vendor1, customer, period_from=date(2026, 1, 9), period_until=date(2026, 1, 2)
        )
    assert "period_until" in refused.value.message_dict
    assert not Order.objects.exists()


def test_an_object_reported_back_is_returned_one_still_out_is_out(support, vendor1, customer):
    back = create(
        support, vendor1, customer, period_from=date(2026, 1, 2), returned_on=date(2026, 1, 9)
    )
    assert OrderItem.objects.get(order=back).rental_state == RentalState.RETURNED
    Order.objects.all().delete()
    out = create(support, vendor1, customer, period_from=date(2026, 1, 2))
    assert OrderItem.objects.get(order=out).rental_state == RentalState.OUT
