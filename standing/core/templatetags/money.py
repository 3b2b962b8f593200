from django import template

from standing.core.money import format_money

register = template.Library()


@register.filter
def money(amount):
    """{{ amount|money }}: 1.234,56 € in German, €1,234.56 in English."""
    return format_money(amount)
