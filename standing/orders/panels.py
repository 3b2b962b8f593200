"""The customer card's order panels: all orders ("Vorgänge"), open payments and balances.
A vendor user sees only rows of their own vendor's orders (through ``scoped``)."""

from django.utils import timezone

from standing.accounts.scoping import scoped

from . import services
from .models import Order


def _orders(actor):
    return scoped(Order.objects.select_related("vendor"), actor)


def orders_context(request, customer, actor):
    today = timezone.localdate()
    orders = _orders(actor).filter(customer=customer)
    overdue = dict(
        services.overdue_orders(today, orders.select_related(None)).values_list(
            "pk", "overdue_since"
        )
    )
    rows = list(orders.order_by("-created_at"))
    for order in rows:
        order.overdue_since = overdue.get(order.pk)
    return {"orders": rows}


def payments_context(request, customer, actor):
    today = timezone.localdate()
    orders = _orders(actor)
    return {
        "open_payments": services.open_payments(customer, orders, today),
        "balances": services.balances(customer, orders, today),
    }
