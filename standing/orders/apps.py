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
        from standing.core.context_processors import NAVIGATION
        from standing.core.demo import DEMO_STEPS

        from . import demo, panels  # noqa: F401  (panels register themselves)

        NAVIGATION.append((_("Orders"), "orders:list", {Role.ADMIN, Role.SUPPORT, Role.VENDOR}))
        DEMO_STEPS.append(demo.demo_orders)
