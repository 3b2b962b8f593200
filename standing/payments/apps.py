from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "standing.payments"
    verbose_name = "Payments"

    def ready(self):
        from standing.core import tick

        from .services import expire_links, retry_pending_links

        tick.register(expire_links)
        tick.register(retry_pending_links)
