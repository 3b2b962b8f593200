from django import forms
from django.utils.translation import gettext_lazy as _

from standing.core.forms import BootstrapMixin

from .models import BillingStep
from .services import deposit_cost_types


class DepositOfferForm(BootstrapMixin, forms.Form):
    amount = forms.DecimalField(
        label=_("Deposit amount (EUR)"), min_value=0.01, max_digits=12, decimal_places=2
    )
    billing_step = forms.ChoiceField(
        label=_("Billing step"), choices=BillingStep.choices, initial=BillingStep.RECEIPT
    )
    cost_type = forms.ModelChoiceField(
        label=_("Cost type"), queryset=deposit_cost_types(), to_field_name="code", empty_label=None
    )
    payment_link = forms.BooleanField(label=_("Send a payment link"), required=False, initial=True)
