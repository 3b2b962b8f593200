from django import template
from django.conf import settings

from ..verified import ACTIONS

register = template.Library()


@register.simple_tag
def verified_settings():
    return {
        "actions": [ACTIONS[name][0] for name in settings.VERIFIED_ACTIONS],
        "auto_activate": settings.AUTO_ACTIVATE_VERIFIED,
        "provider": settings.PAYMENT_PROVIDER,
    }
