from datetime import date, datetime
from decimal import Decimal
from itertools import count

import pytest
from django.utils import timezone

from standing.accounts.scoping import SYSTEM
from standing.claims import services
from standing.orders import events
from standing.orders import services as orders
from standing.orders.models import ItemKind, PaymentMethod, PlanKind

NUMBERS = count(1)
EVENTS = count(1)


@pytest.fixture
def collection(vendor1, vendor2):
    """Both vendors take part; vendor1 reviews its claims, the letters follow the defaults."""

    def setup(vendor=None, **values):
        values = {"enabled": True, **values}
        row = services.settings_for(vendor or vendor1)
        for key, value in values.items():
            setattr(row, key, value)
        row.save()
        return row

    setup(vendor1)
    setup(vendor2)
    return setup


@pytest.fixture
def make_order(db, vendor1, customer_factory):
    def make(
        vendor=None,
        customer=None,
        amount="300.00",
        count=3,
        first_due=date(2026, 1, 31),
        method=PaymentMethod.SEPA_DIRECT_DEBIT,
        sku="E-BIKE",
        created=date(2026, 1, 2),
        number=None,
    ):
        vendor = vendor or vendor1
        customer = customer or customer_factory(vendor=vendor)
        return orders.create_order(
            SYSTEM,
            number=number or f"C-{next(NUMBERS):05d}",
            vendor=vendor,
            customer=customer,
            amount=Decimal(amount),
            payment_method=method,
            created_at=timezone.make_aware(datetime.combine(created, datetime.min.time())),
            plan_kind=PlanKind.INSTALLMENTS if count else PlanKind.ONE_TIME,
            due=None if count else first_due,
            count=count,
            first_due=first_due if count else None,
            items=[{"kind": ItemKind.SALE, "sku": sku, "name": f"Produkt {sku}", "price": amount}],
        )

    return make


@pytest.fixture
def event():
    def send(order, type, on, **fields):
        for key in ("amount", "fee"):
            if fields.get(key) is not None:
                fields[key] = Decimal(fields[key])
        return events.deliver(
            order,
            SYSTEM,
            events.Event(id=f"ev-{next(EVENTS)}", type=type, date=on, **fields),
        )

    return send
