from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def screening_settings():
    """The screening settings, for the read-only section on the settings page."""
    return {
        name: getattr(settings, name)
        for name in dir(settings)
        if name.startswith("SCREENING_") and "PASSWORD" not in name
    }
