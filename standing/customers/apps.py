from django.apps import AppConfig


class CustomersConfig(AppConfig):
    name = "standing.customers"
    verbose_name = "Customers"

    def ready(self):
        from django.utils.translation import gettext_lazy as _

        from standing.accounts.models import Role
        from standing.core import tick
        from standing.core.context_processors import NAVIGATION

        from . import outbox, tasks  # noqa: F401  (tasks: the outbox's renderers)

        tick.register(outbox.sweep)
        entry = (_("Customers"), "customers:list", {Role.ADMIN, Role.SUPPORT, Role.VENDOR})
        if entry[1] not in [name for _label, name, _roles in NAVIGATION]:
            NAVIGATION.insert(0, entry)
