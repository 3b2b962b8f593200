from django import template

from ..forms import ProductForm
from ..models import Product

register = template.Library()


@register.inclusion_tag("rentals/price_list.html", takes_context=True)
def price_list(context):
    """The settings section's table: core's settings view knows nothing of products."""
    return {
        "products": Product.objects.select_related("vendor"),
        "form": ProductForm(),
        "csrf_token": context.get("csrf_token"),
    }
