"""Importing the old system's blocks (SPEC §4, §10): ``standing blocks import-legacy FILE``.

Every row is checked first. A malformed row (a bad date, an unknown reason or staff member)
refuses the whole file: nothing is written, and the report names every bad row with its line
number. A row whose customer number is unknown (a customer gone from the old system) is
reported and skipped, and the others are imported: a migration does not fail for one old
customer. Each row is keyed by a hash of its content, so a file imported twice adds nothing
the second time.
"""

import csv
import hashlib
from dataclasses import dataclass, field
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from standing.accounts.models import STAFF_ROLES, User
from standing.activity.services import record
from standing.customers.models import Customer

from .models import Block, BlockReason, BlockStatus
from .services import end_of_day, format_moment, parse_moment

COLUMNS = ["customer_number", "since", "until", "reason", "staff", "note"]


class LegacyFileError(Exception):
    """The file as a whole cannot be read (not UTF-8, wrong header)."""


class UnknownCustomer(Exception):
    """A well-formed row whose customer number is not (or no longer) known."""


@dataclass
class LegacyRow:
    line: int
    customer: Customer
    reason: BlockReason
    staff: User
    starts_at: datetime
    ends_at: datetime | None
    note: str
    key: str


@dataclass
class Report:
    new: list[LegacyRow] = field(default_factory=list)
    # (line, what it repeats): already imported, or the same row earlier in this file.
    skipped: list[tuple[int, str]] = field(default_factory=list)
    # (line, why): well-formed rows whose customer is unknown; reported, not imported.
    unmatched: list[tuple[int, str]] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)

    def summary(self):
        return _(
            "%(new)s block(s) to import, %(skipped)s already there, "
            "%(unmatched)s with an unknown customer number (skipped)"
        ) % {"new": len(self.new), "skipped": len(self.skipped), "unmatched": len(self.unmatched)}


class _Lookups:
    """Everything a row may name, looked up once per file rather than once per row."""

    def __init__(self, numbers):
        numbers = list(numbers)
        self.customers = {}
        for i in range(0, len(numbers), 500):
            for c in Customer.objects.filter(number__in=numbers[i : i + 500]):
                self.customers[c.number] = c
        self.reasons = {}
        for reason in BlockReason.objects.all():
            self.reasons.setdefault(reason.label.casefold(), reason)
            self.reasons[reason.code.casefold()] = reason
        # Staff who have left are kept as inactive users; their old blocks still name them.
        staff = list(User.objects.filter(role__in=STAFF_ROLES))
        self.staff = {u.username.casefold(): u for u in staff}
        names = {}
        for u in staff:
            names.setdefault(u.get_full_name().casefold(), []).append(u)
        self.staff_by_name = {n: us[0] for n, us in names.items() if n and len(us) == 1}

    def staff_member(self, value):
        key = value.strip().casefold()
        return self.staff.get(key) or self.staff_by_name.get(key)


def read_legacy(stream) -> Report:
    """Check every row of the CSV in ``stream`` (text) and say what an import would do."""
    try:
        text = stream.read()
    except UnicodeDecodeError as error:
        raise LegacyFileError(_("The file is not UTF-8: %(error)s") % {"error": error}) from None
    reader = csv.reader(text.lstrip("\ufeff").splitlines(keepends=True))
    header = next(reader, None)
    if header is None or [h.strip().lower() for h in header] != COLUMNS:
        raise LegacyFileError(
            _("The header row must be exactly: %(columns)s") % {"columns": ",".join(COLUMNS)}
        )
    records = []
    start = reader.line_num + 1
    for values in reader:
        if any(v.strip() for v in values):
            records.append((start, values))
        start = reader.line_num + 1
    lookups = _Lookups({v[0].strip() for _line, v in records if v})
    report = Report()
    seen = {}
    for line, values in records:
        try:
            row = _parse(line, values, lookups)
        except ValidationError as error:
            report.errors.append((line, "; ".join(error.messages)))
            continue
        except UnknownCustomer as unknown:
            report.unmatched.append((line, str(unknown)))
            continue
        if row.key in seen:
            report.skipped.append((line, _("same as line %(line)s") % {"line": seen[row.key]}))
            continue
        seen[row.key] = line
        report.new.append(row)
    existing = set()
    keys = list(seen)
    for i in range(0, len(keys), 500):
        existing |= set(
            Block.objects.filter(legacy_key__in=keys[i : i + 500]).values_list(
                "legacy_key", flat=True
            )
        )
    for row in [r for r in report.new if r.key in existing]:
        report.new.remove(row)
        report.skipped.append((row.line, _("imported before")))
    report.skipped.sort()
    return report


def _parse(line, values, lookups) -> LegacyRow:
    if len(values) != len(COLUMNS):
        raise ValidationError(
            _("expected %(n)s columns, found %(found)s") % {"n": len(COLUMNS), "found": len(values)}
        )
    number, since, until, reason, staff, note = (v.strip() for v in values)
    problems = []
    customer = lookups.customers.get(number)
    reason_obj = lookups.reasons.get(reason.casefold())
    if reason_obj is None:
        problems.append(_("unknown reason '%(value)s'") % {"value": reason})
    staff_user = lookups.staff_member(staff) if staff else None
    if staff_user is None:
        problems.append(_("unknown staff member '%(value)s'") % {"value": staff})
    starts_at = ends_at = None
    if not since:
        problems.append(_("'since' is empty"))
    else:
        try:
            starts_at, _is_date = parse_moment(since, "since")
        except ValidationError:
            problems.append(_("'since' is not an ISO date: '%(value)s'") % {"value": since})
    if until:
        try:
            moment, is_date = parse_moment(until, "until")
            ends_at = end_of_day(moment) if is_date else moment
        except ValidationError as error:
            problems.append("'until': " + " ".join(error.messages))
    if starts_at and ends_at and ends_at <= starts_at:
        problems.append(_("'until' lies before 'since'"))
    unknown = _("unknown customer number '%(value)s'") % {"value": number}
    if problems:
        raise ValidationError(problems + ([unknown] if customer is None else []))
    if customer is None:
        raise UnknownCustomer(unknown)
    content = "|".join(
        [
            number,
            starts_at.isoformat(),
            ends_at.isoformat() if ends_at else "",
            reason_obj.code,
            staff_user.username,
            note,
        ]
    )
    return LegacyRow(
        line=line,
        customer=customer,
        reason=reason_obj,
        staff=staff_user,
        starts_at=starts_at,
        ends_at=ends_at,
        note=note,
        key=hashlib.sha256(content.encode()).hexdigest(),
    )


@transaction.atomic
def import_rows(rows: list[LegacyRow], now=None) -> list[Block]:
    """Write checked rows; blocks that ended before today arrive as expired, logged once."""
    now = now or timezone.now()
    blocks = []
    for row in rows:
        ended = row.ends_at is not None and row.ends_at <= now
        block = Block.objects.create(
            customer=row.customer,
            reason=row.reason,
            staff=row.staff,
            note=row.note,
            starts_at=row.starts_at,
            ends_at=row.ends_at,
            status=BlockStatus.EXPIRED if ended else BlockStatus.ACTIVE,
            expiry_logged_at=now if ended else None,
            legacy_key=row.key,
        )
        record(
            row.customer,
            None,
            "block.imported",
            _("Block taken over from the old system: %(reason)s, %(since)s – %(until)s")
            % {
                "reason": row.reason.label,
                "since": format_moment(row.starts_at),
                "until": format_moment(row.ends_at) if row.ends_at else _("no end"),
            },
            after={
                "block": block.pk,
                "reason": row.reason.code,
                "staff": row.staff.username,
                "since": row.starts_at,
                "until": row.ends_at,
                "note": row.note,
                "status": block.status,
            },
            internal=True,
            at=now,
        )
        blocks.append(block)
    return blocks
