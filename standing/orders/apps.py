from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrdersConfig(AppConfig):
    name = "standing.orders"
    verbose_name = "Orders"

    def ready(self):
        from standing.activity import display

        from .models import OrderStatus, PaymentMethod

        display.label_fields(
            {
                "order": _("order"),
                "amount": _("amount"),
                "paid_amount": _("paid"),
                "open_amount": _("open"),
                "payment_method": _("payment method"),
                "installments": _("installments"),
                "event": _("payment event"),
                "vendor": _("vendor"),
            }
        )
        display.money_fields("amount", "paid_amount", "open_amount", "total")
        display.label_values("status", OrderStatus, prefix="order")
        display.label_values("payment_method", PaymentMethod)
        from standing.accounts.models import Role
        from standing.accounts.scoping import BACK_OFFICE
        from standing.core.context_processors import NAVIGATION
        from standing.core.demo import DEMO_STEPS
        from standing.customers.panels import PANELS, Panel

        from . import demo
        from .panels import orders_context, payments_context

        # Vendor users see these panels too: their content is scoped to the vendor's own orders.
        PANELS.register(
            Panel("orders", "orders/panel_orders.html", orders_context, order=20, roles=BACK_OFFICE)
        )
        PANELS.register(
            Panel(
                "open_payments",
                "orders/panel_payments.html",
                payments_context,
                order=25,
                roles=BACK_OFFICE,
            )
        )
        # The customer's own page (/me/): their due payments, without links into the back office.
        PANELS.register(
            Panel(
                "my_payments",
                "orders/portal_payments.html",
                payments_context,
                column="portal",
                order=20,
                roles=frozenset({"customer"}),
            )
        )
        NAVIGATION.register(
            (_("Orders"), "orders:list", {Role.ADMIN, Role.SUPPORT, Role.VENDOR}),
            key="orders:list",
        )
        DEMO_STEPS.register(demo.demo_orders, key="orders")
