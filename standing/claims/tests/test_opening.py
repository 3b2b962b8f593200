"""Claims open from the payment event that makes money overdue, in its transaction; one per
order; their amounts are derived from the order and the ledger."""

from datetime import date
from decimal import Decimal

import pytest

from standing.claims import run as dunning
from standing.claims.amounts import amounts_of
from standing.claims.models import Claim, ClaimKind, ClaimStatus
from standing.orders.models import PaymentMethod

pytestmark = pytest.mark.django_db


def test_failed_installment_opens_a_claim_with_the_law_figures(collection, make_order, event):
    collection(dunning_option="b")
    order = make_order(amount="300.00", count=3, first_due=date(2026, 1, 31))
    event(order, "payment_failed", date(2026, 1, 31), installment=1, fee="3.00")
    claim = Claim.objects.get(order=order)
    assert claim.kind == ClaimKind.FAILED_INSTALLMENT
    assert claim.status == ClaimStatus.OPEN and claim.waits_for_review
    assert claim.overdue_since == date(2026, 1, 31)
    # § 286 II Nr. 1: in default from the day after the calendar due date.
    assert claim.default_since == date(2026, 2, 1)
    # §§ 195, 199: arose in 2026 → barred from 2030-01-01.
    assert claim.limitation_date == date(2029, 12, 31)
    assert claim.dunning_option == "b" and claim.debtor == "consumer"
    owed = amounts_of(claim, date(2026, 2, 1))
    assert (owed.order_amount, owed.paid_amount, owed.principal) == (
        Decimal("300.00"),
        Decimal("0.00"),
        Decimal("100.00"),
    )
    assert owed.cancellation_costs == Decimal("3.00") and owed.open_total == Decimal("103.00")


def test_a_later_miss_adds_to_the_open_claim(collection, make_order, event):
    order = make_order(count=3)
    event(order, "payment_failed", date(2026, 1, 31), installment=1)
    event(order, "payment_failed", date(2026, 2, 28), installment=2)
    assert Claim.objects.filter(order=order).count() == 1
    claim = Claim.objects.get(order=order)
    assert amounts_of(claim, date(2026, 3, 1)).principal == Decimal("200.00")
    # Measured on a day before the second due date, only the first is owed.
    assert amounts_of(claim, date(2026, 2, 1)).principal == Decimal("100.00")


def test_the_same_event_twice_opens_one_claim(collection, make_order):
    from standing.accounts.scoping import SYSTEM
    from standing.orders import events

    order = make_order()
    same = events.Event(id="once", type="payment_failed", date=date(2026, 1, 31), installment=1)
    events.deliver(order, SYSTEM, same)
    events.deliver(order, SYSTEM, same)
    assert Claim.objects.filter(order=order).count() == 1


def test_chargebacks_name_their_kind_and_follow_their_own_handover_setting(
    collection, make_order, event
):
    collection(auto_handover=False, auto_handover_chargebacks=True)
    one_time = make_order(amount="80.00", count=None, first_due=date(2026, 1, 15))
    event(one_time, "payment_received", date(2026, 1, 15), amount="80.00")
    event(one_time, "chargeback", date(2026, 1, 24), fee="8.50")
    claim = Claim.objects.get(order=one_time)
    assert claim.kind == ClaimKind.CHARGEBACK_ONE_TIME
    assert claim.auto_handover is True
    # Dunning starts without review for an automatic handover.
    assert claim.dunning_started_on is not None and not claim.waits_for_review
    assert amounts_of(claim, date(2026, 2, 1)).open_total == Decimal("88.50")

    plan = make_order(count=2)
    event(plan, "payment_received", date(2026, 1, 31), amount="150.00", installment=1)
    event(plan, "chargeback", date(2026, 2, 5), installment=1)
    assert Claim.objects.get(order=plan).kind == ClaimKind.CHARGEBACK_INSTALLMENT


def test_stopped_installments_open_their_claim_when_they_come_due(collection, make_order, event):
    order = make_order(count=3, first_due=date(2026, 2, 28))
    event(order, "installments_stopped", date(2026, 2, 10))
    assert not Claim.objects.filter(order=order).exists()
    dunning.run(date(2026, 2, 27))
    assert not Claim.objects.filter(order=order).exists()
    outcome = dunning.run(date(2026, 2, 28))
    assert outcome.summary["opened"] == 1
    claim = Claim.objects.get(order=order)
    assert claim.kind == ClaimKind.STOPPED_INSTALLMENTS
    assert claim.overdue_since == date(2026, 2, 28)


def test_an_invoice_past_due_opens_through_the_run(collection, make_order):
    order = make_order(count=None, first_due=date(2026, 3, 10), method=PaymentMethod.INVOICE)
    dunning.run(date(2026, 3, 10))
    assert not Claim.objects.filter(order=order).exists()
    dunning.run(date(2026, 3, 11))
    claim = Claim.objects.get(order=order)
    assert claim.kind == ClaimKind.INVOICE_OVERDUE
    assert claim.default_since == date(2026, 3, 11)
    # A second run that day opens nothing more.
    assert dunning.run(date(2026, 3, 11)).summary["opened"] == 0


def test_paid_in_full_closes_the_claim_with_the_payment(collection, make_order, event):
    order = make_order(count=3)
    event(order, "payment_failed", date(2026, 1, 31), installment=1)
    event(order, "payment_received", date(2026, 2, 3), amount="100.00", installment=1)
    claim = Claim.objects.get(order=order)
    assert claim.status == ClaimStatus.PAID and claim.closed_on == date(2026, 2, 3)
    # A new miss later opens a new claim: the paid one is finished.
    event(order, "payment_failed", date(2026, 2, 28), installment=2)
    assert Claim.objects.filter(order=order).count() == 2


def test_a_cancelled_order_cancels_its_claim(collection, make_order, event):
    order = make_order(count=3)
    event(order, "payment_failed", date(2026, 1, 31), installment=1)
    event(order, "order_cancelled", date(2026, 2, 10))
    claim = Claim.objects.get(order=order)
    assert claim.status == ClaimStatus.CANCELED and claim.closed_on == date(2026, 2, 10)


def test_the_claim_opens_in_the_events_transaction(collection, make_order, event, monkeypatch):
    """If opening the claim fails, the event is not stored either (one transaction)."""
    from standing.claims import services
    from standing.orders.models import PaymentEvent

    order = make_order(count=3)

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(services, "build_claim", broken)
    with pytest.raises(RuntimeError):
        event(order, "payment_failed", date(2026, 1, 31), installment=1)
    assert not PaymentEvent.objects.filter(order=order).exists()
    assert order.installments.get(sequence=1).state == "open"
