from django.utils import timezone

from .models import ActivityRecord


def build_record(
    customer,
    actor,
    action,
    summary,
    before=None,
    after=None,
    internal=False,
    at=None,
    customer_id=None,
):
    """An unsaved activity line (for ``bulk_create`` of set-based changes); ``record()`` saves
    one. ``customer_id`` may stand in for ``customer`` when only the id is at hand."""
    return ActivityRecord(
        customer=customer,
        **({"customer_id": customer_id} if customer is None and customer_id else {}),
        actor=actor.user if actor else None,
        actor_label=actor.label if actor else "system",
        action=action,
        summary=str(summary)[:300],
        before=_jsonable(before or {}),
        after=_jsonable(after or {}),
        internal=internal,
        created_at=at or timezone.now(),
    )


def record(customer, actor, action, summary, before=None, after=None, internal=False, at=None):
    """Append a line to the activity log; call it inside the transaction that made the change."""
    entry = build_record(customer, actor, action, summary, before, after, internal, at)
    entry.save()
    return entry


def _jsonable(values):
    return {k: v if v is None or isinstance(v, bool | int) else str(v) for k, v in values.items()}
