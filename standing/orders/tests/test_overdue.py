"""``overdue_orders(as_of)``: which orders are overdue, since when, by how much — one query."""

from datetime import date
from decimal import Decimal

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from standing.orders import services
from standing.orders.models import Order


def overdue(as_of, queryset=None):
    return {
        o.number: (o.overdue_since, o.overdue_amount)
        for o in services.overdue_orders(as_of, queryset)
    }


def test_overdue_since_and_amount(order_factory, deliver):
    plan = order_factory(number="RATE", amount="300.00", count=3, first_due=date(2026, 1, 31))
    order_factory(number="ONCE", amount="80.00", due=date(2026, 2, 10))
    paid = order_factory(number="PAID", amount="50.00", due=date(2026, 1, 5))
    deliver(paid, "payment_received", amount="50.00")
    # Due on the day is not yet overdue; the day after is.
    assert overdue(date(2026, 1, 31)) == {}
    assert overdue(date(2026, 2, 1)) == {"RATE": (date(2026, 1, 31), Decimal("100.00"))}
    # A partial payment lowers the overdue amount but not the date it began.
    deliver(plan, "payment_received", amount="30.00")
    assert overdue(date(2026, 3, 1)) == {
        "RATE": (date(2026, 1, 31), Decimal("170.00")),
        "ONCE": (date(2026, 2, 10), Decimal("80.00")),
    }
    deliver(plan, "payment_received", amount="70.00")
    assert overdue(date(2026, 3, 1))["RATE"] == (date(2026, 2, 28), Decimal("100.00"))


def test_failures_chargebacks_and_stops(order_factory, deliver):
    failed = order_factory(number="FAIL", amount="60.00", count=2, first_due=date(2026, 1, 15))
    charged = order_factory(number="CB", amount="40.00", due=date(2026, 1, 10))
    stopped = order_factory(number="STOP", amount="90.00", count=3, first_due=date(2026, 1, 20))
    deliver(failed, "payment_failed", installment=1)
    deliver(charged, "payment_received", amount="40.00")
    deliver(charged, "chargeback", fee="5.00")
    deliver(stopped, "payment_received", amount="30.00")
    deliver(stopped, "installments_stopped")
    result = overdue(date(2026, 2, 1))
    assert result["FAIL"] == (date(2026, 1, 15), Decimal("30.00"))
    # The fee is a cancellation cost, not part of the overdue principal.
    assert result["CB"] == (date(2026, 1, 10), Decimal("40.00"))
    # Stopped installments keep their due dates: not overdue before them.
    assert "STOP" not in result
    assert overdue(date(2026, 3, 1))["STOP"] == (date(2026, 2, 20), Decimal("30.00"))


def test_cancelled_orders_are_not_overdue(order_factory, deliver):
    order = order_factory(number="GONE", amount="60.00", due=date(2026, 1, 10))
    deliver(order, "order_cancelled")
    assert overdue(date(2026, 6, 1)) == {}


def test_one_query_for_many_orders(order_factory, deliver, vendor2):
    for n in range(6):
        order_factory(number=f"N{n}", amount="100.00", count=4, first_due=date(2026, 1, 1))
    order_factory(number="S1", vendor=vendor2, amount="10.00", due=date(2026, 1, 1))
    with CaptureQueriesContext(connection) as queries:
        rows = overdue(date(2026, 3, 15))
    assert len(queries) == 1 and len(rows) == 7
    assert rows["N0"] == (date(2026, 1, 1), Decimal("75.00"))
    # It composes with any order queryset, e.g. one vendor's.
    assert set(overdue(date(2026, 3, 15), Order.objects.filter(vendor=vendor2))) == {"S1"}


def test_open_payments_with_age(order_factory, deliver, customer):
    order = order_factory(customer=customer, amount="90.00", count=3, first_due=date(2026, 1, 31))
    deliver(order, "payment_received", amount="10.00")
    with time_machine.travel(date(2026, 3, 5)):
        from django.utils import timezone

        today = timezone.localdate()
        rows = services.open_payments(customer, Order.objects.all(), today)
        assert [(r.sequence, r.open_amount, r.age) for r in rows] == [
            (1, Decimal("20.00"), 33),
            (2, Decimal("30.00"), 5),
        ]
        balance = services.balances(customer, Order.objects.all(), today).get()
        assert balance.due_amount == Decimal("50.00") and balance.open_amount == Decimal("80.00")
