"""Every save of a customer's master data queues the refresh of their duplicate pairs."""

from .tasks import refresh_customer_pairs

RELEVANT = {
    "first_name",
    "last_name",
    "birth_date",
    "email",
    "phone",
    "iban",
    "street",
    "postal_code",
    "country",
    "status",
}


def customer_saved(sender, instance, created=False, update_fields=None, raw=False, **kwargs):
    """Queue the refresh of the customer's pairs. Enqueued in the saving transaction, not after
    it: the task row commits with the customer (or not at all), so a crash in between loses
    nothing. Until the worker ran it, the card shows the pairs as they were."""
    if raw or (update_fields is not None and not (set(update_fields) & RELEVANT)):
        return
    refresh_customer_pairs.enqueue(instance.pk)
