"""Documents on the card ("Belege"), their PDF download, and the cost type settings."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from standing.accounts.models import Role
from standing.accounts.scoping import STAFF, acting, get_scoped

from . import services
from .forms import CostGroupForm, CostTypeForm
from .models import CostType, Document


def documents_panel(request, customer, actor):
    return {"documents": customer.documents.select_related("cost_type")}


@login_required
def download(request, document_id):
    actor = acting(request, *STAFF)
    document = get_scoped(Document.objects.select_related("customer"), actor, pk=document_id)
    services.store_pdf(document)
    return FileResponse(
        document.pdf.open("rb"),
        as_attachment=True,
        filename=f"{document.number}.pdf",
        content_type="application/pdf",
    )


def _report(request, error):
    messages.error(request, " ".join(m for ms in error.message_dict.values() for m in ms))


@login_required
@require_POST
def add_cost_group(request):
    acting(request, Role.ADMIN)
    form = CostGroupForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError({"name": [_("The cost group needs a name.")]})
        services.add_cost_group(form.cleaned_data["name"])
    except ValidationError as error:
        _report(request, error)
    else:
        messages.success(request, _("Cost group added."))
    return redirect("/settings/#cost-types")


@login_required
@require_POST
def save_cost_type(request, cost_type_id=None):
    acting(request, Role.ADMIN)
    cost_type = get_object_or_404(CostType, pk=cost_type_id) if cost_type_id else None
    form = CostTypeForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(
                {f: [str(m) for m in ms] for f, ms in form.errors.items()} or {"": ["?"]}
            )
        data = form.cleaned_data
        services.save_cost_type(data["code"], data["name"], data["group"], cost_type)
    except ValidationError as error:
        _report(request, error)
    else:
        messages.success(request, _("Cost type saved."))
    return redirect("/settings/#cost-types")
