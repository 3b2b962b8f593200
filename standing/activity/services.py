from django.utils import timezone

from .models import ActivityRecord


def record(customer, actor, action, summary, before=None, after=None, internal=False, at=None):
    """Append a line to the activity log; call it inside the transaction that made the change."""
    return ActivityRecord.objects.create(
        customer=customer,
        actor=actor.user if actor else None,
        actor_label=actor.label if actor else "system",
        action=action,
        summary=str(summary)[:300],
        before=_jsonable(before or {}),
        after=_jsonable(after or {}),
        internal=internal,
        created_at=at or timezone.now(),
    )


def _jsonable(values):
    return {k: v if v is None or isinstance(v, bool | int) else str(v) for k, v in values.items()}
