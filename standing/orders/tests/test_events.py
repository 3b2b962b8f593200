"""Each payment event's effect on installments and amounts, and what is refused."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from standing.activity.models import ActivityRecord
from standing.orders.events import EventIdReused, EventRejected
from standing.orders.models import InstallmentState as I
from standing.orders.models import Order, OrderStatus, PaymentEvent


def states(order):
    return [i.state for i in order.installments.order_by("sequence")]


def paid(order):
    return [str(i.paid_amount) for i in order.installments.order_by("sequence")]


def fresh(order):
    return Order.objects.get(pk=order.pk)


def test_payments_fill_installments_oldest_first_and_settle(order_factory, deliver):
    order = order_factory(amount="100.00", count=3)
    result, duplicate = deliver(order, "payment_received", amount="40.00")
    assert duplicate is False
    assert paid(order) == ["33.33", "6.67", "0.00"]
    assert states(order) == [I.PAID, I.OPEN, I.OPEN]
    assert result["paid_amount"] == "40.00" and result["open_amount"] == "60.00"
    deliver(order, "payment_received", amount="60.00")
    order = fresh(order)
    assert order.status == OrderStatus.PAID and order.open_amount == 0
    assert states(order) == [I.PAID] * 3


def test_payment_to_a_named_installment(order_factory, deliver):
    order = order_factory(amount="100.00", count=3)
    deliver(order, "payment_received", amount="33.34", installment=3)
    assert states(order) == [I.OPEN, I.OPEN, I.PAID]


def test_failed_then_recovered(order_factory, deliver):
    order = order_factory(amount="90.00", count=3)
    deliver(order, "payment_failed", fee="3.00")
    assert states(order) == [I.FAILED, I.OPEN, I.OPEN]
    assert fresh(order).cancellation_costs == Decimal("3.00")
    deliver(order, "payment_received", amount="30.00", installment=1)
    assert states(order) == [I.PAID, I.OPEN, I.OPEN]


def test_chargeback_reopens_the_amount_and_keeps_the_fee_apart(order_factory, deliver):
    order = order_factory(amount="50.00")
    deliver(order, "payment_received", amount="50.00")
    assert fresh(order).status == OrderStatus.PAID
    deliver(order, "chargeback", fee="7.50")
    order = fresh(order)
    assert order.status == OrderStatus.OPEN
    assert (order.amount, order.paid_amount, order.open_amount) == (
        Decimal("50.00"),
        Decimal("0.00"),
        Decimal("50.00"),
    )
    assert order.cancellation_costs == Decimal("7.50")
    assert states(order) == [I.CHARGED_BACK]


def test_partial_chargeback(order_factory, deliver):
    order = order_factory(amount="60.00", count=2)
    deliver(order, "payment_received", amount="60.00")
    deliver(order, "chargeback", amount="10.00", installment=1)
    assert paid(order) == ["20.00", "30.00"] and states(order) == [I.CHARGED_BACK, I.PAID]


def test_stop_from_an_installment_on(order_factory, deliver):
    order = order_factory(amount="120.00", count=4)
    deliver(order, "payment_received", amount="30.00")
    deliver(order, "installments_stopped", installment=3)
    assert states(order) == [I.PAID, I.OPEN, I.STOPPED, I.STOPPED]
    assert fresh(order).open_amount == Decimal("90.00")


def test_cancel_writes_off_the_unpaid_part(order_factory, deliver):
    order = order_factory(amount="100.00", count=4)
    deliver(order, "payment_received", amount="30.00")
    deliver(order, "order_cancelled")
    order = fresh(order)
    assert order.status == OrderStatus.CANCELLED
    assert (order.amount, order.paid_amount, order.open_amount) == (
        Decimal("30.00"),
        Decimal("30.00"),
        Decimal("0.00"),
    )
    assert order.original_amount == Decimal("100.00")
    assert states(order) == [I.PAID, I.CANCELLED, I.CANCELLED, I.CANCELLED]
    # Only a refund still applies to a cancelled order.
    with pytest.raises(EventRejected, match="cancelled"):
        deliver(order, "payment_received", amount="1.00")
    deliver(order, "refund", amount="30.00")
    order = fresh(order)
    assert (order.amount, order.paid_amount) == (Decimal("0.00"), Decimal("0.00"))


def test_refund_lowers_paid_and_amount_together(order_factory, deliver):
    order = order_factory(amount="100.00", count=2)
    deliver(order, "payment_received", amount="70.00")
    deliver(order, "refund", amount="30.00")
    order = fresh(order)
    assert (order.amount, order.paid_amount, order.open_amount) == (
        Decimal("70.00"),
        Decimal("40.00"),
        Decimal("30.00"),
    )
    # Taken from the latest paid installment first.
    assert [str(i.amount) for i in order.installments.all()] == ["40.00", "30.00"]


@pytest.mark.parametrize(
    ("type", "fields", "error"),
    [
        ("payment_received", {"amount": "100.01"}, ValidationError),
        ("payment_received", {}, ValidationError),
        ("payment_received", {"amount": "0"}, ValidationError),
        ("payment_received", {"amount": "-5"}, ValidationError),
        ("payment_received", {"amount": "1.005"}, ValidationError),
        ("payment_received", {"amount": "1", "installment": 9}, ValidationError),
        ("payment_received", {"amount": "1", "fee": "2"}, ValidationError),
        ("refund", {"amount": "0.01"}, ValidationError),
        ("chargeback", {}, EventRejected),
        ("teleported", {}, ValidationError),
    ],
)
def test_refused_events_change_nothing(order_factory, deliver, type, fields, error):
    order = order_factory(amount="100.00", count=2)
    before = (fresh(order).__dict__.copy(), paid(order), states(order))
    log = ActivityRecord.objects.count()
    with pytest.raises(error):
        deliver(order, type, id="same-id", **fields)
    after = fresh(order).__dict__.copy()
    before[0].pop("_state"), after.pop("_state")
    assert (after, paid(order), states(order)) == before
    assert not PaymentEvent.objects.exists() and ActivityRecord.objects.count() == log
    # The refused id stays free for a correct delivery.
    deliver(order, "payment_received", id="same-id", amount="1.00")


def test_same_id_twice_applies_once(order_factory, deliver):
    order = order_factory(amount="100.00")
    first, dup1 = deliver(order, "payment_received", id="pp-1", amount="25.00")
    again, dup2 = deliver(order, "payment_received", id="pp-1", amount="25.00")
    assert (dup1, dup2) == (False, True) and first == again
    assert fresh(order).paid_amount == Decimal("25.00")
    assert PaymentEvent.objects.count() == 1


def test_id_reused_for_another_event(order_factory, deliver):
    order = order_factory(amount="100.00")
    deliver(order, "payment_received", id="pp-1", amount="25.00")
    with pytest.raises(EventIdReused):
        deliver(order, "payment_received", id="pp-1", amount="26.00")
    with pytest.raises(EventIdReused):
        deliver(order_factory(), "payment_received", id="pp-1", amount="25.00")


def test_events_are_logged_on_the_card(order_factory, deliver):
    order = order_factory(amount="100.00")
    deliver(order, "payment_received", amount="100.00", on=date(2026, 1, 10))
    actions = list(order.customer.activity.values_list("action", flat=True))
    assert "payment.payment_received" in actions and "order.paid" in actions
    assert "order.created" in actions
