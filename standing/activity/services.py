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
    vendor_id=None,
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
        vendor_id=vendor_id,
        created_at=at or timezone.now(),
    )


def record(
    customer,
    actor,
    action,
    summary,
    before=None,
    after=None,
    internal=False,
    at=None,
    vendor=None,
):
    """Append a line to the activity log; call it inside the transaction that made the change.
    ``vendor`` (a Vendor or its id): the entry is about that vendor's business, and only that
    vendor's users (and staff) see it."""
    vendor_id = getattr(vendor, "pk", vendor)
    entry = build_record(
        customer, actor, action, summary, before, after, internal, at, vendor_id=vendor_id
    )
    entry.save()
    return entry


def _jsonable(values):
    return {k: v if v is None or isinstance(v, bool | int) else str(v) for k, v in values.items()}
