from django import template

from standing.blocks.models import BlockReason

register = template.Library()


@register.simple_tag
def block_reasons():
    """The whole reason list, for the settings section (its page knows nothing of blocks)."""
    return BlockReason.objects.order_by("-active", "label")
