from django.apps import AppConfig


class RentalsConfig(AppConfig):
    name = "standing.rentals"
    verbose_name = "Rentals"

    def ready(self):
        from . import panels  # noqa: F401  (registers the card panels and settings section)
