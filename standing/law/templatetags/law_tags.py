from django import template
from django.utils import timezone

from standing.law import rates

register = template.Library()


@register.simple_tag
def base_rate_status():
    """The table's end, the next rate to enter and the last rows, for the settings section."""
    table = rates.base_rate_table()
    until = rates.known_until(table)
    return {
        "known_until": until,
        "next": rates.next_half_year(table[-1].valid_from),
        "behind": timezone.localdate() > until,
        "recent": table[-4:][::-1],
    }
