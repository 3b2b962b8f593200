from django.apps import AppConfig


class VendorsConfig(AppConfig):
    name = "standing.vendors"
    verbose_name = "Vendors"
