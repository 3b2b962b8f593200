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
    cleaned = _clean_fast(values)
    if cleaned is None:
        # Anything unusual (or wrong) goes the one way that words the problems.
        try:
            entry = clean_entry(values)
        except ValidationError as error:
            return "error", error.message_dict
        cleaned = tuple(entry[c] for c in COLUMNS)
    first, last, _birth, email, _phone, _iban, street, postal, _city, country, document, _ = cleaned
    derived = (
        _name_key(first, last),
        keys.email_key(email) if email else "",
        cleaned[4],  # E.164 already: phone_key(e164) == e164
        cleaned[5],  # compact already: iban_key(compact) == compact
        _address_key(street, postal, country) if street else "",
        keys.document_key(document) if document else "",
    )
    return "ok", cleaned + derived


# (position in COLUMNS, max_length) of the columns clean_entry holds to their length.
@functools.cache
def _limit_positions():
    return tuple(
        (COLUMNS.index(name), limit) for name, limit in _limits().items() if limit is not None
    )


def _clean_fast(values: dict):
    """The cleaned columns (in COLUMNS order) of a good row of text cells, exactly as
    ``clean_entry`` gives them, or None where ``clean_entry`` must decide (a problem, or
    cells that are not text). Empty cells cost nothing: a list has many."""
    try:
        row = [(values.get(c) or "").strip() for c in COLUMNS]
    except AttributeError:  # not text (a form's date): the general way
        return None
    first, last, birth, email, phone, iban, street, postal, city, country, document, note = row
    if birth:
        try:
            row[2] = date.fromisoformat(birth)
        except ValueError:
            return None
    else:
        row[2] = None
    try:
        if email:
            validate_email(email)
        if phone:
            row[4] = phone_e164(phone)
        if iban:
            row[5] = iban_compact(iban)
    except ValidationError:
        return None
    row[9] = country = (country or "DE").upper()
    if len(country) != 2 or not country.isalpha():
        return None
    for position, limit in _limit_positions():
        if len(row[position]) > limit:
            return None
    if "\x00" in "".join(v for v in row if v.__class__ is str):
        return None
    if not (last or row[2] or email or phone or iban or street or document):
        return None
    return tuple(row)


def default_processes():
    return min(os.cpu_count() or 1, 4)


def _normalise_part(part):
    """Normalise a part of a batch (in a worker process): ``(language, header, rows of
    cells)`` → (the results pickled for the spool, {index in the part: errors}). Only the
    problems travel back unpickled: the check pass needs nothing else of a good row."""
    from django.utils import translation

    language, header, rows = part
    with translation.override(language):
        results = [normalise(dict(zip(header, cells, strict=True))) for cells in rows]
    errors = {i: value for i, (state, value) in enumerate(results) if state == "error"}
    return pickle.dumps(results, protocol=pickle.HIGHEST_PROTOCOL), errors


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
            spooled_lines, parts = pickle.load(self._spool)
            results = [result for _ in range(parts) for result in pickle.load(self._spool)]
            if spooled_lines != lines:  # pragma: no cover - the file changed between passes
                results = [normalise(row.values) for row in rows]
            self._results = dict(zip(lines, results, strict=True))
            return
        blobs, errors = self._normalise([row.values for row in rows])
        pickle.dump((lines, len(blobs)), self._spool, protocol=pickle.HIGHEST_PROTOCOL)
        for blob in blobs:
            self._spool.write(blob)
        self._results = {lines[i]: ("error", value) for i, value in errors.items()}

    def _normalise(self, rows):
        """The batch's results, pickled in parts for the spool, and its problems by index."""
        if len(rows) < PARALLEL_FROM or self.processes < 2:
            results = [normalise(values) for values in rows]
            errors = {i: value for i, (state, value) in enumerate(results) if state == "error"}
            return [pickle.dumps(results, protocol=pickle.HIGHEST_PROTOCOL)], errors
        if self._pool is None:
            self._pool = ProcessPoolExecutor(self.processes)
        from django.utils import translation

        language = translation.get_language() or "en"
        # Cells travel as tuples under one header, not as a dict each.
        header = tuple(rows[0])
        size = (len(rows) + self.processes * 4 - 1) // (self.processes * 4)
        parts = [
            (language, header, [tuple(values.values()) for values in rows[i : i + size]])
            for i in range(0, len(rows), size)
        ]
        blobs, errors = [], {}
        for start, (blob, part_errors) in zip(
            range(0, len(rows), size), self._pool.map(_normalise_part, parts), strict=True
        ):
            blobs.append(blob)
            errors.update((start + i, value) for i, value in part_errors.items())
        return blobs, errors

    def clean(self, row):
        # The check pass knows only the problems (a good row is written from the spool).
        state, value = self._results.pop(row.line, ("ok", None))
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
