"""Duplicate suggestions: the same person under two customer numbers.

Every candidate comes out of an index, with the screening's normalisation (``screening.keys``)
and its customer keys (``CustomerKeys``): equality on the email, phone, IBAN and address keys,
and the birth date as the blocking key for the fuzzy name comparison (``keys.name_score``:
typos, swapped first and last name, double names). One customer's suggestions are a handful of
indexed lookups, whatever the number of customers (``standing bench``: "duplicates of one").
"""

import random
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from standing.activity.services import record
from standing.core.errors import DomainError
from standing.customers.models import Customer, CustomerStatus
from standing.screening import keys
from standing.screening.models import CustomerKeys

from .models import DuplicatePair

# Attributes whose equal keys suggest the same person, with the key column.
EXACT = [("email", "email_key"), ("phone", "phone_key"), ("iban", "iban_key")]
# A key shared by more customers than this (a shop's hotline as everyone's phone) is answered
# with the first ones only, so one pathological key cannot stall the card.
PER_KEY_LIMIT = 50
PER_DAY_LIMIT = 1000
# Customers that can no longer be merged: tombstones of merges and erased customers.
GONE = (CustomerStatus.MERGED, CustomerStatus.DELETED)
ATTRIBUTE_LABELS = {
    "email": gettext_lazy("email"),
    "phone": gettext_lazy("phone"),
    "iban": "IBAN",
    "name+address": gettext_lazy("name and address"),
    "name+birth_date": gettext_lazy("name and birth date"),
}


@dataclass
class Suggestion:
    customer: Customer
    reasons: list  # [{"attribute", "score"}], strongest first
    score: float


def _candidates(customer) -> dict[int, dict[str, float]]:
    k = keys.customer_keys(customer)
    others = CustomerKeys.objects.exclude(customer_id=customer.pk)
    found: dict[int, dict[str, float]] = {}
    for attribute, column in EXACT:
        if k[column]:
            rows = others.filter(**{column: k[column]}).values_list("customer_id", flat=True)
            for cid in rows[:PER_KEY_LIMIT]:
                found.setdefault(cid, {})[attribute] = 100.0
    if k["address_key"] and k["name_key"]:
        # Flatmates and families share an address: it counts only with a like last name.
        rows = others.filter(address_key=k["address_key"]).values_list(
            "customer_id", "customer__first_name", "customer__last_name"
        )
        for cid, first, last in rows[:PER_KEY_LIMIT]:
            score = keys.last_name_score(k["name_key"], keys.name_key(first, last))
            if score >= settings.SCREENING_ADDRESS_NAME_THRESHOLD:
                found.setdefault(cid, {})["name+address"] = round(score, 1)
    if k["birth_date"] and k["name_key"]:
        rows = others.filter(birth_date=k["birth_date"]).values_list(
            "customer_id", "customer__first_name", "customer__last_name"
        )
        for cid, first, last in rows[:PER_DAY_LIMIT]:
            score = keys.name_score(k["name_key"], keys.name_key(first, last))
            if score >= settings.DUPLICATES_NAME_THRESHOLD:
                found.setdefault(cid, {})["name+birth_date"] = round(score, 1)
    return found


def _pair(x, y):
    return (x, y) if x < y else (y, x)


def _dismissed(customer_id, ids):
    pairs = DuplicatePair.objects.filter(dismissed_at__isnull=False).filter(
        Q(a_id=customer_id, b_id__in=ids) | Q(b_id=customer_id, a_id__in=ids)
    )
    return {a if b == customer_id else b for a, b in pairs.values_list("a_id", "b_id")}


def suggestions(customer, limit=20) -> list[Suggestion]:
    """The customers that look like the same person as ``customer``, best first; dismissed
    pairs, tombstones and erased customers left out."""
    if customer.status in GONE:
        return []
    found = _candidates(customer)
    if not found:
        return []
    found = {cid: v for cid, v in found.items() if cid not in _dismissed(customer.pk, found)}
    people = Customer.objects.filter(pk__in=found).exclude(status__in=GONE)
    result = []
    for other in people:
        reasons = sorted(
            ({"attribute": a, "score": s} for a, s in found[other.pk].items()),
            key=lambda r: (-r["score"], r["attribute"]),
        )
        # More agreeing attributes weigh more than one perfect one.
        score = round(max(r["score"] for r in reasons) + 10 * (len(reasons) - 1), 1)
        result.append(Suggestion(other, reasons, score))
    return _best_first(result, limit)


def _best_first(found: list[Suggestion], limit) -> list[Suggestion]:
    return sorted(found, key=lambda s: (-s.score, s.customer.number))[:limit]


def stored_suggestions(customer, limit=10) -> list[Suggestion]:
    """The customer's stored open pairs, best first, for the card: one indexed query instead of
    computing ``suggestions`` on every view. The pairs are as current as the live suggestions
    once the worker has run: every save of either customer's master data queues their refresh
    (``customer_saved``), a bulk load is followed by ``standing duplicates scan``, and
    tombstones are left out here."""
    if customer.status in GONE:
        return []
    pairs = (
        DuplicatePair.objects.filter(dismissed_at__isnull=True)
        .filter(Q(a_id=customer.pk) | Q(b_id=customer.pk))
        .select_related("a", "b")
    )
    result = []
    for pair in pairs:
        other = pair.b if pair.a_id == customer.pk else pair.a
        if other.status not in GONE:
            result.append(Suggestion(other, pair.reasons, pair.score))
    return _best_first(result, limit)


def refresh_pairs(customer):
    """Store the customer's current suggestions for the "Dubletten" page (dismissed pairs
    stay dismissed; pairs that no longer match go)."""
    open_pairs = DuplicatePair.objects.filter(dismissed_at__isnull=True)
    open_pairs.filter(Q(a=customer) | Q(b=customer)).delete()
    rows = []
    for s in suggestions(customer, limit=PER_KEY_LIMIT):
        a, b = _pair(customer.pk, s.customer.pk)
        rows.append(DuplicatePair(a_id=a, b_id=b, reasons=s.reasons, score=s.score))
    DuplicatePair.objects.bulk_create(rows, ignore_conflicts=True)


def open_pairs():
    return (
        DuplicatePair.objects.filter(dismissed_at__isnull=True)
        .exclude(a__status__in=GONE)
        .exclude(b__status__in=GONE)
        .select_related("a", "b")
    )


class SamePerson(DomainError):
    status = 422


@transaction.atomic
def dismiss(customer, other, actor):
    """Staff say the two are different people: the pair is never suggested again."""
    if customer.pk == other.pk:
        raise SamePerson(_("A customer cannot be a duplicate of itself."))
    a, b = _pair(customer.pk, other.pk)
    now = timezone.now()
    pair, created = DuplicatePair.objects.get_or_create(
        a_id=a, b_id=b, defaults={"dismissed_at": now, "dismissed_by_label": actor.label}
    )
    if not created and pair.dismissed_at is None:
        DuplicatePair.objects.filter(pk=pair.pk).update(
            dismissed_at=now, dismissed_by_label=actor.label
        )
    summary = _("Not a duplicate of %(other)s (dismissed)")
    record(customer, actor, "duplicate.dismissed", summary % {"other": other.number})
    record(other, actor, "duplicate.dismissed", summary % {"other": customer.number})
    return pair


def reason_labels(reasons):
    return ", ".join(str(ATTRIBUTE_LABELS.get(r["attribute"], r["attribute"])) for r in reasons)


# --- standing bench --------------------------------------------------------------------


def bench_cases():
    """{name: callable}: one customer's suggestions, another of 200 random bench customers each
    time. Bench customers are bulk-loaded without signals, so their keys are filled here
    first, set-based and only where missing."""
    keys_table = connection.ops.quote_name(CustomerKeys._meta.db_table)
    customers_table = connection.ops.quote_name(Customer._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {keys_table}"
            " (customer_id, birth_date, email_key, phone_key, iban_key, address_key, document_key)"
            f" SELECT c.id, c.birth_date, c.email_key, c.phone, '', '', ''"
            f" FROM {customers_table} c"
            " WHERE c.number LIKE %s AND NOT EXISTS"
            f" (SELECT 1 FROM {keys_table} k WHERE k.customer_id = c.id)",
            ["B-%"],
        )
    bench = Customer.objects.filter(number__startswith="B-")
    # Without list customers (``standing bench run --with duplicates`` on generated data, whose
    # keys the generator filled), any customers; a random pk range, not ORDER BY random().
    pool = list(bench.order_by("?").values_list("pk", flat=True)[:200]) or _random_pks(200)
    people = {c.pk: c for c in Customer.objects.filter(pk__in=pool)}
    cycle = iter(range(10**9))

    def one():
        customer = people[pool[next(cycle) % len(pool)]]
        return suggestions(customer)

    return {"duplicates of one customer": one}


def _random_pks(n):
    highest = Customer.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    rng = random.Random(7)
    found = set()
    for _attempt in range(n):
        pk = (
            Customer.objects.filter(pk__gte=rng.randrange(1, highest + 1))
            .order_by("pk")
            .values_list("pk", flat=True)
            .first()
        )
        if pk:
            found.add(pk)
    return sorted(found)


def bench_duplicates(command, options):
    """``standing bench --only duplicates [--customers N]``: the p95 of one customer's
    suggestions among N customers (SPEC: at most 50 ms on 1,000,000)."""
    loaded = command.load(options.get("customers") or 0)
    results = command.measure(bench_cases(), options["repeat"])
    return {"customers": Customer.objects.count(), "loaded_now": loaded, "cases": results}
