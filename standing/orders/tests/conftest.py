from datetime import date, datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from standing.accounts.scoping import Actor
from standing.orders import services
from standing.orders.models import ItemKind, PaymentMethod, PlanKind


@pytest.fixture
def order_factory(db, support_user, vendor1, customer_factory):
    counter = iter(range(1, 100000))

    def make(
        vendor=None,
        customer=None,
        amount="300.00",
        count=None,
        first_due=date(2026, 1, 31),
        due=date(2026, 1, 15),
        method=PaymentMethod.SEPA_DIRECT_DEBIT,
        rental=False,
        number=None,
    ):
        vendor = vendor or vendor1
        customer = customer or customer_factory(vendor=vendor)
        n = next(counter)
        return services.create_order(
            Actor.of(support_user),
            number=number or f"B-{n:05d}",
            vendor=vendor,
            customer=customer,
            amount=Decimal(amount),
            payment_method=method,
            created_at=timezone.make_aware(datetime(2026, 1, 2, 10, 0)),
            plan_kind=PlanKind.INSTALLMENTS if count else PlanKind.ONE_TIME,
            due=None if count else due,
            count=count,
            first_due=first_due if count else None,
            items=[
                {
                    "kind": ItemKind.RENTAL if rental else ItemKind.SALE,
                    "sku": "CAR-S" if rental else "E-BIKE",
                    "name": "Kleinwagen" if rental else "E-Bike Trekking",
                    "price": Decimal(amount),
                    "period_from": date(2026, 1, 2) if rental else None,
                    "period_until": date(2026, 1, 9) if rental else None,
                }
            ],
        )

    return make


@pytest.fixture
def deliver(support):
    """Deliver an event by keyword arguments; returns (result, duplicate)."""
    from standing.orders import events

    counter = iter(range(1, 100000))

    def send(order, type, on=date(2026, 2, 1), id=None, **fields):
        for key in ("amount", "fee"):
            if fields.get(key) is not None:
                fields[key] = Decimal(fields[key])
        event = events.Event(id=id or f"ev-{next(counter)}", type=type, date=on, **fields)
        return events.deliver(order, support, event)

    return send


@pytest.fixture(autouse=True)
def _fast_passwords_and_english(settings):
    # The personas' passwords are hashed once per test; the real hasher would dominate.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Assertions read English messages, also once the German catalogue has them.
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def login(client):
    def as_(user):
        user.language = "en"
        user.save(update_fields=["language"])
        client.force_login(user)
        return client

    return as_
