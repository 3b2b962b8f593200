from django import forms
from django.utils.translation import gettext_lazy as _

from standing.core.forms import BootstrapMixin

from .models import ReasonKind
from .services import Intake

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class RegistrationForm(BootstrapMixin, forms.Form):
    """The public registration of the booking flow."""

    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    birth_date = forms.DateField(label=_("Birth date"), widget=DATE)
    phone = forms.CharField(label=_("Phone"), max_length=32)
    email = forms.EmailField(label=_("Email"))
    street = forms.CharField(label=_("Street and number"), max_length=200)
    postal_code = forms.CharField(label=_("Postal code"), max_length=10)
    city = forms.CharField(label=_("City"), max_length=100)
    country = forms.CharField(label=_("Country"), max_length=2, initial="DE")
    iban = forms.CharField(label=_("IBAN (optional)"), max_length=42, required=False)


class NewCustomerForm(RegistrationForm):
    """ "Kunde anlegen": staff enter a customer, screened like a registration or taken over as
    an existing customer of the system this one replaces."""

    intake = forms.ChoiceField(
        label=_("How is the customer taken on?"),
        choices=Intake.choices,
        initial=Intake.SCREEN,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )

    field_order = ["intake"]


class DenyEntryForm(BootstrapMixin, forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=100, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=100, required=False)
    birth_date = forms.DateField(label=_("Birth date"), widget=DATE, required=False)
    email = forms.CharField(label=_("Email"), max_length=254, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=32, required=False)
    iban = forms.CharField(label=_("IBAN"), max_length=42, required=False)
    street = forms.CharField(label=_("Street and number"), max_length=200, required=False)
    postal_code = forms.CharField(label=_("Postal code"), max_length=10, required=False)
    city = forms.CharField(label=_("City"), max_length=100, required=False)
    country = forms.CharField(label=_("Country"), max_length=2, required=False, initial="DE")
    document_number = forms.CharField(label=_("ID document number"), max_length=40, required=False)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class DeniedFilterForm(forms.Form):
    q = forms.CharField(required=False)
    kind = forms.ChoiceField(choices=[("", "")] + ReasonKind.choices, required=False)
