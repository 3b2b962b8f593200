"""Importing the old system's blocks (SPEC §4, §10): ``standing blocks import-legacy FILE``.

All or nothing: every row is checked first; one bad row and nothing is written, and the report
names every bad row with its line number. Each row is keyed by a hash of its content, so a file
imported twice adds nothing the second time.
"""

import hashlib
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from standing.accounts.models import STAFF_ROLES, User
from standing.activity.services import record
from standing.core.csvimport import Column, CsvImport
from standing.customers.models import Customer

from .models import Block, BlockReason, BlockStatus
from .services import end_of_day, format_moment, parse_moment

COLUMNS = ["customer_number", "since", "until", "reason", "staff", "note"]


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


class _Lookups:
    """Reasons and staff, looked up once per file; customers once per batch of rows."""

    def __init__(self):
        self.customers = {}
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

    def load_customers(self, numbers):
        numbers = list(numbers)
        self.customers = {c.number: c for c in Customer.objects.filter(number__in=numbers)}

    def staff_member(self, value):
        key = value.strip().casefold()
        return self.staff.get(key) or self.staff_by_name.get(key)


class LegacyBlocks(CsvImport):
    """``standing blocks import-legacy FILE``: the old system's blocks, all rows or none.

    Each row is keyed by a hash of its content, so a file imported twice adds nothing the
    second time (skipped: "imported before"; a repeat within the file: "same as line N")."""

    columns = [Column(name) for name in COLUMNS]
    batch_size = 500

    def __init__(self, now=None):
        self.now = now

    def start(self, report):
        self.lookups = _Lookups()
        self.seen = {}  # content key -> first line (32 bytes a row: fine for any real file)

    def prepare(self, rows):
        self.lookups.load_customers({row.values["customer_number"].strip() for row in rows})

    def clean(self, row):
        return _parse(row.line, [row.values[c] for c in COLUMNS], self.lookups)

    def check(self, items, report):
        fresh = []
        for line, row in items:
            if row.key in self.seen:
                report.skipped.append(
                    (line, _("same as line %(line)s") % {"line": self.seen[row.key]})
                )
            else:
                self.seen[row.key] = line
                fresh.append((line, row))
        existing = set(
            Block.objects.filter(legacy_key__in=[row.key for _line, row in fresh]).values_list(
                "legacy_key", flat=True
            )
        )
        for line, row in fresh:
            if row.key in existing:
                report.skipped.append((line, _("imported before")))
        return [(line, row) for line, row in fresh if row.key not in existing]

    def write(self, items):
        import_rows([row for _line, row in items], now=self.now)


def _parse(line, values, lookups) -> LegacyRow:
    number, since, until, reason, staff, note = (v.strip() for v in values)
    problems = []
    customer = lookups.customers.get(number)
    if customer is None:
        problems.append(_("unknown customer number '%(value)s'") % {"value": number})
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
    if problems:
        raise ValidationError(problems)
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
