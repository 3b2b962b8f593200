from django import template

from ..normalize import iban_display, phone_display

register = template.Library()


@register.filter
def phone(value):
    """``{{ customer.phone|phone }}`` → "+49 171 1234567"."""
    return phone_display(value)


@register.filter
def iban(value):
    """``{{ customer.iban|iban }}`` → "DE89 3704 0044 0532 0130 00"."""
    return iban_display(value)
