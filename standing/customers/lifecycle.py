"""The customer status lifecycle (SPEC §2): one table, one function. No status is set elsewhere."""

from contextlib import contextmanager
from contextvars import ContextVar

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from standing.activity.services import record
from standing.core.errors import DomainError

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

# Handlers other apps register for entering a status: {status: [fn(customer, actor)]}. They run
# inside transition(), after the update, in the same transaction (side effects on commit).
ON_ENTER: dict[str, list] = {}
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


class TransitionNotAllowed(DomainError):
    """The customer is not in a status from which the requested one can be reached."""

    def __init__(self, customer, to):
        self.customer, self.to = customer, to
        super().__init__(
            _("Customer %(number)s is %(status)s and cannot become %(to)s.")
            % {
                "number": customer.number,
                "status": S(customer.status).label,
                "to": S(to).label,
            }
        )


@transaction.atomic
def transition(customer: Customer, to: str, actor, summary="", details=None, internal=False):
    """Move ``customer`` to ``to`` if the table allows it, with a conditional UPDATE so that two
    concurrent requests cannot both succeed, and log it in the same transaction."""
    frm = customer.status
    action = TRANSITIONS.get((frm, to))
    if action is None:
        raise TransitionNotAllowed(customer, to)
    changed = Customer.objects.filter(pk=customer.pk, status=frm).update(status=to)
    if changed != 1:
        customer.refresh_from_db(fields=["status"])
        raise TransitionNotAllowed(customer, to)
    customer.status = to
    record(
        customer,
        actor,
        f"status.{action}",
        summary or _("Status %(frm)s → %(to)s") % {"frm": S(frm).label, "to": S(to).label},
        before={"status": frm},
        after={"status": to, **(details or {})},
        internal=internal,
    )
    for handler in [] if _TAKING_OVER.get() else ON_ENTER.get(to, []):
        handler(customer, actor)
    return customer
