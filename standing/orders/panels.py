"""The customer card's order panels: all orders ("Vorgänge"), open payments and balances.
A vendor user sees only rows of their own vendor's orders (through ``scoped``)."""

from django.utils import timezone

from standing.accounts.scoping import BACK_OFFICE, scoped
from standing.customers.panels import Panel, register

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


# Vendor users see these panels too: their content is scoped to the vendor's own orders.
register(Panel("orders", "orders/panel_orders.html", orders_context, order=20, roles=BACK_OFFICE))
register(
    Panel(
        "open_payments",
        "orders/panel_payments.html",
        payments_context,
        order=25,
        roles=BACK_OFFICE,
    )
)
# The customer's own page (/me/): their due payments, without links into the back office.
register(
    Panel(
        "my_payments",
        "orders/portal_payments.html",
        payments_context,
        column="portal",
        order=20,
        roles=frozenset({"customer"}),
    )
)
