"""Demo data of the rentals app: a damage case and vouchers on the first Autovermietung
customer's card (after the orders' demo step made the orders)."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from standing.accounts.scoping import SYSTEM
from standing.orders.demo import NORD
from standing.orders.models import Order

from . import services as rentals
from .models import DamageCase, Voucher


def demo_rentals(command, users, vendors):
    _extras(vendors[NORD], timezone.localdate())


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
