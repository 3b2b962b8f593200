"""The Zinsrechner page: the interest calculator for staff checking a figure by hand.

It computes on what the user types and shows nobody's data, so vendor users may use it too.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import render

from standing.accounts.scoping import BACK_OFFICE, acting

from . import services
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
            for field, messages in error.message_dict.items():
                form.add_error(field if field in form.fields else None, messages)
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
