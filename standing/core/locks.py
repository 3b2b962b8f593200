"""Serialising work on one record, and recognising a double submission.

A form sent twice (a double click, a retried request) must have one effect. Services that
create something for a customer lock the customer's row first (``lock``), so concurrent
requests run one after the other, and then look for a ``twin``: the same thing made a moment
ago (``DOUBLE_SUBMIT_SECONDS``). A twin is answered instead of making a second one.
"""

from datetime import timedelta

from django.conf import settings


def lock(instance):
    """Lock ``instance``'s row until the transaction ends (PostgreSQL: FOR UPDATE; SQLite
    runs write transactions one at a time anyway, IMMEDIATE mode)."""
    type(instance)._base_manager.select_for_update().filter(pk=instance.pk).exists()
    return instance


def twin(queryset, now, field="created_at"):
    """The newest row of ``queryset`` made within ``DOUBLE_SUBMIT_SECONDS`` before ``now``."""
    since = now - timedelta(seconds=settings.DOUBLE_SUBMIT_SECONDS)
    return queryset.filter(**{f"{field}__gte": since}).order_by(f"-{field}").first()
