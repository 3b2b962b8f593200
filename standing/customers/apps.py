from django.apps import AppConfig


class CustomersConfig(AppConfig):
    name = "standing.customers"
    verbose_name = "Customers"
