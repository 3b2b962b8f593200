"""Deny-list matching (SPEC §3): every candidate comes out of an index.

* exact identifiers (email, phone, IBAN, document number): equality on the entry's key column;
* address: equality on the address key, then the name must be alike (flatmates are not hits);
* name + birth date: the birth date is the blocking key (indexed equality, a few dozen
  entries per day even with 1,000,000 entries), then ``rapidfuzz`` scores the names.

The reverse direction (a new entry → the customers it matches) uses ``CustomerKeys`` alike.
"""

from dataclasses import dataclass

from django.conf import settings

from . import keys
from .models import ClearedMatch, CustomerKeys, DenyEntry

EXACT = [
    ("email", "email_key"),
    ("phone", "phone_key"),
    ("iban", "iban_key"),
    ("document_number", "document_key"),
]
# The key columns both directions look up by equality: a customer's keys against the entries
# (match_customer), a new entry's keys against CustomerKeys (customers_matching). One list, so
# a key cannot be kept in one direction and forgotten in the other.
REVERSE_KEYS = [column for _attribute, column in EXACT] + ["address_key"]
# The customer fields the keys are made of (a change of any of them refreshes CustomerKeys).
KEY_SOURCE_FIELDS = {
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
    "document_number",
}
# A key shared by more entries than this is answered with the first ones only, so that one
# pathological key (thousands of entries with the same phone) cannot stall a registration.
PER_KEY_LIMIT = 50


@dataclass(frozen=True)
class Hit:
    entry: DenyEntry
    attribute: str  # "email", "name+birth_date", …
    score: float


def match_customer(customer) -> list[Hit]:
    """The deny-list hits of ``customer`` (entries staff cleared for them are left out)."""
    k = keys.customer_keys(customer)
    entries = DenyEntry.objects.only("id", "name_key", "first_name", "last_name")
    hits = []
    for attribute, column in EXACT:
        if k[column]:
            for entry in entries.filter(**{column: k[column]})[:PER_KEY_LIMIT]:
                hits.append(Hit(entry, attribute, 100.0))
    if k["address_key"]:
        for entry in entries.filter(address_key=k["address_key"])[:PER_KEY_LIMIT]:
            if not entry.name_key:
                hits.append(Hit(entry, "address", 100.0))
                continue
            score = keys.name_score(k["name_key"], entry.name_key)
            if score >= settings.SCREENING_ADDRESS_NAME_THRESHOLD:
                hits.append(Hit(entry, "name+address", round(score, 1)))
    if k["birth_date"] and k["name_key"]:
        # The day's names from the index (``denyentry_birth_name``); whole entries for the hits.
        same_day = entries.filter(birth_date=k["birth_date"]).exclude(name_key="")
        scores = {}
        for pk, name_key in same_day.values_list("id", "name_key")[: PER_KEY_LIMIT * 20]:
            score = keys.name_score(k["name_key"], name_key)
            if score >= settings.SCREENING_NAME_THRESHOLD:
                scores[pk] = round(score, 1)
        if scores:
            for entry in entries.filter(pk__in=scores):
                hits.append(Hit(entry, "name+birth_date", scores[entry.pk]))
    if hits and customer.pk:
        cleared = set(
            ClearedMatch.objects.filter(
                customer_id=customer.pk, entry_id__in={h.entry.pk for h in hits}
            ).values_list("entry_id", flat=True)
        )
        hits = [h for h in hits if h.entry.pk not in cleared]
    return hits


def refresh_customer_keys(customer, created=False):
    """Store the customer's keys; ``created``: the customer was just inserted, so they have
    no keys yet (one INSERT instead of a locked look-up and savepoints)."""
    k = keys.customer_keys(customer)
    values = {"birth_date": k["birth_date"], **{column: k[column] for column in REVERSE_KEYS}}
    if created:
        CustomerKeys.objects.create(customer_id=customer.pk, **values)
    else:
        CustomerKeys.objects.update_or_create(customer_id=customer.pk, defaults=values)


def customers_matching(entry: DenyEntry) -> set[int]:
    """Ids of the customers ``entry`` might match (the screening itself decides)."""
    ids = set()
    for column in REVERSE_KEYS:
        if value := getattr(entry, column):
            ids.update(
                CustomerKeys.objects.filter(**{column: value}).values_list("customer_id", flat=True)
            )
    if entry.birth_date and entry.name_key:
        same_day = CustomerKeys.objects.filter(birth_date=entry.birth_date).select_related(
            "customer"
        )
        for row in same_day.only("customer__first_name", "customer__last_name"):
            name = keys.name_key(row.customer.first_name, row.customer.last_name)
            if keys.name_score(name, entry.name_key) >= settings.SCREENING_NAME_THRESHOLD:
                ids.add(row.customer_id)
    return ids
