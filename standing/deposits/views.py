"""The card panel "Prüfungsergebnis/Aktionen", the deposit-offer dialog, the outcome buttons,
and the staff tasks list."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from standing.accounts.scoping import STAFF, acting, get_scoped, scoped
from standing.core.errors import DomainError
from standing.core.http import back_url, opened_from, redirect_back
from standing.customers.models import Customer, CustomerStatus

from . import services
from .forms import DepositOfferForm
from .models import OfferStatus, StaffTask

S = CustomerStatus
OUTCOMES = {
    "accept": (services.accept, lambda: _("Customer accepted without deposit.")),
    "verify": (services.verify, lambda: _("Deposit marked paid; the customer is verified.")),
    "activate": (services.activate, lambda: _("Customer activated.")),
    "delete": (services.delete, lambda: _("Customer deleted; their login is refused.")),
}


def outcome_panel(request, customer, actor):
    offers = list(
        customer.deposit_offers.select_related("payment_link", "cost_type", "document")[:5]
    )
    # The open offer is nearly always among the latest five: read again only when it is not.
    offer = next((o for o in offers if o.status == OfferStatus.OFFERED), None)
    if offer is None and len(offers) == 5:
        offer = services.open_offer(customer)
    return {
        "offers": offers,
        "open_offer": offer,
        # The buttons follow the customer lifecycle, as the services' preconditions do.
        "can_offer": services.can(customer, "offer", actor),
        "can_accept": services.can(customer, "accept", actor),
        "can_verify": services.can(customer, "verify", actor) and offer is not None,
        "can_activate": services.can(customer, "activate", actor),
        "can_delete": services.can(customer, "delete", actor),
    }


def tasks_panel(request, customer, actor):
    return {"tasks": customer.staff_tasks.filter(done_at__isnull=True)[:10]}


def _staff_customer(request, number):
    actor = acting(request, *STAFF)
    return actor, get_scoped(Customer.objects.all(), actor, number=number)


@login_required
def deposit_offer(request, number):
    actor, customer = _staff_customer(request, number)
    form = DepositOfferForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.offer_deposit(
                customer,
                actor,
                data["amount"],
                data["billing_step"],
                data["cost_type"].code,
                data["payment_link"],
            )
        except ValidationError as error:
            for field, errs in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errs)
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The deposit offer is on its way to the customer."))
            # Back where the dialog was opened: the denied list stays the list.
            target = back_url(request, customer.get_absolute_url())
            if request.htmx:
                response = HttpResponse(status=204)
                response["HX-Redirect"] = target
                return response
            return redirect(target)
    next_url = request.POST.get("next", "") if request.method == "POST" else opened_from(request)
    context = {"customer": customer, "form": form, "next": next_url}
    template = "deposits/offer.html#form" if request.htmx else "deposits/offer.html"
    # A refused form answers 400; standing.js swaps it into the dialog with its errors.
    return render(request, template, context, status=400 if form.errors else 200)


@login_required
@require_POST
def outcome(request, number, action):
    if action not in OUTCOMES:
        raise Http404
    actor, customer = _staff_customer(request, number)
    run, done = OUTCOMES[action]
    try:
        run(customer, actor)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done())
    # The denied customers page acts on its rows and wants to stay where it is.
    return redirect_back(request, customer.get_absolute_url())


def open_tasks(actor):
    """The start page's section: open staff tasks."""
    tasks = scoped(StaffTask.objects.filter(done_at__isnull=True), actor).select_related("customer")
    return {
        "title": _("Open tasks"),
        "count": tasks.count(),
        "url": reverse("deposits:tasks"),
        "rows": [
            (
                t.title,
                t.customer.get_absolute_url() if t.customer else reverse("deposits:tasks"),
                "",
            )
            for t in tasks[:5]
        ],
        "empty": _("No open tasks."),
    }


@login_required
def task_list(request):
    actor = acting(request, *STAFF)
    tasks = scoped(StaffTask.objects.select_related("customer", "done_by"), actor)
    show_done = request.GET.get("done") == "1"
    if not show_done:
        tasks = tasks.filter(done_at__isnull=True)
    return render(request, "deposits/tasks.html", {"tasks": tasks[:200], "show_done": show_done})


@login_required
@require_POST
def task_done(request, task_id):
    actor = acting(request, *STAFF)
    staff_task = get_scoped(StaffTask.objects.all(), actor, pk=task_id)
    try:
        services.complete_task(staff_task, actor)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Task done."))
    return redirect_back(request, "deposits:tasks")
