from django import forms
from django.utils.translation import gettext_lazy as _

from standing.core.forms import BootstrapMixin, ListedModelChoiceField
from standing.orders.models import ItemKind

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def money_field(label, required=True, min_value=0):
    return forms.DecimalField(
        label=label, required=required, max_digits=12, decimal_places=2, min_value=min_value
    )


class ItemForm(BootstrapMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    price = money_field(_("Price"))
    period_from = forms.DateField(label=_("From"), required=False, widget=DATE)
    period_until = forms.DateField(label=_("Until"), required=False, widget=DATE)


class ReturnForm(forms.Form):
    returned_on = forms.DateField(label=_("Returned on"), widget=DATE)


class DamageForm(BootstrapMixin, forms.Form):
    item = ListedModelChoiceField(label=_("Object"), queryset=None)
    date = forms.DateField(label=_("Date"), widget=DATE)
    description = forms.CharField(label=_("Description"), max_length=2000)
    amount = money_field(_("Amount"))

    def __init__(self, *args, items=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = items


class VoucherForm(BootstrapMixin, forms.Form):
    vendor = ListedModelChoiceField(label=_("Vendor"), queryset=None)
    code = forms.CharField(label=_("Code"), max_length=40, required=False)
    value = money_field(_("Value (EUR)"), required=False, min_value=0.01)
    percent = forms.DecimalField(
        label=_("Percent"),
        required=False,
        max_digits=5,
        decimal_places=2,
        min_value=0.01,
        max_value=100,
    )
    valid_until = forms.DateField(label=_("Valid until"), required=False, widget=DATE)

    def __init__(self, *args, vendors=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["vendor"].queryset = vendors


class ProductForm(BootstrapMixin, forms.Form):
    vendor = forms.ModelChoiceField(label=_("Vendor"), queryset=None)
    sku = forms.CharField(label=_("SKU"), max_length=64)
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=ItemKind.choices)
    list_price = money_field(_("List price"))

    def __init__(self, *args, **kwargs):
        from standing.vendors.models import Vendor

        super().__init__(*args, **kwargs)
        self.fields["vendor"].queryset = Vendor.objects.all()
