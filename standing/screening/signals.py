"""Keep ``CustomerKeys`` in step with the customer's master data.

A derived index, not an audit record: a signal is the right tool here, since every path that
changes master data (create_customer, update_customer, merges) goes through ``save()``.
"""

from .matching import KEY_SOURCE_FIELDS, refresh_customer_keys


def customer_saved(sender, instance, created=False, update_fields=None, **kwargs):
    if update_fields is not None and not (set(update_fields) & KEY_SOURCE_FIELDS):
        return
    refresh_customer_keys(instance, created=created)
