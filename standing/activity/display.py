"""The activity log in words: field labels instead of column names, localised dates and
amounts, and status labels instead of codes.

Records keep their raw values (``before``/``after``); this module only reads them. Each app
tells it, in its ``AppConfig.ready()``, how its fields are named and how its codes read
(``label_fields``, ``label_values``, ``money_fields``), so the log needs no knowledge of the
apps above it. A value's codes can differ per kind of record: ``status`` of a block is not
``status`` of an order, so value labels are registered per action prefix ("block", "order").
"""

import re

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from standing.base.money import format_money

FIELD_LABELS: dict[str, object] = {}
VALUE_LABELS: dict[tuple[str, str], dict] = {}
MONEY_FIELDS: set[str] = set()

ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def label_fields(labels: dict):
    """``{field: label}`` for the log; a later app does not rename an earlier app's field."""
    for field, label in labels.items():
        FIELD_LABELS.setdefault(field, label)


def label_values(field: str, choices, prefix: str = ""):
    """How the codes of ``field`` read (``choices``: a TextChoices class or (code, label)
    pairs), for records whose action starts with ``prefix`` ("" for every record)."""
    pairs = choices.choices if hasattr(choices, "choices") else choices
    VALUE_LABELS[(prefix, field)] = dict(pairs)


def money_fields(*fields: str):
    MONEY_FIELDS.update(fields)


def field_label(field: str) -> str:
    label = FIELD_LABELS.get(field)
    return str(label) if label is not None else field.replace("_", " ")


def value_text(prefix: str, field: str, value) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    labels = VALUE_LABELS.get((prefix, field)) or VALUE_LABELS.get(("", field))
    if labels and str(value) in labels:
        return str(labels[str(value)])
    if field in MONEY_FIELDS:
        return format_money(value)
    if isinstance(value, str) and ISO_DATETIME.match(value):
        moment = parse_datetime(value.replace(" ", "T", 1))
        if moment is not None:
            if timezone.is_aware(moment):
                moment = timezone.localtime(moment)
            return date_format(moment, "SHORT_DATETIME_FORMAT")
    if isinstance(value, str) and ISO_DATE.match(value):
        day = parse_date(value)
        if day is not None:
            return date_format(day, "SHORT_DATE_FORMAT")
    return str(value)


def changes_in_words(record):
    """(label, before, after) of every changed field of ``record``, as people read them."""
    prefix = record.action.split(".", 1)[0]
    return [
        (field_label(field), value_text(prefix, field, before), value_text(prefix, field, after))
        for field, before, after in record.changes()
    ]
