"""The card's export and erasure, the operator's restriction of the evidence, and the data
export on the customer's own page (/me/) by an expiring link. Thin: rules in the modules."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from standing.accounts.models import Role
from standing.accounts.scoping import STAFF, Actor, acting, get_scoped
from standing.billing.models import Document
from standing.core.errors import DomainError
from standing.customers.models import Customer

from . import erasure, export, services


def _customer(actor, number):
    return get_scoped(Customer.objects.select_related("group", "user"), actor, number=number)


def _zip_response(customer, actor):
    response = StreamingHttpResponse(
        services.start_export(customer, actor), content_type="application/zip"
    )
    response["Content-Disposition"] = f'attachment; filename="{export.filename(customer)}"'
    return response


@login_required
def export_download(request, number):
    actor = acting(request, *STAFF)
    return _zip_response(_customer(actor, number), actor)


@login_required
def erase_view(request, number):
    """The confirmation names what is deleted and what is kept until when; erasing needs the
    box ticked."""
    actor = acting(request, *STAFF)
    customer = _customer(actor, number)
    status = 200
    if request.method == "POST":
        if request.POST.get("confirm") != "yes":
            messages.error(request, _("Tick the box to confirm that the erasure is irreversible."))
            status = 400
        else:
            try:
                done = erasure.erase(customer, actor)
            except DomainError as error:
                messages.error(request, str(error))
                status = 409
            else:
                messages.success(
                    request,
                    _("The personal data of %(number)s was erased.") % {"number": done.number},
                )
                return redirect(customer)
    plan = erasure.plan(customer)
    return render(
        request, "privacy/erase.html", {"customer": customer, "plan": plan}, status=status
    )


@login_required
@require_POST
def restriction(request, number):
    actor = acting(request, Role.ADMIN)
    customer = _customer(actor, number)
    if request.POST.get("action") == "lift":
        services.lift_restriction(customer, actor)
        messages.success(request, _("The screening evidence is part of the export again."))
    else:
        try:
            services.restrict_evidence(customer, actor, request.POST.get("reason", ""))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The screening evidence is withheld from the export."))
    return redirect(customer)


def _me(request):
    customer = getattr(request.user, "customer", None)
    if request.user.role != Role.CUSTOMER or customer is None:
        raise Http404
    return customer, Actor.of(request.user)


@login_required
@require_POST
def request_export(request):
    customer, actor = _me(request)
    services.request_export(customer, actor)
    messages.success(request, _("Your data export is ready: download it with the link below."))
    return redirect("me")


@login_required
def my_export(request, token):
    customer, actor = _me(request)
    try:
        services.request_by_token(customer, token)
    except DomainError as error:
        messages.error(request, str(error))
        return redirect("me")
    return _zip_response(customer, actor)


@login_required
def my_document(request, document_id):
    """A Beleg of the customer's own, as PDF."""
    customer, actor = _me(request)
    document = get_scoped(Document.objects.filter(customer=customer), actor, pk=document_id)
    if not document.pdf:
        raise Http404("The PDF is not ready yet.")
    return FileResponse(
        document.pdf.open("rb"), as_attachment=True, filename=f"{document.number}.pdf"
    )
