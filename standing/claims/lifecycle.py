"""The claim lifecycle (SPEC §7) on the shared engine: one table, its guards, nothing else.

```
open ─▶ dunning_1 ─▶ dunning_2 ─▶ on_hold ─(approve)─▶ sent_for_collection ─▶ paid
  │          │            │           └─(vendor cancels)─▶ canceled      └▶ canceled
  │          │            └─(automatic handover)─▶ sent_for_collection
  └──────────┴────────────┴─▶ paid · canceled · blocked (support); blocked ─(release)─▶ back
```
A claim paid in full is ``paid`` whatever its stage. ``blocked`` remembers where the claim came
from (``status_before_block``); ``release`` goes back exactly there.
"""

from django.utils.translation import gettext_lazy as _

from standing.core.lifecycle import Lifecycle

from .models import Claim, ClaimStatus

S = ClaimStatus
BLOCKABLE = (S.OPEN, S.DUNNING_1, S.DUNNING_2, S.ON_HOLD)

TRANSITIONS = {
    (S.OPEN, S.DUNNING_1): "first_letter",
    (S.DUNNING_1, S.DUNNING_2): "second_letter",
    (S.DUNNING_2, S.ON_HOLD): "awaiting_approval",
    (S.DUNNING_2, S.SENT_FOR_COLLECTION): "handed_over",
    (S.ON_HOLD, S.SENT_FOR_COLLECTION): "approved",
    **{(s, S.PAID): "paid" for s in (*BLOCKABLE, S.SENT_FOR_COLLECTION, S.BLOCKED)},
    **{(s, S.CANCELED): "canceled" for s in (*BLOCKABLE, S.SENT_FOR_COLLECTION, S.BLOCKED)},
    **{(s, S.BLOCKED): "blocked" for s in BLOCKABLE},
    **{(S.BLOCKED, s): "released" for s in BLOCKABLE},
}


def address_complete(customer) -> bool:
    """The full postal address a handover needs (SPEC §7)."""
    return all(
        (getattr(customer, f) or "").strip() for f in ("street", "postal_code", "city", "country")
    )


def _release_to(target):
    def guard(claim, actor):
        if claim.status_before_block != target:
            return _("The claim came from '%(state)s'; release returns it there.") % {
                "state": S(claim.status_before_block).label if claim.status_before_block else "—"
            }
        if claim.invalid_address and not address_complete(claim.customer):
            return _(
                "The customer's postal address is still incomplete; complete it on the "
                "customer card before releasing the claim."
            )
        return None

    return guard


def _handover_guard(claim, actor):
    if not address_complete(claim.customer):
        return _(
            "The customer's postal address is incomplete: a handover needs street, postal "
            "code and city."
        )
    return None


CLAIMS = Lifecycle(
    "claim",
    Claim,
    TRANSITIONS,
    guards={
        **{(S.BLOCKED, s): _release_to(s) for s in BLOCKABLE},
        (S.ON_HOLD, S.SENT_FOR_COLLECTION): _handover_guard,
    },
    internal=False,
    describe=lambda claim: (
        _("Claim %(id)s (order %(order)s)") % {"id": claim.pk, "order": claim.order.number}
    ),
)
