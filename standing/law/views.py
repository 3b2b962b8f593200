"""The Zinsrechner page (the interest calculator for staff checking a figure by hand), and the
settings section where the operator admin enters the next base rate.

The calculator computes on what the user types and shows nobody's data, so vendor users may
use it too.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from standing.accounts.models import Role
from standing.accounts.scoping import BACK_OFFICE, acting

from . import rates, services
from .forms import InterestForm


@login_required
def calculator(request):
    acting(request, *BACK_OFFICE)
    form = InterestForm(request.GET if "principal" in request.GET else None)
    result = None
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            result = services.calculate(data["principal"], data["debtor"], data["from"], data["to"])
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                form.add_error(field if field in form.fields else None, problems)
    points = services.POINTS
    context = {
        "form": form,
        "result": result,
        "rates": [
            (rate, rate.percent + points["consumer"], rate.percent + points["business"])
            for rate in services.base_rate_table()
        ],
    }
    template = "law/calculator.html#results" if request.htmx else "law/calculator.html"
    return render(request, template, context)


@login_required
@require_POST
def add_rate(request):
    """Settings: the operator admin enters the next base rate (logged, like the command)."""
    actor = acting(request, Role.ADMIN)
    try:
        rate = rates.add_base_rate(
            request.POST.get("valid_from", ""),
            request.POST.get("percent", "").replace(",", "."),
            actor=actor,
            source=request.POST.get("source", ""),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Base rate from %(day)s entered: %(percent)s %%")
            % {"day": date_format(rate.valid_from, "SHORT_DATE_FORMAT"), "percent": rate.percent},
        )
    return redirect(reverse("core:settings") + "#base-rates")
