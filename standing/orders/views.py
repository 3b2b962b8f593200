"""Order pages: the list with filters and the detail with installments and events."""

import uuid
from datetime import date
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from standing.accounts.scoping import BACK_OFFICE, acting, scoped
from standing.core import links
from standing.core.errors import DomainError
from standing.core.pagination import EstimatingPaginator
from standing.vendors.models import Vendor

from . import events, services
from .forms import EventForm
from .models import InstallmentState, Order, OrderStatus, PaymentMethod, PlanKind

# A filtered order list counts this many matches at most ("more than 10,000 orders").
LIST_CAP = 10_000


@login_required
def order_list_view(request):
    actor = acting(request, *BACK_OFFICE)
    params = request.GET
    today = timezone.localdate()
    vendor = params.get("vendor", "")
    qs = services.order_list(
        scoped(Order.objects.all(), actor),
        q=params.get("q", "").strip(),
        vendor=int(vendor) if vendor.isdigit() and len(vendor) < 19 else None,
        status=params.get("status") if params.get("status") in OrderStatus.values else "",
        overdue_on=today if params.get("overdue") == "1" else None,
    )
    # Newest first (the index order_newest_first); a filtered list counts to LIST_CAP at most.
    page = EstimatingPaginator(qs.order_by("-created_at", "-id"), 25, cap=LIST_CAP).get_page(
        params.get("page")
    )
    rows = list(page.object_list)
    overdue = {
        o.pk: o
        for o in services.overdue_orders(today, Order.objects.filter(pk__in=[o.pk for o in rows]))
    }
    # URLs reversed and labels translated once per page (``core.links``), not per row.
    url, card = Order.url_of_each(), links.url_of_each("customers:card")
    statuses, plans = links.labels(OrderStatus), links.labels(PlanKind)
    methods = links.labels(PaymentMethod)
    for order in rows:
        order.overdue = overdue.get(order.pk)
        order.url, order.customer_url = url(order), card(order.customer.number)
        order.status_label = statuses[order.status]
        order.plan_label, order.method_label = plans[order.plan_kind], methods[order.payment_method]
    page.object_list = rows
    context = {
        "page": page,
        "params": params,
        "statuses": OrderStatus.choices,
        "vendors": Vendor.objects.all() if actor.is_staff else [],
    }
    template = "orders/list.html#results" if request.htmx else "orders/list.html"
    return render(request, template, context)


def _order(request, number, actor):
    qs = Order.objects.select_related("customer", "vendor")
    vendor = request.GET.get("vendor", "")
    if vendor and not (vendor.isascii() and vendor.isdigit() and int(vendor) < 2**63):
        raise Http404(_("Order %(number)s not found.") % {"number": number})
    try:
        return services.find_order(qs, actor, number, int(vendor) if vendor else None)
    except services.OrderNumberAmbiguous as error:
        raise Http404(str(error)) from None


@login_required
def detail(request, number, form=None):
    actor = acting(request, *BACK_OFFICE)
    order = _order(request, number, actor)
    overdue = services.overdue_orders(timezone.localdate(), Order.objects.filter(pk=order.pk))
    return render(
        request,
        "orders/detail.html",
        {
            "order": order,
            "actor": actor,
            "overdue": overdue.first(),
            "installments": order.installments.all(),
            "items": order.items.all(),
            "events": _timeline(order),
            "form": form or EventForm(initial={"date": date.today()}),
        },
        status=400 if form is not None else 200,
    )


def _timeline(order):
    """Events with their effect per installment, in words and localisable amounts."""
    rows = list(order.events.all())
    for event in rows:
        event.changes = [
            {
                "sequence": seq,
                "state": [InstallmentState(s).label for s in change["state"]],
                "paid": [Decimal(p) for p in change["paid_amount"]],
            }
            for seq, change in event.effect.get("installments", {}).items()
        ]
    return rows


@login_required
@require_POST
def add_event(request, number):
    actor = acting(request, *BACK_OFFICE)
    order = _order(request, number, actor)
    form = EventForm(request.POST)
    if not form.is_valid():
        return detail(request, number, form=form)
    data = form.cleaned_data
    try:
        events.deliver(
            order,
            actor,
            events.Event(
                id=f"manual-{uuid.uuid4()}",
                type=data["type"],
                date=data["date"],
                amount=data["amount"],
                installment=data["installment"],
                fee=data["fee"],
            ),
        )
    except ValidationError as error:
        errors = error.message_dict if hasattr(error, "message_dict") else {None: error.messages}
        for field, errs in errors.items():
            form.add_error(field if field in form.fields else None, errs)
        return detail(request, number, form=form)
    except DomainError as error:
        form.add_error(None, str(error))
        return detail(request, number, form=form)
    messages.success(request, _("Payment event recorded."))
    return redirect(order.get_absolute_url())
