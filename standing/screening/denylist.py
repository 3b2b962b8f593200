"""The deny list's own rules: add, change, remove (each logged), CSV import and export.

Every change enqueues a background re-screening of the customers the changed entries might
match (on commit), whose new hits are put before staff for review, never denied silently.
"""

import csv
import functools
import io
import os
import pickle
import tempfile
from concurrent.futures import ProcessPoolExecutor
from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from standing.activity.services import record
from standing.core.bulk import BulkLoader
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
# Rows per batch (normalised together, written together).
CHUNK = 20_000


@functools.cache
def _limits():
    return {f.name: f.max_length for f in DenyEntry._meta.fields if f.name in COLUMNS}


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
    for field, limit in _limits().items():
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
        _("Deny-list entry changed: %(e)s") % {"e": _summary(entry)},
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


# What the import writes per entry: the cleaned columns, then the keys (DenyEntry.compute_keys).
KEY_COLUMNS = ["name_key", "email_key", "phone_key", "iban_key", "address_key", "document_key"]
# Below this many rows a batch is cleaned in this process (starting workers costs more).
PARALLEL_FROM = 4000


# Names and streets repeat across a list: their keys are computed once per process.
_name_key = functools.lru_cache(maxsize=1 << 16)(keys.name_key)
_address_key = functools.lru_cache(maxsize=1 << 16)(keys.address_key)


def normalise(values: dict):
    """``("ok", (cleaned columns…, keys…))`` or ``("error", {column: [messages]})`` of one
    row: ``clean_entry`` and the keys ``DenyEntry.compute_keys`` would give, without parsing
    the phone and the IBAN twice (``clean_entry`` gave their normal forms, which are their
    keys). A pure function of the row, so worker processes can run it."""
    try:
        cleaned = clean_entry(values)
    except ValidationError as error:
        return "error", error.message_dict
    derived = (
        _name_key(cleaned["first_name"], cleaned["last_name"]),
        keys.email_key(cleaned["email"]) if cleaned["email"] else "",
        cleaned["phone"],  # E.164 already: phone_key(e164) == e164
        cleaned["iban"],  # compact already: iban_key(compact) == compact
        _address_key(cleaned["street"], cleaned["postal_code"], cleaned["country"])
        if cleaned["street"]
        else "",
        keys.document_key(cleaned["document_number"]) if cleaned["document_number"] else "",
    )
    return "ok", tuple(cleaned[c] for c in COLUMNS) + derived


def default_processes():
    return min(os.cpu_count() or 1, 4)


def _normalise_batch(batch):
    from django.utils import translation

    language, rows = batch
    with translation.override(language):
        return [normalise(values) for values in rows]


class DenyListImport(CsvImport):
    """``standing denylist import FILE [--dry-run]``: entries from a CSV file, all or none.

    Built for a million rows: the check pass normalises the rows in worker processes
    (``processes``; the command uses one per core, a web upload none) and spools the results
    to a temporary file; the writing pass (one transaction) reads them back instead of
    normalising again and writes them set-based (COPY on PostgreSQL, executemany on SQLite).
    Every new entry re-screens the customers it might match (on commit), unless
    ``rescreen=False`` (the bench's generated list)."""

    columns = [Column(name) for name in COLUMNS]

    @property
    def batch_size(self):
        return CHUNK

    def __init__(self, actor, *, rescreen=True, source="", processes=None):
        self.actor = actor
        self.rescreen = rescreen
        self.source = source
        # Worker processes only where asked (the command line): a web server's threaded
        # worker does not fork.
        self.processes = processes or 1
        self.ids = []
        self._pool = None
        self._spool = None
        self._results = {}

    # --- the passes --------------------------------------------------------------------------
    def validate_all(self, source):
        with self._workers():
            return super().validate_all(source)

    def apply(self, source, *, dry_run=False):
        with self._workers():
            return super().apply(source, dry_run=dry_run)

    def _workers(self):
        importer = self

        class Workers:
            def __enter__(self):
                importer._spool = tempfile.TemporaryFile()
                importer._writing = False
                return importer

            def __exit__(self, *exc):
                if importer._pool is not None:
                    importer._pool.shutdown()
                    importer._pool = None
                importer._spool.close()
                importer._spool = None

        return Workers()

    def start(self, report):
        # The second pass (writing) reads the spool of the first from its beginning.
        self._writing = self._spool.tell() > 0
        self._spool.seek(0)
        self._loader = BulkLoader()
        self._now = timezone.now()

    def prepare(self, rows):
        lines = [row.line for row in rows]
        if self._writing:
            spooled_lines, results = pickle.load(self._spool)
            if spooled_lines == lines:
                self._results = dict(zip(lines, results, strict=True))
                return
        results = self._normalise([row.values for row in rows])  # pragma: no branch
        if not self._writing:
            pickle.dump((lines, results), self._spool, protocol=pickle.HIGHEST_PROTOCOL)
        self._results = dict(zip(lines, results, strict=True))

    def _normalise(self, rows):
        if len(rows) < PARALLEL_FROM or self.processes < 2:
            return [normalise(values) for values in rows]
        if self._pool is None:
            self._pool = ProcessPoolExecutor(self.processes)
        from django.utils import translation

        language = translation.get_language() or "en"
        size = (len(rows) + self.processes * 4 - 1) // (self.processes * 4)
        parts = [(language, rows[i : i + size]) for i in range(0, len(rows), size)]
        return [result for part in self._pool.map(_normalise_batch, parts) for result in part]

    def clean(self, row):
        state, value = self._results.pop(row.line)
        if state == "error":
            raise ValidationError(value)
        return value

    def write(self, items):
        user_id = self.actor.user.pk if self.actor.user else None
        label, source, now = self.actor.label, self.source, self._now
        ids = self._loader.reserve_ids(DenyEntry, len(items))
        self._loader.insert(
            DenyEntry,
            ["id", *COLUMNS, *KEY_COLUMNS, "added_by_id", "added_by_label", "source"]
            + ["created_at", "updated_at"],
            (
                (pk, *values, user_id, label, source, now, now)
                for pk, (_line, values) in zip(ids, items, strict=True)
            ),
        )
        self.ids += list(ids)

    def finish(self, report):
        record(
            None,
            self.actor,
            "denylist.imported",
            _("Deny list import: %(n)d entries from %(file)s")
            % {"n": len(self.ids), "file": report.source},
            internal=True,
        )
        if self.rescreen:
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
