from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils import translation
from django.views.decorators.http import require_POST

from standing.core.http import redirect_back
from standing.core.overview import sections_for

from .models import Role
from .scoping import Actor


@require_POST
def set_language(request):
    """Switch the UI language; stored on the user so it holds on every device."""
    language = request.POST.get("language", "")
    if language not in dict(settings.LANGUAGES):
        return HttpResponseBadRequest("Unknown language.")
    if request.user.is_authenticated:
        request.user.language = language
        request.user.save(update_fields=["language"])
    translation.activate(language)
    response = redirect_back(request, "/")
    response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, samesite="Lax")
    return response


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
    from standing.customers.panels import panels_for
    from standing.customers.standing import standing

    customer = getattr(request.user, "customer", None)
    if request.user.role != Role.CUSTOMER or customer is None:
        raise Http404
    panels = panels_for(request, customer, Actor.of(request.user), "portal")
    return render(
        request,
        "accounts/me.html",
        {"customer": customer, "standing": standing(customer), "panels": panels},
    )
