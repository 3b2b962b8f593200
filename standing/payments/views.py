"""Public pages: the sandbox payment page and PayPal's webhook."""

import json

from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from standing.core.errors import DomainError

from . import services
from .models import LinkStatus, PaymentLink
from .providers import PaymentProviderError, PayPalProvider


# The unguessable token in the URL is the credential (as with PayPal's approve link), so a
# forged cross-site POST cannot name a link; integrations may post outcome=success directly.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def pay(request, token):
    """The sandbox provider's page: amount, purpose, and buttons that pay or fail."""
    link = get_object_or_404(PaymentLink.objects.select_related("customer"), token=token)
    if request.method == "POST":
        outcome = request.POST.get("outcome")
        if outcome not in ("success", "failure"):
            messages.error(request, _("Choose to pay or to simulate a failure."))
        else:
            try:
                services.sandbox_pay(link, outcome)
            except DomainError as error:
                messages.error(request, str(error))
        return redirect("payments:pay", token=token)
    return render(
        request,
        "payments/pay.html",
        {
            "link": link,
            "open": link.status == LinkStatus.CREATED and not services.is_expired(link),
            "statuses": LinkStatus,
        },
    )


def _answer(status, detail):
    return JsonResponse({"detail": detail}, status=status)


@csrf_exempt
@require_POST
def paypal_webhook(request):
    try:
        event = json.loads(request.body)
    except ValueError:
        return _answer(400, "The body is not JSON.")
    if not isinstance(event, dict) or not event.get("id") or not event.get("event_type"):
        return _answer(400, "A webhook event needs an id and an event_type.")
    provider = PayPalProvider()
    try:
        if not provider.verify(request.headers, event):
            return _answer(400, "The webhook signature could not be verified.")
        outcome = services.handle_paypal_event(event, provider)
    except PaymentProviderError as error:
        # 503 makes PayPal deliver the event again later.
        return _answer(503, str(error))
    return JsonResponse({"status": outcome})
