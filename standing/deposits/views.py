"""The card panel "Prüfungsergebnis/Aktionen", the deposit-offer dialog, the outcome buttons,
and the staff tasks list."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from standing.accounts.scoping import STAFF, acting, get_scoped, scoped
from standing.core.errors import DomainError
from standing.core.http import redirect_back
from standing.customers.models import Customer, CustomerStatus

from . import services
from .forms import DepositOfferForm
from .models import StaffTask

S = CustomerStatus
OUTCOMES = {
    "accept": (services.accept, lambda: _("Customer accepted without deposit.")),
    "verify": (services.verify, lambda: _("Deposit marked paid; the customer is verified.")),
    "activate": (services.activate, lambda: _("Customer activated.")),
    "delete": (services.delete, lambda: _("Customer deleted; their login is refused.")),
}


def outcome_panel(request, customer, actor):
    offer = services.open_offer(customer)
    return {
        "offers": customer.deposit_offers.select_related("payment_link", "cost_type", "document")[
            :5
        ],
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
            if request.htmx:
                response = HttpResponse(status=204)
                response["HX-Redirect"] = customer.get_absolute_url()
                return response
            return redirect(customer.get_absolute_url())
    context = {"customer": customer, "form": form}
    if request.htmx:
        # 200 also with errors: htmx swaps only successful answers into the dialog.
        return render(request, "deposits/offer.html#form", context)
    return render(request, "deposits/offer.html", context, status=400 if form.errors else 200)


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
