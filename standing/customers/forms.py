from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from standing.core.forms import BootstrapMixin

from . import services
from .models import Customer, Grant, Permission


class MasterDataForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Customer
        fields = services.MASTER_FIELDS
        widgets = {
            "birth_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "general_info": forms.Textarea(attrs={"rows": 3}),
            "language": forms.Select(choices=[("de", "Deutsch"), ("en", "English")]),
        }

    def clean(self):
        cleaned = super().clean()
        try:
            values = services.clean_master_data(
                {
                    k: v
                    for k, v in cleaned.items()
                    if k in ("phone", "iban", "postal_code", "country", "birth_date")
                }
            )
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                self.add_error(field, messages)
            return cleaned
        cleaned.update(values)
        return cleaned

    def changed_values(self):
        return {f: self.cleaned_data[f] for f in self.changed_data if f in self.cleaned_data}


class NoteForm(BootstrapMixin, forms.Form):
    text = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}))


class UploadForm(BootstrapMixin, forms.Form):
    file = forms.FileField(label=_("File"))


class MessageForm(BootstrapMixin, forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=200)
    body = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 6}))
    attachments = forms.ModelMultipleChoiceField(
        label=_("Attachments"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, customer, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attachments"].queryset = customer.files.all()


class PermissionsForm(BootstrapMixin, forms.Form):
    def __init__(self, *args, customer, **kwargs):
        super().__init__(*args, **kwargs)
        for perm in Permission:
            self.fields[perm.value] = forms.ChoiceField(
                label=perm.label,
                choices=Grant.choices,
                initial=customer.permissions.get(perm.value, Grant.INHERIT),
            )
