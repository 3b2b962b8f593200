"""Concurrent deliveries: threads with their own database connections deliver at once.

They run on PostgreSQL and on SQLite's file-based test database (the settings' default). An
in-memory SQLite database (``TEST_SQLITE_NAME=:memory:``) cannot host them: its connections
share a cache whose table locks fail at once instead of waiting.
"""

import threading
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection

from standing.orders import events
from standing.orders.models import Order, PaymentEvent


def deliver_together(order, actor, payloads):
    barrier = threading.Barrier(len(payloads))
    results, errors = [], []

    def run(event):
        try:
            barrier.wait()
            results.append(events.deliver(order, actor, event))
        except Exception as error:  # collected and asserted on below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(p,)) for p in payloads]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    return results


@pytest.fixture(autouse=True)
def _shared_database(transactional_db):
    # Decided once the test database exists: before that, NAME is the production one.
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("threads need PostgreSQL or a file-based SQLite test database")


def event(id, amount):
    return events.Event(
        id=id, type="payment_received", date=date(2026, 2, 1), amount=Decimal(amount)
    )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_same_event_delivered_twice_at_once_counts_once(order_factory, support):
    order = order_factory(amount="100.00", count=2)
    results = deliver_together(order, support, [event("dup-1", "50.00")] * 2)
    assert sorted(duplicate for _result, duplicate in results) == [False, True]
    assert results[0][0] == results[1][0]
    assert Order.objects.get(pk=order.pk).paid_amount == Decimal("50.00")
    assert PaymentEvent.objects.count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_different_events_at_once_both_count(order_factory, support):
    order = order_factory(amount="100.00", count=2)
    results = deliver_together(order, support, [event("a", "30.00"), event("b", "20.00")])
    assert [duplicate for _result, duplicate in results] == [False, False]
    order = Order.objects.get(pk=order.pk)
    assert order.paid_amount == Decimal("50.00")
    assert sum(i.paid_amount for i in order.installments.all()) == Decimal("50.00")
