"""The deny list's own rules: add, change, remove (each logged), CSV import and export.

Every change enqueues a background re-screening of the customers the changed entries might
match (on commit), whose new hits are put before staff for review, never denied silently.
"""

import csv
import io
from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from standing.activity.services import record
from standing.core.csvimport import Column, CsvImport
from standing.customers.normalize import iban_compact, phone_e164

from . import keys
from .models import DenyEntry

COLUMNS = [
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
    "note",
]
IDENTIFYING = ["last_name", "birth_date", "email", "phone", "iban", "street", "document_number"]
CHUNK = 2000


def clean_entry(values: dict) -> dict:
    """Validated, normalised values of an entry; ValidationError({field: [message]})."""
    cleaned = {c: (values.get(c) or "") for c in COLUMNS}
    cleaned = {c: v.strip() if isinstance(v, str) else v for c, v in cleaned.items()}
    errors = {}
    if isinstance(cleaned["birth_date"], str):
        raw = cleaned["birth_date"]
        try:
            cleaned["birth_date"] = date.fromisoformat(raw) if raw else None
        except ValueError:
            errors["birth_date"] = [_("“%(value)s” is not a date (YYYY-MM-DD).") % {"value": raw}]
    cleaned["birth_date"] = cleaned["birth_date"] or None
    if cleaned["email"]:
        try:
            validate_email(cleaned["email"])
        except ValidationError:
            errors["email"] = [
                _("“%(value)s” is not an email address.") % {"value": cleaned["email"]}
            ]
    for field, fn in (("phone", phone_e164), ("iban", iban_compact)):
        try:
            cleaned[field] = fn(cleaned[field])
        except ValidationError as error:
            errors[field] = error.messages
    cleaned["country"] = (cleaned["country"] or "DE").upper()
    if len(cleaned["country"]) != 2 or not cleaned["country"].isalpha():
        errors["country"] = [_("The country is a two-letter code such as DE.")]
    limits = {f.name: f.max_length for f in DenyEntry._meta.fields if f.name in COLUMNS}
    for field, limit in limits.items():
        if limit and isinstance(cleaned[field], str) and len(cleaned[field]) > limit:
            errors[field] = [_("At most %(n)d characters.") % {"n": limit}]
    for field, value in cleaned.items():
        if isinstance(value, str) and "\x00" in value:
            errors[field] = [_("Contains a NUL character.")]
    if not any(cleaned[c] for c in IDENTIFYING):
        errors["__all__"] = [
            _("An entry needs a name, birth date, email, phone, IBAN, address or document number.")
        ]
    if errors:
        raise ValidationError(errors)
    return cleaned


def _rescreen_on_commit(entry_ids):
    from .tasks import rescreen_for_entries

    ids = list(entry_ids)
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        transaction.on_commit(lambda chunk=chunk: rescreen_for_entries.enqueue(chunk))


def _summary(entry):
    return str(entry)[:120]


@transaction.atomic
def add_entry(actor, values: dict) -> DenyEntry:
    entry = DenyEntry(**clean_entry(values), added_by=actor.user, added_by_label=actor.label)
    entry.save()
    record(
        None,
        actor,
        "denylist.added",
        _("Deny-list entry added: %(e)s") % {"e": _summary(entry)},
        after={"entry": entry.pk},
        internal=True,
    )
    _rescreen_on_commit([entry.pk])
    return entry


@transaction.atomic
def update_entry(entry: DenyEntry, actor, values: dict) -> DenyEntry:
    cleaned = clean_entry(values)
    before = {c: getattr(entry, c) for c in COLUMNS}
    for field, value in cleaned.items():
        setattr(entry, field, value)
    entry.save()
    changed = [c for c in COLUMNS if before[c] != getattr(entry, c)]
    record(
        None,
        actor,
        "denylist.changed",
        _("Deny-list entry #%(id)s changed") % {"id": entry.pk},
        before={c: before[c] for c in changed},
        after={"entry": entry.pk, **{c: getattr(entry, c) for c in changed}},
        internal=True,
    )
    _rescreen_on_commit([entry.pk])
    return entry


@transaction.atomic
def remove_entry(entry: DenyEntry, actor):
    summary, pk = _summary(entry), entry.pk
    entry.delete()
    record(
        None,
        actor,
        "denylist.removed",
        _("Deny-list entry removed: %(e)s") % {"e": summary},
        before={"entry": pk},
        internal=True,
    )


def search_entries(queryset, text: str):
    """Each word narrows the list: an email, phone number or IBAN by its indexed key, any other
    word by a part of the name or the document number."""
    text = (text or "").strip()
    # Phone numbers and IBANs are often typed with spaces: try the whole text first.
    if phone := keys.phone_key(text):
        return queryset.filter(phone_key=phone)
    if iban := keys.iban_key(text):
        return queryset.filter(iban_key=iban)
    for word in text.split():
        if "@" in word:
            key = keys.email_key(word)
            q = Q(email_key__gte=key, email_key__lt=key + "\uffff")
        elif phone := keys.phone_key(word):
            q = Q(phone_key=phone)
        elif iban := keys.iban_key(word):
            q = Q(iban_key=iban)
        else:
            # A substring of "first last": a staff search, not the matching path.
            q = Q(name_key__contains=keys.compact(word)) | Q(document_key=keys.document_key(word))
        queryset = queryset.filter(q)
    return queryset


class DenyListImport(CsvImport):
    """``standing denylist import FILE [--dry-run]``: entries from a CSV file, all or none.
    Entries are written in chunks inside one transaction, so a file of a million rows never
    sits in memory; every new entry re-screens the customers it might match (on commit)."""

    columns = [Column(name) for name in COLUMNS]

    def __init__(self, actor):
        self.actor = actor
        self.ids = []

    @property
    def batch_size(self):
        return CHUNK

    def clean(self, row):
        entry = DenyEntry(
            **clean_entry(row.values), added_by=self.actor.user, added_by_label=self.actor.label
        )
        entry.compute_keys()
        return entry

    def write(self, items):
        # bulk_create returns the primary keys on PostgreSQL and SQLite >= 3.35.
        self.ids += [e.pk for e in DenyEntry.objects.bulk_create([e for _line, e in items])]

    def finish(self, report):
        record(
            None,
            self.actor,
            "denylist.imported",
            _("Deny list import: %(n)d entries from %(file)s")
            % {"n": len(self.ids), "file": report.source},
            internal=True,
        )
        _rescreen_on_commit(self.ids)


def export_rows(queryset):
    """CSV lines (header first) of ``queryset``, generated chunk by chunk for streaming."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def flush():
        value = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return value

    writer.writerow(COLUMNS)
    yield flush()
    for entry in queryset.order_by("id").iterator(chunk_size=2000):
        row = []
        for column in COLUMNS:
            value = getattr(entry, column)
            row.append(value.isoformat() if isinstance(value, date) else value)
        writer.writerow(row)
        yield flush()
