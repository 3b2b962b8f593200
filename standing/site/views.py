"""The site-level pages that compose several apps.

* The start page ("Übersicht"): what waits for a person (``core.overview`` sections).
* The customer's own page: their data, standing and portal panels.
* Settings ("Einstellungen") for the operator admin: customer groups and their permissions,
  vendors. Later capabilities add their sections (reason lists, cost types, collection) to
  ``core.sections.SETTINGS_SECTIONS``.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError, transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from standing.accounts.models import Role
from standing.accounts.scoping import Actor, acting
from standing.core.forms import BootstrapMixin
from standing.core.overview import sections_for
from standing.core.sections import SETTINGS_SECTIONS
from standing.customers.models import CustomerGroup, Grant, Permission
from standing.customers.panels import panels_for
from standing.customers.standing import standing
from standing.vendors.models import Vendor


@login_required
def home(request):
    """Customers go to their own page, staff see the overview of what waits, vendor users
    (for whom nothing waits yet) the customer list."""
    if request.user.role == Role.CUSTOMER:
        return redirect("me")
    actor = Actor.of(request.user)
    sections = sections_for(actor)
    if not sections:
        return redirect("customers:list")
    return render(request, "core/overview.html", {"sections": sections})


@login_required
def me(request):
    """The customer's own page: their data and standing, never a screening reason."""
    customer = getattr(request.user, "customer", None)
    if request.user.role != Role.CUSTOMER or customer is None:
        raise Http404
    panels = panels_for(request, customer, Actor.of(request.user), "portal")
    return render(
        request,
        "accounts/me.html",
        {"customer": customer, "standing": standing(customer), "panels": panels},
    )


class GroupForm(BootstrapMixin, forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=100)

    def __init__(self, *args, group=None, form_id="", **kwargs):
        super().__init__(*args, **kwargs)
        if group:
            self.fields["name"].initial = group.name
        for perm in Permission:
            self.fields[perm.value] = forms.ChoiceField(
                label=perm.label,
                choices=Grant.choices,
                initial=(group.permissions if group else {}).get(perm.value, Grant.INHERIT),
            )
        # One table row per group: the fields sit in cells and name their form by id.
        self.form_id = form_id
        for field in self.fields.values():
            widget = field.widget
            small = "form-select form-select-sm" if isinstance(widget, forms.Select) else None
            widget.attrs["class"] = small or "form-control form-control-sm"
            widget.attrs["aria-label"] = str(field.label)
            if form_id:
                widget.attrs["form"] = form_id

    def save(self, group=None):
        group = group or CustomerGroup()
        group.name = self.cleaned_data["name"].strip()
        group.permissions = {
            p: self.cleaned_data[p] for p in Permission.values if self.cleaned_data[p] != "inherit"
        }
        group.save()
        return group


@login_required
def settings_page(request):
    acting(request, Role.ADMIN)
    from django.conf import settings

    groups = [
        (g, GroupForm(group=g, prefix=f"g{g.pk}", form_id=f"group-{g.pk}"))
        for g in CustomerGroup.objects.all()
    ]
    return render(
        request,
        "core/settings.html",
        {
            "groups": groups,
            "new_group": GroupForm(prefix="new", form_id="group-new"),
            "permissions": [p.label for p in Permission],
            "vendors": Vendor.objects.all(),
            "settings_sections": list(SETTINGS_SECTIONS),
            "defaults": [(Permission(k).label, v) for k, v in settings.DEFAULT_PERMISSIONS.items()],
        },
    )


@login_required
@require_POST
def save_group(request, group_id=None):
    acting(request, Role.ADMIN)
    group = get_object_or_404(CustomerGroup, pk=group_id) if group_id else None
    form = GroupForm(request.POST, group=group, prefix=f"g{group_id}" if group_id else "new")
    if not form.is_valid():
        messages.error(request, _("Please give the group a name and a grant per permission."))
        return redirect("core:settings")
    try:
        with transaction.atomic():
            form.save(group)
    except IntegrityError:
        messages.error(request, _("A group of that name exists already."))
    else:
        messages.success(request, _("Customer group saved."))
    return redirect("core:settings")


@login_required
@require_POST
def add_vendor(request):
    acting(request, Role.ADMIN)
    name = request.POST.get("name", "").strip()
    if not name:
        messages.error(request, _("The vendor needs a name."))
    elif Vendor.objects.filter(name=name).exists():
        messages.error(request, _("A vendor of that name exists already."))
    else:
        Vendor.objects.create(name=name, email=request.POST.get("email", "").strip())
        messages.success(request, _("Vendor added."))
    return redirect("core:settings")
