"""The customer card's "Forderungen" panel: the customer's claims (a vendor user sees only its
own vendor's, through ``scoped``), with their state, open amount and letters."""

from standing.accounts.scoping import scoped

from . import services
from .models import Claim, Letter


def claims_context(request, customer, actor):
    today = services.today()
    mine = scoped(Claim.objects.filter(customer=customer), actor)
    # Most customers have no claim: one index lookup, not the amounts' query (whose building
    # alone costs more than the lookup).
    ids = list(mine.order_by("-opened_at", "-id").values_list("pk", flat=True))
    if not ids:
        return {"claims": [], "today": today}
    claims = services.page_of(ids, today, mine)
    letters = services.letters_by_claim(ids)
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
