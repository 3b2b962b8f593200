"""The customer's data export ("Kundendaten exportieren", SPEC §5): a ZIP with ``customer.json``
(every fact about the customer, in the versioned schema ``schema/customer-v1.json``) and every
file of theirs (documents on the card, the PDFs of their Belege).

Streamed: the ZIP is written into a small buffer that is handed out piece by piece, the rows
are read with ``iterator(chunk_size=…)`` and the files copied in blocks, so memory stays flat
for a customer with thousands of records. What is exported follows the record policies of
``standing.customers.records``: a new relation with an ``export`` key appears by itself.
"""

import json
import zipfile
from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path, PurePosixPath
from uuid import UUID

from django.apps import apps
from django.db import models
from django.utils import timezone

from standing.customers import records
from standing.customers.models import Customer
from standing.customers.services import MASTER_FIELDS

SCHEMA_ID = "standing/customer-v1"
SCHEMA_VERSION = 1
SCHEMA_FILE = Path(__file__).parent / "schema" / "customer-v1.json"
CHUNK_ROWS = 500
FLUSH_BYTES = 64 * 1024
COPY_BYTES = 256 * 1024

# The customer's own fields in the export: the master data (the group by name, below) and what
# the row holds besides; search keys are derived and left out.
CUSTOMER_FIELDS = [
    "number",
    "status",
    *(name for name in MASTER_FIELDS if name != "group"),
    "permissions",
    "created_at",
    "updated_at",
]


class Evidence:
    INCLUDED = "included"  # staff answering an access request (Art. 15)
    WITHHELD = "withheld"  # the operator recorded a legal restriction
    NOT_INCLUDED = "not_included"  # the customer's own export: never a screening reason


def _json(value):
    if isinstance(value, Decimal | UUID):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _columns(model, fk=None):
    """(attname, field) of the model's concrete fields, without the customer foreign key."""
    return [(f.attname, f) for f in model._meta.concrete_fields if f.name != fk]


def sections():
    """[(key, model, customer fk, queryset builder, policy)] of every exported relation."""
    found = []
    for rel in records.covered():
        policy = rel.policy
        if not policy.export:
            continue
        found.append((policy.export, rel.model, rel.fk, rel.rows, policy))
        for key, (label, lookup, *staff_only) in policy.export_related.items():
            model = apps.get_model(label)

            def rows(customer, model=model, lookup=lookup):
                return model._default_manager.filter(**{lookup: customer})

            related = replace(policy, staff_only=staff_only[0] if staff_only else False)
            found.append((key, model, None, rows, related))
    return found


def _rows(customer, rows, policy, for_staff, with_evidence):
    qs = rows(customer)
    for rule, allowed in ((policy.staff_only, for_staff), (policy.evidence, with_evidence)):
        if rule is True and not allowed:
            return qs.none()
        if isinstance(rule, models.Q) and not allowed:
            qs = qs.exclude(rule)
    return qs.order_by("pk")


def evidence_state(customer, include_evidence):
    from .models import EvidenceRestriction

    if not include_evidence:
        return Evidence.NOT_INCLUDED
    if EvidenceRestriction.objects.filter(customer=customer).exists():
        return Evidence.WITHHELD
    return Evidence.INCLUDED


def customer_data(customer):
    data = {name: _json(getattr(customer, name)) for name in CUSTOMER_FIELDS}
    data["group"] = customer.group.name if customer.group_id else None
    data["login"] = customer.user.username if customer.user_id else None
    data["merged_customers"] = list(
        Customer.objects.filter(merged_into=customer).values_list("number", flat=True)
    )
    return data


def json_pieces(customer, include_evidence):
    """customer.json as a sequence of strings, one row at a time."""
    state = evidence_state(customer, include_evidence)
    with_evidence = state == Evidence.INCLUDED
    head = {
        "schema": SCHEMA_ID,
        "version": SCHEMA_VERSION,
        "exported_at": timezone.now().isoformat(),
        "screening_evidence": state,
        "customer": customer_data(customer),
    }
    yield json.dumps(head, ensure_ascii=False, indent=1)[:-2] + ',\n "records": {'
    for i, (key, model, fk, rows, policy) in enumerate(sections()):
        yield ("," if i else "") + f"\n  {json.dumps(key)}: ["
        columns = _columns(model, fk)
        names = [name for name, _f in columns]
        qs = _rows(customer, rows, policy, include_evidence, with_evidence).values(*names)
        for j, row in enumerate(qs.iterator(chunk_size=CHUNK_ROWS)):
            text = json.dumps({k: _json(v) for k, v in row.items()}, ensure_ascii=False)
            yield ("," if j else "") + "\n   " + text
        yield "\n  ]"
    yield "\n }\n}\n"


def files(customer, include_evidence):
    """(name in the ZIP, stored file) of every file of the customer's exported records."""
    with_evidence = evidence_state(customer, include_evidence) == Evidence.INCLUDED
    for key, model, _fk, rows, policy in sections():
        file_fields = [f for f in model._meta.concrete_fields if isinstance(f, models.FileField)]
        if not file_fields:
            continue
        qs = _rows(customer, rows, policy, include_evidence, with_evidence)
        for obj in qs.only("pk", *[f.name for f in file_fields]).iterator(chunk_size=CHUNK_ROWS):
            for f in file_fields:
                stored = getattr(obj, f.name)
                if stored and stored.storage.exists(stored.name):
                    yield f"files/{key}/{obj.pk}-{PurePosixPath(stored.name).name}", stored


class _Sink:
    """A write-only stream for ZipFile: collects what it writes until it is drained. Without
    ``seek`` ZipFile writes data descriptors, so nothing has to be rewritten later."""

    def __init__(self):
        self.parts, self.size, self.position = [], 0, 0

    def write(self, data):
        self.parts.append(bytes(data))
        self.size += len(data)
        self.position += len(data)
        return len(data)

    def tell(self):
        return self.position

    def flush(self):
        pass

    def drain(self):
        data = b"".join(self.parts)
        self.parts, self.size = [], 0
        return data


def stream_zip(customer, include_evidence):
    """The export as a generator of bytes (for a StreamingHttpResponse or a file)."""
    sink = _Sink()
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        with archive.open("customer.json", "w", force_zip64=True) as out:
            for piece in json_pieces(customer, include_evidence):
                out.write(piece.encode())
                if sink.size >= FLUSH_BYTES:
                    yield sink.drain()
        for name, stored in files(customer, include_evidence):
            with stored.open("rb") as source, archive.open(name, "w", force_zip64=True) as out:
                while block := source.read(COPY_BYTES):
                    out.write(block)
                    if sink.size >= FLUSH_BYTES:
                        yield sink.drain()
    yield sink.drain()


def filename(customer):
    return f"{customer.number}-{timezone.localdate():%Y-%m-%d}.zip"


# --- the schema -------------------------------------------------------------------------

_TYPES = [
    (models.BooleanField, {"type": "boolean"}),
    (models.DecimalField, {"type": "string", "pattern": r"^-?\d+(\.\d+)?$"}),
    (models.DateTimeField, {"type": "string", "format": "date-time"}),
    (models.DateField, {"type": "string", "format": "date"}),
    (models.FloatField, {"type": "number"}),
    (models.IntegerField, {"type": "integer"}),
    (models.AutoField, {"type": "integer"}),
    (models.ForeignKey, {"type": "integer"}),
    (models.JSONField, {}),
    (models.UUIDField, {"type": "string", "format": "uuid"}),
    (models.FileField, {"type": "string", "description": "the file's name; the file is in files/"}),
    (models.CharField, {"type": "string"}),
    (models.TextField, {"type": "string"}),
]


def _field_schema(field):
    schema = {}
    for cls, fragment in _TYPES:
        if isinstance(field, cls):
            schema = dict(fragment)
            break
    if field.is_relation:
        schema["description"] = f"id of the {field.related_model._meta.verbose_name}"
    elif "description" not in schema:
        schema["description"] = str(field.verbose_name)
    if field.choices and not field.is_relation:
        schema["enum"] = [value for value, _label in field.flatchoices]
        if field.blank and isinstance(field, models.CharField) and "" not in schema["enum"]:
            schema["enum"].append("")
    if field.null and "type" in schema:
        schema["type"] = [schema["type"], "null"]
        if "enum" in schema:
            schema["enum"].append(None)
    return schema


def build_schema():
    """The JSON Schema of customer.json, from the models and the record policies; committed as
    ``schema/customer-v1.json`` (``standing customer schema -o …`` writes it). Sections and
    fields may be added within a version; nothing in it changes meaning."""
    from django.utils import translation

    with translation.override("en"):
        defs, keys = {}, []
        for key, model, fk, _rows_fn, policy in sections():
            columns = _columns(model, fk)
            defs[key] = {
                "title": str(model._meta.verbose_name_plural),
                "type": "object",
                "required": [name for name, _f in columns],
                "properties": {name: _field_schema(f) for name, f in columns},
            }
            if policy.evidence is not False:
                defs[key]["description"] = (
                    "screening evidence: present only when screening_evidence is 'included'"
                )
            elif policy.staff_only is not False:
                defs[key]["description"] = "staff only: empty in the customer's own export"
            keys.append(key)
        customer_props = {
            name: _field_schema(Customer._meta.get_field(name)) for name in CUSTOMER_FIELDS
        }
        customer_props |= {
            "group": {"type": ["string", "null"], "description": "customer group"},
            "login": {"type": ["string", "null"], "description": "user name of the login"},
            "merged_customers": {
                "type": "array",
                "items": {"type": "string"},
                "description": "numbers of customers merged into this one",
            },
        }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://standing.example/schema/{SCHEMA_ID.split('/')[1]}.json",
        "title": "Standing customer data export (customer.json)",
        "description": (
            "Every fact Standing holds about one customer. The ZIP beside this file holds the "
            "customer's files under files/<section>/<id>-<name>. Amounts are decimal strings, "
            "times ISO 8601 with offset, dates YYYY-MM-DD; ids refer to rows of the same "
            "export or to Standing's own records (vendors, staff)."
        ),
        "type": "object",
        "required": [
            "schema",
            "version",
            "exported_at",
            "screening_evidence",
            "customer",
            "records",
        ],
        "additionalProperties": False,
        "properties": {
            "schema": {"const": SCHEMA_ID},
            "version": {"const": SCHEMA_VERSION},
            "exported_at": {"type": "string", "format": "date-time"},
            "screening_evidence": {
                "enum": [Evidence.INCLUDED, Evidence.WITHHELD, Evidence.NOT_INCLUDED],
                "description": (
                    "included: the screening sections and internal activity are complete; "
                    "withheld: the operator recorded a legal restriction; not_included: the "
                    "customer's own export"
                ),
            },
            "customer": {
                "type": "object",
                "required": [*CUSTOMER_FIELDS, "group", "login", "merged_customers"],
                "properties": customer_props,
            },
            "records": {
                "type": "object",
                "required": keys,
                "properties": {
                    k: {"type": "array", "items": {"$ref": f"#/$defs/{k}"}} for k in keys
                },
            },
        },
        "$defs": defs,
    }
