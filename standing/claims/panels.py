"""The customer card's "Forderungen" panel: the customer's claims (a vendor user sees only its
own vendor's, through ``scoped``), with their state, open amount and letters."""

from standing.accounts.scoping import scoped

from . import services
from .models import Claim, Letter


def claims_context(request, customer, actor):
    today = services.today()
    claims = list(
        services.claim_list(
            scoped(Claim.objects.filter(customer=customer), actor), as_of=today
        ).order_by("-opened_at")
    )
    letters = {}
    for letter in Letter.objects.filter(claim__in=claims).order_by("level"):
        letters.setdefault(letter.claim_id, []).append(letter)
    for claim in claims:
        claim.letter_list = letters.get(claim.pk, [])
    return {"claims": claims, "today": today}


def portal_letters_context(request, customer, actor):
    """The customer's own dunning letters on /me/ (scoped to the customer's login)."""
    letters = (
        scoped(Letter.objects.filter(claim__customer=customer), actor)
        .exclude(pdf="")
        .select_related("claim__order")
        .order_by("-on", "-level")
    )
    return {"letters": list(letters)}
