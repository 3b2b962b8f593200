"""The settings page's form ("Inkasso (Beta)"): the fields of ``CollectionSettings``; the rules
(30-day rule of the dunning option, limits) stay in ``services.change_settings``."""

from django import forms
from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from standing.core.forms import BootstrapMixin
from standing.orders.models import OrderItem, Product

from .models import DunningOption

PRODUCT_CHOICES_LIMIT = 500


def product_choices(vendor, excluded):
    """(sku, label) of the vendor's products: its catalogue and the SKUs of its orders (the
    most ordered first is not needed: sorted by SKU), plus any SKU excluded already."""
    names = dict(
        Product.objects.filter(vendor=vendor)
        .order_by("sku")
        .values_list("sku", "name")[:PRODUCT_CHOICES_LIMIT]
    )
    for sku, name in (
        OrderItem.objects.filter(order__vendor=vendor)
        .values("sku")
        .annotate(name=Max("name"))
        .order_by("sku")
        .values_list("sku", "name")[:PRODUCT_CHOICES_LIMIT]
    ):
        names.setdefault(sku, name)
    for sku in excluded:
        names.setdefault(sku, "")
    return [(sku, f"{sku} · {name}" if name else sku) for sku, name in sorted(names.items())]


class CollectionSettingsForm(BootstrapMixin, forms.Form):
    enabled = forms.BooleanField(label=_("Takes part in dunning and collection"), required=False)
    excluded_products = forms.MultipleChoiceField(
        label=_("Excluded products"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Claims on orders with one of these products are listed but never dunned."),
    )
    other_products = forms.CharField(
        label=_("Further excluded SKUs"),
        required=False,
        max_length=2000,
        help_text=_("SKUs not listed above, separated by commas."),
    )
    dunning_option = forms.ChoiceField(
        label=_("Dunning option"),
        choices=DunningOption.choices,
        widget=forms.RadioSelect,
        help_text=_("Can be changed only once every 30 days."),
    )
    auto_handover = forms.BooleanField(
        label=_("Automatic handover of new overdue claims"),
        required=False,
        help_text=_(
            "On: dunning starts without review and the claim goes to the agency after the "
            "second letter without approval. Off: you review each claim and approve each "
            "handover."
        ),
    )
    auto_handover_chargebacks = forms.BooleanField(
        label=_("Automatic handover of chargebacks"), required=False
    )
    first_letter_after_days = forms.IntegerField(
        label=_("First letter after days overdue"), min_value=0, max_value=365
    )
    second_letter_after_days = forms.IntegerField(
        label=_("Second letter, days after the first"), min_value=0, max_value=365
    )
    handover_after_days = forms.IntegerField(
        label=_("Handover, days after the second letter"), min_value=0, max_value=365
    )
    fee_first_letter = forms.CharField(label=_("Fee of the first letter (EUR)"), max_length=20)
    fee_second_letter = forms.CharField(label=_("Fee of the second letter (EUR)"), max_length=20)

    def __init__(self, *args, vendor, row, **kwargs):
        initial = {
            "enabled": row.enabled,
            "excluded_products": list(row.excluded_products or []),
            "dunning_option": row.dunning_option,
            "auto_handover": row.auto_handover,
            "auto_handover_chargebacks": row.auto_handover_chargebacks,
            "first_letter_after_days": row.first_letter_after_days,
            "second_letter_after_days": row.second_letter_after_days,
            "handover_after_days": row.handover_after_days,
            "fee_first_letter": str(row.fee_first_letter),
            "fee_second_letter": str(row.fee_second_letter),
        }
        super().__init__(*args, initial=initial, **kwargs)
        self.fields["excluded_products"].choices = product_choices(
            vendor, row.excluded_products or []
        )

    def values(self):
        """The cleaned values as ``change_settings`` takes them."""
        data = dict(self.cleaned_data)
        other = [s.strip() for s in data.pop("other_products", "").split(",") if s.strip()]
        data["excluded_products"] = [*data["excluded_products"], *other]
        return data
