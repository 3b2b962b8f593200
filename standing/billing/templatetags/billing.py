from django import template

from ..models import CostGroup

register = template.Library()


@register.simple_tag
def cost_groups():
    """For the settings section, which the core settings page renders without our context."""
    return CostGroup.objects.prefetch_related("cost_types")
