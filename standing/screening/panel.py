"""The card panel "Screening" ("Prüfung"): staff only, with the evidence and the actions."""

from django.conf import settings

from .models import DENYING, FindingState


def context(request, customer, actor):
    findings = list(customer.findings.select_related("entry", "screening")[:50])
    return {
        "latest": customer.screenings.first(),
        "denying": [f for f in findings if f.state in DENYING],
        "review": [f for f in findings if f.state == FindingState.REVIEW],
        "cleared": [f for f in findings if f.state == FindingState.CLEARED],
        "provider": settings.SCREENING_CREDIT_PROVIDER,
        "next": request.get_full_path(),
    }
