from django import template
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext_lazy as _

from standing.customers.models import Customer

register = template.Library()


PROVIDERS = {
    "sandbox": _("sandbox bureau for demos and tests (answers from test data, no network)"),
    "rules": _("built-in rules (minimum age, required fields, score)"),
    "http": _("a credit bureau over the network"),
}


@register.simple_tag
def screening_settings():
    """The screening settings, for the read-only section on the settings page."""
    values = {
        name: getattr(settings, name)
        for name in dir(settings)
        if name.startswith("SCREENING_") and "PASSWORD" not in name
    }
    values["provider_label"] = PROVIDERS.get(
        settings.SCREENING_CREDIT_PROVIDER, settings.SCREENING_CREDIT_PROVIDER
    )
    values["required_labels"] = [
        str(_field_label(name)) for name in settings.SCREENING_CREDIT_REQUIRED_FIELDS
    ]
    return values


def _field_label(name):
    try:
        return Customer._meta.get_field(name).verbose_name
    except FieldDoesNotExist:
        return name
