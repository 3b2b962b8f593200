from django.apps import AppConfig


class RentalsConfig(AppConfig):
    name = "standing.rentals"
    verbose_name = "Rentals"

    def ready(self):
        from standing.core.demo import DEMO_STEPS

        from . import panels  # noqa: F401  (registers the card panels and settings section)
        from .demo import demo_rentals

        # After the orders' step (orders come first in INSTALLED_APPS): it needs their orders.
        DEMO_STEPS.append(demo_rentals)
