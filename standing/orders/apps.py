from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrdersConfig(AppConfig):
    name = "standing.orders"
    verbose_name = "Orders"

    def ready(self):
        from standing.accounts.models import Role
        from standing.core.context_processors import NAVIGATION
        from standing.core.demo import DEMO_STEPS

        from . import demo, panels  # noqa: F401  (panels register themselves)

        NAVIGATION.append((_("Orders"), "orders:list", {Role.ADMIN, Role.SUPPORT, Role.VENDOR}))
        DEMO_STEPS.append(demo.demo_orders)
