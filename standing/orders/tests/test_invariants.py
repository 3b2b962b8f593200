"""Hypothesis-generated event sequences: after every event, accepted or refused,
``paid_amount + open_amount == amount`` holds per installment and per order, a refused event
changes nothing, fees only ever add to the cancellation costs, and delivering any event again
(same id) changes nothing."""

from datetime import date
from decimal import ROUND_DOWN, Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from standing.core.errors import DomainError
from standing.orders import events
from standing.orders.events import EventIdReused
from standing.orders.models import EventType, Order, OrderStatus
from standing.orders.schedule import CENT

AMOUNT_KINDS = ["none", "share", "share", "share", "zero", "negative", "fraction", "too_much"]
E = EventType
# Weighted so that payments, chargebacks and refunds have something to act on before a
# cancellation (final) ends the sequence's interesting part.
TYPES = [*E.values, *[E.PAYMENT_RECEIVED] * 4, *[E.REFUND, E.CHARGEBACK] * 2, "unknown"]
steps = st.tuples(
    st.sampled_from(TYPES),
    st.sampled_from(AMOUNT_KINDS),
    st.integers(min_value=1, max_value=100),
    st.sampled_from([None, None, None, None, 1, 2, 3, 9]),
    st.sampled_from([*[None] * 6, Decimal("0"), Decimal("3.50"), Decimal("-1")]),
    # 0: deliver the last accepted event again; 1: reuse its id for this one; else a new id.
    st.integers(min_value=0, max_value=6),
)


def make_event(order, index, step, last):
    type, amount_kind, percent, installment, fee, repeat = step
    if repeat == 0 and last is not None:
        return last
    event_id = last.id if repeat == 1 and last is not None else f"ev-{index}"
    order = Order.objects.get(pk=order.pk)
    # Shares of what the event could take, so that most events fit and some do not.
    base = order.open_amount if type == EventType.PAYMENT_RECEIVED else order.paid_amount
    amount = {
        "none": None,
        "share": max(CENT, (base * percent / 100).quantize(CENT, rounding=ROUND_DOWN)),
        "zero": Decimal("0"),
        "negative": Decimal("-5.00"),
        "fraction": Decimal("0.005"),
        "too_much": base + CENT,
    }[amount_kind]
    return events.Event(event_id, type, date(2026, 3, 1), amount, installment, fee)


def snapshot(order):
    order = Order.objects.get(pk=order.pk)
    rows = list(order.installments.values_list("sequence", "amount", "paid_amount", "state"))
    return (order.amount, order.paid_amount, order.cancellation_costs, order.status, rows)


def check_invariants(order):
    amount, paid, costs, status, rows = snapshot(order)
    assert amount == sum(r[1] for r in rows) and paid == sum(r[2] for r in rows)
    for _seq, inst_amount, inst_paid, _state in rows:
        assert 0 <= inst_paid <= inst_amount
    order = Order.objects.get(pk=order.pk)
    assert order.paid_amount + order.open_amount == order.amount
    assert order.open_amount >= 0 and costs >= 0
    if status != OrderStatus.CANCELLED:
        assert (status == OrderStatus.PAID) == (order.open_amount == 0)


@pytest.mark.django_db
@settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    plan=st.sampled_from([None, 2, 3, 5]),
    amount=st.sampled_from(["100.00", "99.99", "0.05", "1234.56"]),
    sequence=st.lists(steps, min_size=5, max_size=15),
)
def test_event_sequences_keep_the_amounts_and_are_idempotent(
    order_factory, support, plan, amount, sequence
):
    with transaction.atomic():
        order = order_factory(amount=amount, count=plan)
        original = Decimal(amount)
        accepted, last = {}, None
        for index, step in enumerate(sequence):
            event = make_event(order, index, step, last)
            before = snapshot(order)
            try:
                result, duplicate = events.deliver(order, support, event)
            except EventIdReused:
                assert event.id in accepted and accepted[event.id][0] != event
                assert snapshot(order) == before
                continue
            except (ValidationError, DomainError):
                assert snapshot(order) == before
                continue
            after = snapshot(order)
            if duplicate:
                assert accepted[event.id] == (event, result) and after == before
                continue
            assert event.id not in accepted
            accepted[event.id], last = (event, result), event
            # Only refunds and cancellations lower the amount, by exactly what they say.
            if event.type == EventType.REFUND:
                assert before[0] - after[0] == event.amount
            elif event.type == EventType.ORDER_CANCELLED:
                assert before[0] - after[0] == before[0] - before[1]
                assert after[3] == OrderStatus.CANCELLED
            else:
                assert after[0] == before[0]
            assert after[2] - before[2] == (event.fee or 0)
            check_invariants(order)
        check_invariants(order)
        assert snapshot(order)[0] <= original
        final = snapshot(order)
        for event, result in accepted.values():
            again, duplicate = events.deliver(order, support, event)
            assert duplicate and again == result
        assert snapshot(order) == final
        transaction.set_rollback(True)
