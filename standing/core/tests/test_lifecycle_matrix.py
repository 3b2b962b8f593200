"""Every lifecycle of the product on the one engine, walked through its full from × to matrix:
a pair in the table moves (a conditional UPDATE and a transition row), every other pair is
refused with TransitionNotAllowed and changes nothing, and ``allowed()`` agrees with both."""

from contextlib import nullcontext
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import timezone

from standing.billing.models import CostGroup, CostType
from standing.blocks import services as blocks
from standing.core import lifecycle
from standing.core.models import StateTransition
from standing.customers import lifecycle as customers
from standing.customers import staff_tasks
from standing.customers.models import StaffTask
from standing.deposits import services as deposits
from standing.deposits.models import DepositOffer
from standing.orders import lifecycle as orders
from standing.orders import services as order_services
from standing.orders.models import ItemKind, OrderItem, PaymentMethod, PlanKind
from standing.payments import services as payments
from standing.payments.models import PaymentLink
from standing.rentals import services as rentals
from standing.rentals.models import DamageCase
from standing.screening import services as screening
from standing.screening.models import DenyEntry, Finding, ReasonKind, Screening


def _order(customer, vendor, actor, count=None):
    return order_services.create_order(
        actor,
        number=f"M-{customer.pk}-{count}",
        vendor=vendor,
        customer=customer,
        amount=Decimal("100.00"),
        payment_method=PaymentMethod.SEPA_DIRECT_DEBIT,
        created_at=timezone.now(),
        plan_kind=PlanKind.INSTALLMENTS if count else PlanKind.ONE_TIME,
        due=None if count else date(2026, 1, 15),
        count=count,
        first_due=date(2026, 1, 31) if count else None,
        items=[
            {
                "kind": ItemKind.SALE,
                "sku": "E-BIKE",
                "name": "E-Bike",
                "price": Decimal("100.00"),
                "period_from": None,
                "period_until": None,
            }
        ],
    )


def _customer(ctx):
    return ctx["customer"]


def _order_obj(ctx):
    return _order(ctx["customer"], ctx["vendor"], ctx["actor"])


def _installment(ctx):
    return _order(ctx["customer"], ctx["vendor"], ctx["actor"], count=2).installments.first()


def _block(ctx):
    return blocks.block_customer(
        ctx["customer"], ctx["actor"], reason="missing_documents", duration="indefinite", note="x"
    )


def _rental_item(ctx):
    order = _order(ctx["customer"], ctx["vendor"], ctx["actor"])
    return OrderItem.objects.create(
        order=order,
        kind=ItemKind.RENTAL,
        sku="CAR",
        name="Kleinwagen",
        price=Decimal("10.00"),
        rental_state="out",
    )


def _item_fields(state, ctx):
    return {"returned_on": date(2026, 1, 9) if state == "returned" else None}


def _block_fields(state, ctx):
    """What a block's check constraints ask of each status."""
    now = timezone.now()
    lifted = state == "lifted"
    return {
        "starts_at": now - timedelta(days=2),
        "ends_at": now - timedelta(days=1),
        "lifted_at": now if lifted else None,
        "lifted_by": ctx["actor"].user if lifted else None,
        "lift_reason": "matrix" if lifted else "",
        "expiry_logged_at": now if state == "expired" else None,
    }


def _no_fields(state, ctx):
    return {}


def _offer(ctx):
    group, _ = CostGroup.objects.get_or_create(name="Matrix")
    cost_type, _ = CostType.objects.get_or_create(
        code="matrix", defaults={"name": "Matrix", "group": group}
    )
    return DepositOffer.objects.create(
        customer=ctx["customer"], amount=Decimal("10.00"), billing_step="none", cost_type=cost_type
    )


def _link(ctx):
    return PaymentLink.objects.create(
        customer=ctx["customer"],
        amount=Decimal("10.00"),
        purpose="Matrix",
        provider="sandbox",
        expires_at=timezone.now() + timedelta(days=1),
    )


def _damage(ctx):
    return DamageCase.objects.create(
        customer=ctx["customer"],
        vendor=ctx["vendor"],
        object_name="Kleinwagen",
        date=date(2026, 1, 5),
        description="Kratzer",
        amount=Decimal("50.00"),
    )


def _finding(ctx):
    entry = DenyEntry.objects.create(last_name="Matrix")
    run = Screening.objects.create(
        customer=ctx["customer"], trigger="denylist", outcome="review", actor_label="t"
    )
    return Finding.objects.create(
        screening=run,
        customer=ctx["customer"],
        kind=ReasonKind.DENYLIST,
        attribute="last_name",
        entry=entry,
        state="review",
    )


def _task(ctx):
    return StaffTask.objects.create(customer=ctx["customer"], title="Matrix")


# (lifecycle, factory, the other fields each state needs)
LIFECYCLES = [
    (customers.CUSTOMER, _customer, _no_fields),
    (orders.ORDER, _order_obj, _no_fields),
    (orders.INSTALLMENT, _installment, _no_fields),
    (blocks.BLOCK, _block, _block_fields),
    (deposits.OFFER, _offer, _no_fields),
    (payments.LINK, _link, _no_fields),
    (rentals.DAMAGE, _damage, _no_fields),
    (rentals.ITEM, _rental_item, _item_fields),
    (screening.FINDING, _finding, _no_fields),
    (staff_tasks.TASK, _task, _no_fields),
]


class _Undo(Exception):
    pass


def _cells(lc):
    return [(frm, to) for frm in lc.states for to in lc.states]


def _reserved(lc, to):
    """Transitions that a card action reserves for itself (a customer's erasure, a merge's
    tombstone) are walked inside that action."""
    if lc is customers.CUSTOMER:
        return customers.card_action({"deleted": "erase", "merged": "merge"}.get(to, ""))
    return nullcontext()


@pytest.mark.parametrize(
    ("lc", "make", "fields"), LIFECYCLES, ids=[lc.name for lc, *_rest in LIFECYCLES]
)
def test_every_lifecycle_walks_its_full_matrix(
    lc, make, fields, customer_factory, vendor1, support
):
    ctx = {"customer": customer_factory(vendor=vendor1), "vendor": vendor1, "actor": support}
    obj = make(ctx)
    manager = lc.model._default_manager
    assert lc.transitions, lc.name
    assert {s for pair in lc.transitions for s in pair} <= set(lc.states)
    moved = refused = 0
    for frm, to in _cells(lc):
        manager.filter(pk=obj.pk).update(**{lc.field: frm}, **fields(frm, ctx))
        obj.refresh_from_db()
        with _reserved(lc, to):
            allowed = to in lc.allowed(obj, support)
        try:
            with transaction.atomic(), _reserved(lc, to):
                try:
                    lc.transition(obj, to, support, reason="matrix", updates=fields(to, ctx))
                except lifecycle.TransitionNotAllowed:
                    assert (frm, to) not in lc.transitions or not allowed, (lc.name, frm, to)
                    assert manager.values_list(lc.field, flat=True).get(pk=obj.pk) == frm
                    refused += 1
                else:
                    assert (frm, to) in lc.transitions and allowed, (lc.name, frm, to)
                    assert manager.values_list(lc.field, flat=True).get(pk=obj.pk) == to
                    row = lc.history(obj).last()
                    assert (row.from_state, row.to_state, row.reason) == (frm, to, "matrix")
                    moved += 1
                raise _Undo
        except _Undo:
            pass
    assert moved == len(lc.transitions)
    assert moved + refused == len(lc.states) ** 2
    assert not StateTransition.objects.filter(lifecycle=lc.name).exists()  # all undone


def test_lifecycle_names_are_unique():
    names = [lc.name for lc, *_rest in LIFECYCLES]
    assert len(names) == len(set(names))
