"""The customer card's order panels: all orders ("Vorgänge"), open payments and balances.
A vendor user sees only rows of their own vendor's orders (through ``scoped``)."""

from django.utils import timezone

from standing.accounts.scoping import scoped

from . import services
from .models import Order


def _orders(actor):
    return scoped(Order.objects.select_related("vendor"), actor)


def orders_context(request, customer, actor):
    # One query: the customer's orders, each with the day it fell overdue (None if not).
    orders = services.with_overdue_since(
        timezone.localdate(), _orders(actor).filter(customer=customer)
    )
    return {"orders": list(orders.order_by("-created_at"))}


def payments_context(request, customer, actor):
    today = timezone.localdate()
    orders = _orders(actor)
    return {
        "open_payments": services.open_payments(customer, orders, today),
        "balances": services.balances(customer, orders, today),
    }
