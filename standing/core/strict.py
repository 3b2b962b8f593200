"""Strict input for the HTTP API: what a body may hold, and the value types of the schemas.

The API reads only ``application/json`` bodies holding one JSON object (``check_body``);
no string anywhere in it may hold a lone surrogate or a control character, or be longer than
``MAX_STRING``. The schema types below take dates, date-times, amounts and language codes
in exactly one spelling each, so nothing is guessed (a number is not a date, ``1e9`` is not
an amount) and nothing out of range reaches the database or date arithmetic.
"""

import json
import re
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from pydantic import BeforeValidator, WithJsonSchema

from standing.core.money import parse_amount

# No field of the API needs more; longer fields declare their own (smaller) maximum.
MAX_STRING = 10_000
# Tab, line feed and carriage return are text; every other C0/C1 control, DEL and a lone
# UTF-16 surrogate (valid JSON, but not a character: the database driver fails on it) is not.
BAD_CHARACTER = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
FIRST_DAY = date(1900, 1, 1)
LAST_DAY = date(2100, 12, 31)
# A sign is read (so the domain can say why a negative amount is refused); nothing else.
AMOUNT = re.compile(r"-?\d{1,10}(\.\d{1,2})?")
DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class BodyError(Exception):
    """A request body the API does not read: ``status`` and a message for a person."""

    def __init__(self, status, detail):
        super().__init__(detail)
        self.status = status
        self.detail = detail


def _refuse_constant(name):
    raise ValueError(_("%(name)s is not a JSON number.") % {"name": name})


def _unique_keys(pairs):
    keys = [k for k, _v in pairs]
    if len(keys) != len(set(keys)):
        dupes = sorted({k for k in keys if keys.count(k) > 1})
        raise ValueError(_("The key %(key)s appears twice.") % {"key": dupes[0]})
    return dict(pairs)


def check_body(content_type: str, body: bytes):
    """The JSON object ``body`` holds; raises ``BodyError`` (415, 400 or 422) otherwise."""
    media, _sep, params = content_type.partition(";")
    charset = ""
    for param in params.split(";"):
        name, _eq, value = param.partition("=")
        if name.strip().lower() == "charset":
            charset = value.strip().strip('"').lower()
    if media.strip() != "application/json" or charset not in ("", "utf-8"):
        raise BodyError(
            415,
            _(
                "The API reads only JSON: send the body with 'Content-Type: application/json'"
                " (UTF-8)."
            ),
        )
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise BodyError(400, _("The body is not valid UTF-8.")) from None
    try:
        data = json.loads(text, parse_constant=_refuse_constant, object_pairs_hook=_unique_keys)
    except ValueError as error:
        raise BodyError(
            400, _("The body is not valid JSON: %(error)s") % {"error": error}
        ) from None
    if not isinstance(data, dict):
        raise BodyError(
            422,
            _("The body must be a JSON object ({…}), not %(kind)s.") % {"kind": _json_kind(data)},
        )
    if problem := _bad_string(data, ""):
        field, message = problem
        raise BodyError(422, [{"field": field, "message": message}])
    return data


def _json_kind(value):
    if value is None:
        return "null"
    if isinstance(value, bool):
        return _("a boolean")
    if isinstance(value, int | float):
        return _("a number")
    if isinstance(value, str):
        return _("a string")
    return _("a list")


def _bad_string(value, path):
    """(field, message) of the first string in ``value`` that no field may hold, or None."""
    if isinstance(value, str):
        return _string_problem(value, path)
    if isinstance(value, dict):
        for key, item in value.items():
            where = f"{path}.{key}" if path else key
            if problem := _string_problem(key, where) or _bad_string(item, where):
                return problem
    elif isinstance(value, list):
        for index, item in enumerate(value):
            if problem := _bad_string(item, f"{path}.{index}" if path else str(index)):
                return problem
    return None


def _string_problem(text, where):
    if match := BAD_CHARACTER.search(text):
        code = f"U+{ord(match.group()):04X}"
        return where, _(
            "The text holds the character %(code)s (a control character or half of a UTF-16"
            " pair), which no field may hold."
        ) % {"code": code}
    if len(text) > MAX_STRING:
        return where, _("The text is longer than %(max)d characters.") % {"max": MAX_STRING}
    return None


def _date(value):
    if isinstance(value, date) and not isinstance(value, datetime):
        parsed = value
    else:
        if not isinstance(value, str) or not DATE.fullmatch(value):
            raise ValueError(_("Give the date as YYYY-MM-DD, e.g. 2026-01-31."))
        try:
            parsed = date.fromisoformat(value)
        except ValueError:
            raise ValueError(_("%(value)s is not a calendar date.") % {"value": value}) from None
    in_range(parsed)
    return parsed


def in_range(day):
    """Refuse (ValueError) a day outside FIRST_DAY…LAST_DAY."""
    if not FIRST_DAY <= day <= LAST_DAY:
        raise ValueError(
            _("The date must lie between %(first)s and %(last)s.")
            % {"first": FIRST_DAY.isoformat(), "last": LAST_DAY.isoformat()}
        )


def _datetime(value):
    if isinstance(value, datetime):
        parsed = value
    else:
        if not isinstance(value, str) or not DATE.match(value) or len(value) < 16:
            raise ValueError(
                _("Give the time as an ISO date-time, e.g. 2026-01-31T14:30:00+01:00.")
            )
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            raise ValueError(
                _("%(value)s is not a date-time, e.g. 2026-01-31T14:30:00+01:00.")
                % {"value": value}
            ) from None
    in_range(parsed.date())
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed


def _amount(value):
    """Only a decimal string (a JSON number could be 1e9 or 0.1 + 0.2), then the one money
    validator; signs and zero are the service's to judge."""
    if isinstance(value, Decimal):
        return value
    if not isinstance(value, str) or not AMOUNT.fullmatch(value):
        raise ValueError(
            _("Give the amount as a decimal string with at most two decimals, e.g. '49.90'.")
        )
    try:
        return parse_amount(value, allow_negative=True)
    except ValidationError as error:
        raise ValueError(error.messages[0]) from None


def _language(value):
    codes = [code for code, _name in settings.LANGUAGES]
    if value not in ("", *codes):
        raise ValueError(
            _("Unknown language '%(value)s': one of %(codes)s, or empty for the default.")
            % {"value": value, "codes": ", ".join(codes)}
        )
    return value


IsoDate = Annotated[
    date,
    BeforeValidator(_date),
    WithJsonSchema(
        {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}, mode="validation"
    ),
]
IsoDateTime = Annotated[
    datetime,
    BeforeValidator(_datetime),
    WithJsonSchema({"type": "string", "format": "date-time"}, mode="validation"),
]
Money = Annotated[
    Decimal,
    BeforeValidator(_amount),
    WithJsonSchema(
        {"type": "string", "pattern": r"^-?\d{1,10}(\.\d{1,2})?$", "examples": ["49.90"]},
        mode="validation",
    ),
]
Language = Annotated[
    str,
    BeforeValidator(_language),
    WithJsonSchema(
        {"type": "string", "enum": ["", *(code for code, _name in settings.LANGUAGES)]},
        mode="validation",
    ),
]
