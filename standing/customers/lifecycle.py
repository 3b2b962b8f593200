"""The customer status lifecycle (SPEC §2): one table, one function. No status is set elsewhere."""

from contextlib import contextmanager
from contextvars import ContextVar

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from standing.core import lifecycle
from standing.core.registry import Registry

from .models import Customer, CustomerStatus

S = CustomerStatus

# (from, to) -> the activity action written when it happens.
TRANSITIONS = {
    (S.PENDING, S.VERIFIED): "screening_passed",
    (S.PENDING, S.DENIED): "screening_failed",
    (S.PENDING, S.DELETED): "deleted",
    (S.DENIED, S.VERIFIED): "verified",
    (S.DENIED, S.DELETED): "deleted",
    (S.VERIFIED, S.ACTIVE): "activated",
    # A re-screening hit that staff confirm (new deny-list entries are never applied silently).
    (S.VERIFIED, S.DENIED): "denied_after_review",
    (S.ACTIVE, S.DENIED): "denied_after_review",
    # Erasure of personal data ("Löschen" on the card) from any status (standing.privacy).
    (S.VERIFIED, S.DELETED): "deleted",
    (S.ACTIVE, S.DELETED): "deleted",
    # The merged-away customer of a merge becomes a tombstone (standing.duplicates).
    **{(s, S.MERGED): "merged" for s in (S.PENDING, S.VERIFIED, S.ACTIVE, S.DENIED)},
}

# Handlers other apps register for entering a status: (status, fn(customer, actor)) pairs,
# e.g. ON_ENTER.register((CustomerStatus.VERIFIED, on_verified), key="deposits.on_verified").
# They run inside transition(), after the update, in the same transaction (side effects on
# commit).
ON_ENTER = Registry("customer status entered hooks")
# Set while history from an earlier system is taken over (the demo's customers, imports):
# the transitions are recorded, but the welcome actions of ON_ENTER are not sent again.
_TAKING_OVER = ContextVar("taking_over", default=False)


@contextmanager
def taking_over_history():
    token = _TAKING_OVER.set(True)
    try:
        yield
    finally:
        _TAKING_OVER.reset(token)


class TransitionNotAllowed(lifecycle.TransitionNotAllowed):
    """The customer is not in a status from which the requested one can be reached."""


class ChangedMeanwhile(lifecycle.ChangedMeanwhile, TransitionNotAllowed):
    """Someone else changed the customer's status first (still a TransitionNotAllowed for
    callers that only ask "did it happen")."""


def _refusal(customer, frm, to):
    return _("Customer %(number)s is %(status)s and cannot become %(to)s.") % {
        "number": customer.number,
        "status": S(frm).label,
        "to": S(to).label,
    }


# The card actions that alone may take these transitions (standing.privacy's erasure,
# standing.duplicates' merge), so that no button or API call offers them otherwise.
_CARD_ACTION = ContextVar("card_action", default="")


@contextmanager
def card_action(name):
    """Inside: the transitions reserved for the card action ``name`` ("erase", "merge")."""
    token = _CARD_ACTION.set(name)
    try:
        yield
    finally:
        _CARD_ACTION.reset(token)


def _only_by(name, message):
    return lambda customer, actor: None if _CARD_ACTION.get() == name else message


_ONLY_ERASURE = _only_by(
    "erase", _("A verified or active customer is deleted by erasing their data (Delete).")
)
GUARDS = {
    (S.VERIFIED, S.DELETED): _ONLY_ERASURE,
    (S.ACTIVE, S.DELETED): _ONLY_ERASURE,
    S.MERGED: _only_by("merge", _("A customer becomes a tombstone only through a merge.")),
}

CUSTOMER = lifecycle.Lifecycle(
    "customer",
    Customer,
    TRANSITIONS,
    guards=GUARDS,
    customer="self",
    action_prefix="status",
    describe=lambda customer: _("Customer %(number)s") % {"number": customer.number},
    refusal=_refusal,
    summary=lambda customer, frm, to: (
        _("Status %(frm)s → %(to)s") % {"frm": S(frm).label, "to": S(to).label}
    ),
    not_allowed=TransitionNotAllowed,
    changed=ChangedMeanwhile,
)


def allowed_transitions(customer, actor=None) -> list[str]:
    """The statuses ``customer`` can reach now: drives the card's buttons and API checks."""
    return CUSTOMER.allowed(customer, actor)


@transaction.atomic
def transition(customer: Customer, to: str, actor, summary="", details=None, internal=False):
    """Move ``customer`` to ``to`` if the table allows it (the one lifecycle engine: a
    conditional UPDATE, the activity record and the transition row in one transaction), then
    run the handlers registered for entering ``to``."""
    CUSTOMER.transition(
        customer,
        to,
        actor,
        summary=summary or None,
        details=details,
        internal=internal,
        run_handlers=False,
    )
    handlers = [] if _TAKING_OVER.get() else [fn for status, fn in ON_ENTER if status == to]
    for handler in handlers:
        handler(customer, actor)
    return customer
