from django import forms
from django.utils.translation import gettext_lazy as _

from standing.core.forms import BootstrapMixin


class InterestForm(BootstrapMixin, forms.Form):
    """The Zinsrechner's fields, named as the API's parameters (``from`` and ``to``).

    Only shapes the input: every check is ``services.calculate``'s, shared with API and CLI.
    """

    principal = forms.CharField(
        label=_("Principal (EUR)"),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "placeholder": "1000.00"}),
    )
    debtor = forms.ChoiceField(
        label=_("Debtor"),
        choices=[
            ("consumer", _("Consumer (+5 points)")),
            ("business", _("Business (+9 points)")),
        ],
    )


DATE = {"type": "date"}
InterestForm.base_fields["from"] = forms.CharField(
    label=_("First day of default"), widget=forms.DateInput(attrs=DATE)
)
InterestForm.base_fields["to"] = forms.CharField(
    label=_("Last interest day"), widget=forms.DateInput(attrs=DATE)
)
