from django import template

from standing.core.money import format_money

register = template.Library()


@register.filter
def money(amount, currency=None):
    """``{{ order.amount|money }}`` → "1.234,56 €" (German), "€1,234.56" (English)."""
    return format_money(amount, currency=currency)
