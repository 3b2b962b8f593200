from django.apps import AppConfig


class CustomersConfig(AppConfig):
    name = "standing.customers"
    verbose_name = "Customers"

    def ready(self):
        from standing.core import tick

        from . import outbox, tasks  # noqa: F401  (tasks: the outbox's renderers)

        tick.register(outbox.sweep)
