"""The blocks page, the card's "Sperren"/"Entsperren" dialogs, and the reason list settings.

Thin: the rules live in ``services``. Staff only; a customer of another vendor is a 404.
"""

from datetime import timedelta
from urllib.parse import urlsplit

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from standing.accounts.models import Role
from standing.accounts.scoping import STAFF, acting, get_scoped, scoped
from standing.core.errors import DomainError
from standing.customers.models import Customer

from . import services
from .forms import BlockFilterForm, BlockForm, LiftForm, add_service_errors
from .models import Block, BlockReason, BlockStatus
from .services import Duration

UPCOMING = timedelta(days=7)


def _blocks(actor):
    return scoped(Block.objects.select_related("customer", "reason", "staff", "lifted_by"), actor)


@login_required
def block_list(request):
    """Active now, ending in the next 7 days, and the history; filtered by reason and staff."""
    actor = acting(request, *STAFF)
    now = timezone.now()
    form = BlockFilterForm(request.GET or None)
    blocks = _blocks(actor)
    if form.is_valid():
        if form.cleaned_data["reason"]:
            blocks = blocks.filter(reason=form.cleaned_data["reason"])
        if form.cleaned_data["staff"]:
            blocks = blocks.filter(staff=form.cleaned_data["staff"])
    active = blocks.filter(Block.active_q(now))
    # Ended by time or lifted: the same test as ``Block.state_at``, whatever a tick recorded.
    history = blocks.filter(Q(status=BlockStatus.LIFTED) | Q(ends_at__lte=now)).annotate(
        ended_at=Coalesce("lifted_at", "ends_at")
    )
    context = {
        "now": now,
        "form": form,
        "params": request.GET,
        "reasons": BlockReason.objects.all(),
        "staff_members": form.fields["staff"].queryset.order_by(
            "last_name", "first_name", "username"
        ),
        "active": active.order_by("ends_at", "-starts_at"),
        "ending": active.filter(ends_at__lte=now + UPCOMING).order_by("ends_at"),
        "history": Paginator(history.order_by("-ended_at", "-id"), 50).get_page(
            request.GET.get("page")
        ),
    }
    template = "blocks/list.html#results" if request.htmx else "blocks/list.html"
    return render(request, template, context)


def _dialog(request, template, context, form):
    """The dialog's form again, with its errors: HTMX swaps only 2xx answers."""
    status = 200 if request.htmx else 400
    if request.htmx:
        template += "#form"
    return render(request, template, {**context, "form": form}, status=status)


def _done(request, customer, message):
    messages.success(request, message)
    card = customer.get_absolute_url()
    if request.htmx:
        response = HttpResponse()
        # From the card itself a redirect to "card#blocks" would only scroll: reload instead.
        if urlsplit(request.htmx.current_url or "").path == card:
            response["HX-Refresh"] = "true"
        else:
            response["HX-Redirect"] = f"{card}#blocks"
        return response
    return redirect(f"{card}#blocks")


@login_required
def block_customer(request, number):
    actor = acting(request, *STAFF)
    customer = get_scoped(Customer.objects.all(), actor, number=number)
    form = BlockForm(request.POST or None, actor=actor)
    context = {"customer": customer, "durations": Duration}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.block_customer(
                customer,
                actor,
                reason=data["reason"],
                duration=data["duration"],
                note=data["note"],
                staff=data["staff"].username,
                until=form.until() if data["duration"] == Duration.UNTIL else None,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            return _done(
                request,
                customer,
                _("Customer %(number)s is blocked.") % {"number": customer.number},
            )
    if request.method == "POST":
        return _dialog(request, "blocks/block_form.html", context, form)
    template = "blocks/block_form.html#form" if request.htmx else "blocks/block_form.html"
    return render(request, template, {**context, "form": form})


@login_required
def lift_block(request, number, block_id):
    actor = acting(request, *STAFF)
    customer = get_scoped(Customer.objects.all(), actor, number=number)
    block = get_scoped(_blocks(actor).filter(customer=customer), actor, pk=block_id)
    form = LiftForm(request.POST or None, actor=actor)
    context = {"customer": customer, "target": block}
    if request.method == "POST" and form.is_valid():
        try:
            services.lift_block(
                block,
                actor,
                reason=form.cleaned_data["reason"],
                staff=form.cleaned_data["staff"].username,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            return _done(
                request,
                customer,
                _("The block of %(since)s is lifted.") % {"since": services.block_date(block)},
            )
    if request.method == "POST":
        return _dialog(request, "blocks/lift_form.html", context, form)
    template = "blocks/lift_form.html#form" if request.htmx else "blocks/lift_form.html"
    return render(request, template, {**context, "form": form})


# --- settings: the reason list (operator admin) -------------------------------------------


@login_required
@require_POST
def add_reason(request):
    acting(request, Role.ADMIN)
    try:
        services.add_reason(request.POST.get("code"), request.POST.get("label"))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Block reason added."))
    return redirect(reverse("core:settings") + "#block-reasons")


@login_required
@require_POST
def save_reason(request, reason_id):
    acting(request, Role.ADMIN)
    reason = get_object_or_404(BlockReason, pk=reason_id)
    try:
        services.update_reason(
            reason, request.POST.get("label"), request.POST.get("active") == "on"
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Block reason saved."))
    return redirect(reverse("core:settings") + "#block-reasons")
