"""Keep ``CustomerKeys`` in step with the customer's master data.

A derived index, not an audit record: a signal is the right tool here, since every path that
changes master data (create_customer, update_customer, merges) goes through ``save()``.
"""

from .matching import refresh_customer_keys


def customer_saved(sender, instance, update_fields=None, **kwargs):
    relevant = {
        "first_name",
        "last_name",
        "birth_date",
        "email",
        "phone",
        "iban",
        "street",
        "postal_code",
        "city",
        "country",
    }
    if update_fields is not None and not (set(update_fields) & relevant):
        return
    refresh_customer_keys(instance)
