"""The card panel "Screening" ("Prüfung"): staff only, with the evidence and the actions."""

from django.conf import settings

from standing.customers.models import CustomerStatus

from .models import DENYING, FindingState


def context(request, customer, actor):
    findings = list(customer.findings.select_related("entry", "screening")[:50])
    denying = [f for f in findings if f.state in DENYING]
    return {
        "latest": customer.screenings.first(),
        "denying": denying,
        # Denied, but every reason has been cleared: staff must decide what comes next.
        "no_reason_left": customer.status == CustomerStatus.DENIED and not denying,
        "review": [f for f in findings if f.state == FindingState.REVIEW],
        "cleared": [f for f in findings if f.state == FindingState.CLEARED],
        "provider": settings.SCREENING_CREDIT_PROVIDER,
        "next": request.get_full_path(),
    }
