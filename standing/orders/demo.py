"""Demo orders for ``standing demo``: both demo vendors get one-time and installment orders,
paid, overdue, failed, charged back, stopped and cancelled ones, rented objects, a damage case
and vouchers, so that dunning has real work. Idempotent: numbers and event ids are fixed, and
an existing order is left as it is."""

from datetime import datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from standing.accounts.scoping import SYSTEM
from standing.core.money import round_money
from standing.customers.models import Customer, CustomerStatus
from standing.rentals import services as rentals
from standing.rentals.models import DamageCase, Product, Voucher

from . import events, services
from .models import ItemKind, Order, PaymentMethod, PlanKind

NORD, SUED = "Autovermietung Nord GmbH", "FitnessWelt Süd GmbH"
PRODUCTS = {
    NORD: [
        ("KW-S", "Kleinwagen (VW Polo o. ä.)", ItemKind.RENTAL, "39.00"),
        ("KOMBI-M", "Kombi (Skoda Octavia o. ä.)", ItemKind.RENTAL, "59.00"),
        ("TRANS-L", "Transporter (VW Crafter)", ItemKind.RENTAL, "89.00"),
        ("KINDERSITZ", "Kindersitz", ItemKind.RENTAL, "8.00"),
    ],
    SUED: [
        ("MITGL-12", "Mitgliedschaft Premium 12 Monate", ItemKind.SALE, "599.88"),
        ("MITGL-6", "Mitgliedschaft Basic 6 Monate", ItemKind.SALE, "179.94"),
        ("PT-10", "Personal Training 10er-Karte", ItemKind.SALE, "450.00"),
    ],
}
# (plan: days from today to the first due date, count or None for one-time, method, story)
SCENARIOS = [
    (-40, None, PaymentMethod.CARD, "paid"),
    (-20, None, PaymentMethod.INVOICE, "unpaid"),
    (-75, 6, PaymentMethod.SEPA_DIRECT_DEBIT, "paid_so_far"),
    (-75, 6, PaymentMethod.SEPA_DIRECT_DEBIT, "failed"),
    (-105, 12, PaymentMethod.SEPA_DIRECT_DEBIT, "chargeback"),
    (-50, 6, PaymentMethod.CARD, "stopped"),
    (-30, None, PaymentMethod.PAYPAL, "cancelled"),
    (-25, None, PaymentMethod.PAYPAL, "chargeback"),
    (-100, 4, PaymentMethod.SEPA_DIRECT_DEBIT, "partial"),
    (10, 3, PaymentMethod.PAYPAL, "future"),
]


def demo_orders(command, users, vendors):
    today = timezone.localdate()
    for vendor_name, prefix in ((NORD, "AN"), (SUED, "FW")):
        vendor = vendors[vendor_name]
        for sku, name, kind, price in PRODUCTS[vendor_name]:
            Product.objects.get_or_create(
                vendor=vendor, sku=sku, defaults={"name": name, "kind": kind, "list_price": price}
            )
        customers = list(
            Customer.objects.filter(
                vendor_links__vendor=vendor, status=CustomerStatus.ACTIVE
            ).order_by("id")[: len(SCENARIOS) * 2]
        )
        created = 0
        for n, customer in enumerate(customers):
            number = f"{prefix}-2026-{n + 1:04d}"
            if Order.objects.filter(number=number).exists():
                continue
            _order(vendor_name, vendor, customer, number, n, today)
            created += 1
        if created:
            command.stdout.write(f"Demo orders for {vendor_name}: {created} new.")
    _extras(vendors[NORD], today)


def _order(vendor_name, vendor, customer, number, n, today):
    first_offset, count, method, story = SCENARIOS[n % len(SCENARIOS)]
    sku, name, kind, price = PRODUCTS[vendor_name][n % len(PRODUCTS[vendor_name])]
    first_due = today + timedelta(days=first_offset)
    if kind == ItemKind.RENTAL:
        days = 3 + n % 11
        amount = Decimal(price) * days
        period = (first_due - timedelta(days=days + 2), first_due - timedelta(days=2))
    else:
        amount, period = Decimal(price), (None, None)
    created = timezone.make_aware(datetime.combine(first_due - timedelta(days=14), time(10, 30)))
    order = services.create_order(
        SYSTEM,
        number=number,
        vendor=vendor,
        customer=customer,
        amount=amount,
        payment_method=method,
        created_at=created,
        plan_kind=PlanKind.INSTALLMENTS if count else PlanKind.ONE_TIME,
        due=None if count else first_due,
        count=count,
        first_due=first_due if count else None,
        items=[
            {
                "kind": kind,
                "sku": sku,
                "name": name,
                "price": amount,
                "period_from": period[0],
                "period_until": period[1],
                # Rentals that ended more than a month ago came back.
                "returned_on": period[1]
                if period[1] and period[1] < today - timedelta(30)
                else None,
            }
        ],
    )
    _story(order, story, today)


def _send(order, key, type, on, **fields):
    event = events.Event(id=f"demo-{order.number}-{key}", type=type, date=on, **fields)
    events.deliver(order, SYSTEM, event)


def _pay_due(order, today, skip=()):
    for inst in order.installments.order_by("sequence"):
        if inst.due_date <= today and inst.sequence not in skip:
            _send(
                order,
                f"pay{inst.sequence}",
                "payment_received",
                inst.due_date,
                amount=inst.amount,
                installment=inst.sequence,
            )


def _story(order, story, today):
    first = order.installments.order_by("sequence").first()
    if story in ("paid", "paid_so_far"):
        _pay_due(order, today)
    elif story == "failed":
        _pay_due(order, today, skip=(2,))
        _send(
            order,
            "fail2",
            "payment_failed",
            first.due_date + timedelta(days=31),
            installment=2,
            fee=Decimal("3.00"),
        )
    elif story == "chargeback":
        # The first payment comes back nine days later with the bank's fee; later ones pass.
        _send(order, "pay1", "payment_received", first.due_date, amount=first.amount, installment=1)
        _send(
            order,
            "cb1",
            "chargeback",
            first.due_date + timedelta(days=9),
            installment=1,
            fee=Decimal("8.50"),
        )
        _pay_due(order, today, skip=(1,))
    elif story == "stopped":
        _pay_due(order, today, skip=range(2, 100))
        _send(order, "stop", "installments_stopped", first.due_date + timedelta(days=20))
    elif story == "cancelled":
        # A deposit was paid, the order cancelled and the deposit refunded.
        deposit = round_money(order.amount / 5)
        _send(order, "pay", "payment_received", first.due_date, amount=deposit)
        _send(order, "cancel", "order_cancelled", first.due_date + timedelta(days=3))
        _send(order, "refund", "refund", first.due_date + timedelta(days=5), amount=deposit)
    elif story == "partial":
        _send(
            order,
            "part",
            "payment_received",
            first.due_date,
            amount=round_money(first.amount / 2),
        )


def _extras(vendor, today):
    """A damage case and vouchers on the first Autovermietung customer's card."""
    order = Order.objects.filter(number="AN-2026-0001").select_related("customer").first()
    if order is None:
        return
    item = order.items.first()
    if item and not DamageCase.objects.filter(order=order).exists():
        rentals.add_damage(
            item,
            SYSTEM,
            date=today - timedelta(days=35),
            description="Delle in der Heckklappe, beim Rücknahmecheck entdeckt.",
            amount=Decimal("380.00"),
        )
    if not Voucher.objects.filter(code="DEMO-SOMMER10").exists():
        rentals.add_voucher(
            order.customer,
            SYSTEM,
            vendor=vendor,
            code="DEMO-SOMMER10",
            percent=Decimal("10"),
            valid_until=today + timedelta(days=90),
        )
        rentals.add_voucher(
            order.customer,
            SYSTEM,
            vendor=vendor,
            code="DEMO-TREUE20",
            value=Decimal("20.00"),
            valid_until=today + timedelta(days=365),
        )
