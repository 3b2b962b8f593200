from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CustomersConfig(AppConfig):
    name = "standing.customers"
    verbose_name = "Customers"

    def ready(self):
        from standing.accounts.backends import CUSTOMER_LOGIN_CHECKS
        from standing.accounts.models import Role
        from standing.activity import display
        from standing.core import tick
        from standing.core.context_processors import NAVIGATION

        from . import outbox, standing, tasks  # noqa: F401  (tasks: the outbox's renderers)
        from .card_panels import OWN_PANELS
        from .models import Customer, CustomerStatus, Grant, Permission
        from .panels import PANELS

        display.label_fields(
            {
                field.name: field.verbose_name
                for field in Customer._meta.concrete_fields
                if field.editable
            }
        )
        display.label_fields({perm.value: perm.label for perm in Permission})
        display.label_fields({"attachments": _("attachments"), "group": _("customer group")})
        display.label_values("status", CustomerStatus, prefix="status")
        display.label_values("status", CustomerStatus, prefix="customer")
        display.label_values("kind", Customer._meta.get_field("kind").choices, prefix="customer")
        for perm in Permission:
            display.label_values(perm.value, Grant, prefix="customer")

        tick.register(outbox.sweep)
        NAVIGATION.register(
            (_("Customers"), "customers:list", {Role.ADMIN, Role.SUPPORT, Role.VENDOR}),
            key="customers:list",
            order=20,
        )
        CUSTOMER_LOGIN_CHECKS.register(standing.may_log_in, key="customers.standing")
        for panel in OWN_PANELS:
            PANELS.register(panel)
