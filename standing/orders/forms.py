from django import forms
from django.utils.translation import gettext_lazy as _

from standing.core.forms import BootstrapMixin

from .models import EventType


class EventForm(BootstrapMixin, forms.Form):
    """A payment event entered by hand (e.g. a bank transfer seen on the account)."""

    type = forms.ChoiceField(label=_("Event"), choices=EventType.choices)
    date = forms.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    amount = forms.DecimalField(
        label=_("Amount"), required=False, max_digits=12, decimal_places=2, min_value=0.01
    )
    installment = forms.IntegerField(label=_("Installment"), required=False, min_value=1)
    fee = forms.DecimalField(
        label=_("Fee"), required=False, max_digits=12, decimal_places=2, min_value=0
    )
