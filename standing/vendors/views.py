"""The vendor's master data page for operator admins (Settings → Vendors → a vendor)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from standing.accounts.models import Role
from standing.accounts.scoping import acting
from standing.core.forms import BootstrapMixin

from . import services
from .models import Vendor


class VendorForm(BootstrapMixin, forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    legal_name = forms.CharField(label=gettext_lazy("Legal name"), max_length=200, required=False)
    email = forms.EmailField(label=gettext_lazy("Email"), required=False)
    street = forms.CharField(label=gettext_lazy("Street"), max_length=200, required=False)
    postal_code = forms.CharField(label=gettext_lazy("Postal code"), max_length=20, required=False)
    city = forms.CharField(label=gettext_lazy("City"), max_length=100, required=False)
    country = forms.CharField(label=gettext_lazy("Country"), max_length=2, required=False)
    iban = forms.CharField(label=gettext_lazy("IBAN"), max_length=42, required=False)
    bic = forms.CharField(label=gettext_lazy("BIC"), max_length=14, required=False)


@login_required
def edit_vendor(request, vendor_id):
    acting(request, Role.ADMIN)
    vendor = get_object_or_404(Vendor, pk=vendor_id)
    if request.method == "POST":
        form = VendorForm(request.POST)
        if form.is_valid():
            try:
                services.save(form.cleaned_data, vendor)
            except ValidationError as error:
                for field, problems in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, problems)
            except services.NameTaken as error:
                form.add_error("name", str(error))
            else:
                messages.success(request, _("Vendor saved."))
                return redirect("vendors:edit", vendor_id=vendor.pk)
        vendor.refresh_from_db()
    else:
        form = VendorForm(initial={key: getattr(vendor, key) for key in services.FIELDS})
    return render(request, "vendors/vendor_form.html", {"vendor": vendor, "form": form})
