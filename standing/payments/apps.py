from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    name = "standing.payments"
    verbose_name = "Payments"

    def ready(self):
        from standing.activity import display

        from .models import LinkStatus

        display.label_fields(
            {"purpose": _("purpose"), "url": _("address"), "reference": _("reference")}
        )
        display.label_values("status", LinkStatus, prefix="payment_link")
        from standing.core import tick

        from .services import expire_links

        tick.register(expire_links)
