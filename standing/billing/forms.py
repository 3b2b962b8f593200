from django import forms
from django.utils.translation import gettext_lazy as _

from standing.core.forms import BootstrapMixin

from .models import CostGroup


class CostGroupForm(BootstrapMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)


class CostTypeForm(BootstrapMixin, forms.Form):
    code = forms.SlugField(label=_("Code"), max_length=40, required=False)
    name = forms.CharField(label=_("Name"), max_length=100)
    group = forms.ModelChoiceField(label=_("Cost group"), queryset=CostGroup.objects.all())
