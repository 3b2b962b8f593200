from django import template
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from ..verified import ACTIONS

register = template.Library()

PROVIDERS = {
    "sandbox": _("sandbox: our own payment page for demos and tests, no real money"),
    "paypal": _("PayPal"),
}


@register.simple_tag
def verified_settings():
    return {
        "actions": [ACTIONS[name][0] for name in settings.VERIFIED_ACTIONS],
        "auto_activate": settings.AUTO_ACTIVATE_VERIFIED,
        "provider": settings.PAYMENT_PROVIDER,
        "provider_label": PROVIDERS.get(settings.PAYMENT_PROVIDER, settings.PAYMENT_PROVIDER),
    }
