from datetime import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from standing.accounts.models import STAFF_ROLES, User
from standing.core.forms import BootstrapMixin

from .models import BlockReason
from .services import Duration


def staff_choices():
    return User.objects.filter(is_active=True, role__in=STAFF_ROLES).order_by(
        "last_name", "first_name", "username"
    )


class StaffField(forms.ModelChoiceField):
    """Staff members ("Betreuer") by their names; the login name only for a user without one."""

    def label_from_instance(self, obj):
        return obj.display_name()


class BlockForm(BootstrapMixin, forms.Form):
    """The "Sperren" dialog: staff member ("Betreuer"), reason, duration, end, message."""

    staff = StaffField(label=_("Staff member"), queryset=None, to_field_name="username")
    reason = forms.ModelChoiceField(
        label=_("Reason"), queryset=None, to_field_name="code", empty_label=None
    )
    duration = forms.ChoiceField(label=_("Duration"), choices=Duration.choices)
    until_date = forms.DateField(
        label=_("Blocked until (date)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("For a payment deferral: the customer is blocked through this day."),
    )
    until_time = forms.TimeField(
        label=_("at (time, optional)"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    note = forms.CharField(
        label=_("Message"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required for a block without end."),
    )

    # Service error keys → the field that shows them.
    FIELD_OF = {"until": "until_date", "ends_at": "until_date"}

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = staff_choices()
        self.fields["reason"].queryset = BlockReason.objects.filter(active=True)
        if actor.user is not None and not self.is_bound:
            self.fields["staff"].initial = actor.user.username

    def until(self):
        day, at = self.cleaned_data.get("until_date"), self.cleaned_data.get("until_time")
        if day is None:
            return None
        return datetime.combine(day, at) if at else day


class LiftForm(BootstrapMixin, forms.Form):
    """The "Entsperren" dialog: staff member and the reason, both required."""

    staff = StaffField(label=_("Staff member"), queryset=None, to_field_name="username")
    reason = forms.CharField(
        label=_("Why is the block lifted?"), widget=forms.Textarea(attrs={"rows": 3})
    )

    FIELD_OF = {}

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = staff_choices()
        if actor.user is not None and not self.is_bound:
            self.fields["staff"].initial = actor.user.username


class BlockFilterForm(forms.Form):
    reason = forms.ModelChoiceField(
        queryset=BlockReason.objects.all(), to_field_name="code", required=False
    )
    staff = StaffField(
        queryset=User.objects.filter(role__in=STAFF_ROLES),
        to_field_name="username",
        required=False,
    )


def add_service_errors(form, error):
    """Show a service's ValidationError({key: [messages]}) on the form's fields."""
    for key, messages in error.message_dict.items():
        name = form.FIELD_OF.get(key, key)
        form.add_error(name if name in form.fields else None, messages)
