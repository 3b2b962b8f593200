"""Customer search that stays fast on a million rows.

Each word of a name search must be the *beginning* of the last name, the first name or the
email address (Müller = Mueller, through the search keys); two words may be "first last" or
"last first". Every condition is one range of an index on the key *and the id*
(``customer_search_name_id`` and its siblings), so the newest matches come from the indexes
alone, without reading a customer's row: a common last name among a million customers is a few
thousand index entries, not a walk through every newer customer.
"""

import re
from functools import reduce
from operator import or_

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Q

from .models import Customer
from .normalize import phone_e164, search_key


def prefix_q(field, value):
    """``field`` starts with ``value``, as an index range (no LIKE, no scan)."""
    # A range instead of LIKE: uses the B-tree index on SQLite and PostgreSQL alike.
    return Q(**{f"{field}__gte": value, f"{field}__lt": value + "\uffff"})


def key_prefix_q(field, value):
    """A search key (``search_name``, ``first_key``, ``email_key``) starts with ``value``:
    on PostgreSQL ``LIKE 'value%'``, which their pattern indexes answer under any collation
    (migration 0008); elsewhere the index range of ``prefix_q``."""
    if connection.vendor == "postgresql":
        return Q(**{f"{field}__startswith": value})
    return prefix_q(field, value)


def name_q(key):
    """The customers whose last or first name begins with the search key ``key``
    (``search_key``)."""
    return key_prefix_q("search_name", key) | key_prefix_q("first_key", key)


def _word(word):
    """The conditions one word matches by: each one index range."""
    key = search_key(word)
    found = [key_prefix_q("email_key", word.lower())]
    if key:
        found += [key_prefix_q("search_name", key), key_prefix_q("first_key", key)]
    return found


def branches(text: str) -> list[Q]:
    """The customers matching ``text`` as the union of these conditions ([] for no text)."""
    text = (text or "").strip()
    if not text:
        return []
    if re.fullmatch(r"[Kk]-?\d+", text):
        digits = re.sub(r"\D", "", text)
        return [Q(number=f"{settings.CUSTOMER_NUMBER_PREFIX}{int(digits):06d}")]
    if re.fullmatch(r"[+\d][\d /()\-]{5,}", text):
        try:
            return [prefix_q("phone", phone_e164(text))]
        except ValidationError:
            pass
    words = text.split()[:5]
    if len(words) == 1:
        return _word(words[0])
    if len(words) == 2 and all(map(search_key, words)):
        # "Anna Müller" or "Müller Anna": one index range on "last first" either way round.
        a, b = (search_key(w) for w in words)
        return [key_prefix_q("search_name", f"{a} {b}"), key_prefix_q("search_name", f"{b} {a}")]
    # More words: each must match (a filter on the rows, rare enough).
    return [reduce(lambda q, word: q & reduce(or_, _word(word)), words, Q())]


def search(queryset, text: str):
    found = branches(text)
    return queryset.filter(reduce(or_, found)) if found else queryset


def matching_ids(queryset, text: str):
    """The ids of ``queryset``'s customers matching ``text``, newest first (for a pager).

    On PostgreSQL the union of each condition's ids: every branch an index-only scan of its
    range, then the few thousand ids sorted. With the conditions OR-ed its planner walked the
    primary key backwards, testing every newer customer (112,000 rows for "Schneider" at a
    million customers), or read each match's row to sort them; SQLite's own OR plan already
    takes the ranges one by one."""
    found = branches(text)
    if connection.vendor != "postgresql" or len(found) < 2:
        matching = queryset.filter(reduce(or_, found)) if found else queryset
        return matching.order_by("-pk").values_list("pk", flat=True)
    first, *rest = (queryset.filter(q).order_by().values_list("pk", flat=True) for q in found)
    return first.union(*rest).order_by("-pk")


def _filtered(actor_queryset, status="", group="", blocked=None):
    qs = actor_queryset
    if status:
        qs = qs.filter(status=status)
    if group:
        qs = qs.filter(group_id=group)
    if blocked is not None:
        from .standing import filter_blocked

        qs = filter_blocked(qs, blocked)
    return qs


def customer_list(actor_queryset, q="", status="", group="", blocked=None):
    """The customers of the list's filters (``blocked``: True, False or None for either)."""
    return search(_filtered(actor_queryset, status, group, blocked), q).select_related("group")


def customer_ids(actor_queryset, q="", status="", group="", blocked=None):
    """The ids of ``customer_list``'s customers, newest first (``matching_ids``): the list
    pages them, then reads the page's rows (``customers_of``)."""
    return matching_ids(_filtered(actor_queryset, status, group, blocked), q)


def customers_of(ids):
    """The customers ``ids`` (a page of ``customer_list``, already scoped and ordered) with
    their group, in the order given."""
    found = Customer.objects.select_related("group").in_bulk(ids)
    return [found[pk] for pk in ids if pk in found]
