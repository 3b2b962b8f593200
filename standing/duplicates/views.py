"""The "Dubletten" page, dismissing a pair, and the merge form ("Zusammenführen mit"): pick
the other customer (search or suggestion), choose field by field, see the preview, merge."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from standing.accounts.scoping import STAFF, acting, get_scoped, scoped
from standing.core.errors import DomainError
from standing.core.http import redirect_back
from standing.customers.models import Customer
from standing.customers.search import customer_list

from . import merge, services


def _customer(actor, number):
    return get_scoped(Customer.objects.select_related("group", "user"), actor, number=number)


@login_required
def pair_list(request):
    acting(request, *STAFF)
    page = Paginator(services.open_pairs(), 25).get_page(request.GET.get("page"))
    for pair in page.object_list:
        pair.labels = services.reason_labels(pair.reasons)
    return render(request, "duplicates/list.html", {"page": page, "params": request.GET})


@login_required
@require_POST
def dismiss(request, number, other):
    actor = acting(request, *STAFF)
    customer, other_customer = _customer(actor, number), _customer(actor, other)
    try:
        services.dismiss(customer, other_customer, actor)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("%(a)s and %(b)s will not be suggested as duplicates again.")
            % {"a": customer.number, "b": other_customer.number},
        )
    return redirect_back(request, customer)


@login_required
def merge_view(request, number):
    actor = acting(request, *STAFF)
    survivor = _customer(actor, number)
    other_number = (request.POST.get("other") or request.GET.get("other") or "").strip()
    context = {"customer": survivor, "q": request.GET.get("q", "")}
    if not other_number:
        # Step 1: pick the other customer, by search or from the suggestions.
        if context["q"]:
            found = customer_list(scoped(Customer.objects.all(), actor), q=context["q"])
            context["results"] = found.exclude(pk=survivor.pk)[:20]
        context["suggestions"] = services.suggestions(survivor, limit=10)
        for s in context["suggestions"]:
            s.labels = services.reason_labels(s.reasons)
        return render(request, "duplicates/merge_pick.html", context)
    other = _customer(actor, other_number)
    status = 200
    try:
        plan = merge.preview(survivor, other)
    except DomainError as error:
        messages.error(request, str(error))
        return redirect("duplicates:merge", number=survivor.number)
    if request.method == "POST":
        choices = {
            name: request.POST.get(f"choice-{name}", merge.KEEP) for name in merge.CHOICE_FIELDS
        }
        try:
            moved = merge.merge(survivor, other, actor, choices)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            status = 400
        except DomainError as error:
            messages.error(request, str(error))
            status = 409
        else:
            messages.success(
                request,
                _("%(other)s was merged into %(number)s (%(count)d records moved).")
                % {
                    "other": other.number,
                    "number": survivor.number,
                    "count": sum(moved.values()),
                },
            )
            return redirect(survivor)
    context |= {"other": other, "plan": plan, "keep": merge.KEEP, "take": merge.OTHER}
    return render(request, "duplicates/merge_form.html", context, status=status)
