"""The § 247 BGB base-rate table: shipped with Standing, grown by logged additions.

The rates known at release are ``data/base_rates.csv`` (each with its source). Later rates are
entered with ``standing law base-rate add DATE PERCENT`` (``BaseRateEntry``, logged with who and
when). ``base_rate_table()`` reads both, once; the arithmetic in ``services`` takes the table as
an argument and reads nothing itself.
"""

from __future__ import annotations

import csv
import functools
import re
from bisect import bisect_right
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from standing.activity.services import record

from .models import BaseRateEntry

DATA = Path(__file__).resolve().parent / "data" / "base_rates.csv"
# Bounds a base-rate entry must keep (the lowest ever was -0.88, the highest 6.17 in 2000).
MIN_BASE_RATE, MAX_BASE_RATE = Decimal("-5.00"), Decimal("15.00")


class LawError(ValueError):
    """Input the law module cannot compute with; the message says what to change."""


# --- the § 247 base-rate table ------------------------------------------------------------


@dataclass(frozen=True)
class BaseRate:
    """One row of the table: the base rate in force from ``valid_from`` on."""

    valid_from: date
    percent: Decimal
    source: str = ""
    shipped: bool = True  # False: entered with ``standing law base-rate add``
    added_by: str = ""
    added_at: datetime | None = None


def _row(item) -> tuple[date, Decimal]:
    if isinstance(item, BaseRate):
        return item.valid_from, item.percent
    valid_from, percent = item
    return valid_from, Decimal(percent)


def next_half_year(day: date) -> date:
    """The first 1 January or 1 July after ``day``."""
    return date(day.year, 7, 1) if day.month < 7 else date(day.year + 1, 1, 1)


class RateTable:
    """The table prepared for lookups: sorted (valid_from, percent) rows and where it ends."""

    __slots__ = ("rows", "starts", "known_until")

    def __init__(self, rates):
        self.rows = tuple(sorted(_row(item) for item in rates))
        if not self.rows:
            raise LawError(_("The base-rate table is empty."))
        self.starts = tuple(valid_from for valid_from, _percent in self.rows)
        # The end of the half-year of the last entry; later days are provisional.
        self.known_until = next_half_year(self.starts[-1]) - timedelta(days=1)

    def rate_on(self, day: date) -> tuple[Decimal, bool]:
        if day < self.starts[0]:
            raise LawError(
                _("The base-rate table starts on %(start)s; there is no rate for %(day)s.")
                % {"start": self.starts[0].isoformat(), "day": day.isoformat()}
            )
        return self.rows[bisect_right(self.starts, day) - 1][1], day > self.known_until


def normalized(rates) -> RateTable:
    """``rates`` (BaseRate rows or (date, percent) pairs; ``None``: read the table) prepared."""
    if isinstance(rates, RateTable):
        return rates
    return RateTable(base_rate_table() if rates is None else rates)


def known_until(rates=None) -> date:
    """The last day the table covers: the end of the half-year of its last entry."""
    return normalized(rates).known_until


def base_rate_on(day: date, rates=None) -> tuple[Decimal, bool]:
    """The § 247 base rate in percent in force on ``day``, and whether it is provisional.

    A day after the last half-year in the table gets the last known rate, provisionally.
    """
    return normalized(rates).rate_on(day)


# --- the table, read once -----------------------------------------------------------------


@functools.cache
def shipped_base_rates() -> tuple[BaseRate, ...]:
    """The table that ships with Standing (``data/base_rates.csv``, with sources)."""
    with DATA.open(encoding="utf-8", newline="") as handle:
        return tuple(
            BaseRate(
                valid_from=date.fromisoformat(row["valid_from"]),
                percent=Decimal(row["percent"]),
                source=row["source"],
            )
            for row in csv.DictReader(handle)
        )


def base_rate_table() -> tuple[BaseRate, ...]:
    """The whole table, sorted: the shipped rows and the rows entered since (one query).

    Callers computing many claims read it once and pass it as ``rates=`` (as it is, or as
    ``RateTable(base_rate_table())``, which is prepared for lookups only once).
    """
    added = [
        BaseRate(
            valid_from=entry.valid_from,
            percent=entry.percent,
            source=entry.source,
            shipped=False,
            added_by=entry.added_by_label,
            added_at=entry.added_at,
        )
        for entry in BaseRateEntry.objects.order_by("valid_from")
    ]
    entered = {rate.valid_from for rate in added}
    shipped = [rate for rate in shipped_base_rates() if rate.valid_from not in entered]
    return tuple(sorted([*shipped, *added], key=lambda rate: rate.valid_from))


def _refuse(field, message):
    raise ValidationError({field: [message]}, code="invalid")


def add_base_rate(valid_from, percent, *, actor, source: str = "", at=None) -> BaseRate:
    """Enter the base rate in force from ``valid_from`` (1 January or 1 July), logged.

    The table grows one half-year at a time, so a rate can only be entered for the half-year
    right after the last one known: a gap would let the days in between pass as final.
    """
    if isinstance(valid_from, str):
        try:
            valid_from = date.fromisoformat(valid_from)
        except ValueError:
            _refuse("valid_from", _("Enter the date as YYYY-MM-DD, e.g. 2026-07-01."))
    if (valid_from.month, valid_from.day) not in ((1, 1), (7, 1)):
        _refuse(
            "valid_from",
            _("The base rate changes only on 1 January and 1 July (§ 247 BGB); %(day)s is neither.")
            % {"day": valid_from.isoformat()},
        )
    percent = str(percent).strip()
    if not re.fullmatch(r"-?\d{1,2}(\.\d{1,2})?", percent):
        _refuse(
            "percent",
            _("Enter the base rate in percent with at most two decimals, e.g. 1.52 or -0.88."),
        )
    percent = Decimal(percent).quantize(Decimal("0.01"))
    if not MIN_BASE_RATE <= percent <= MAX_BASE_RATE:
        _refuse(
            "percent",
            _("A base rate of %(percent)s %% is implausible; enter the percent, e.g. 1.52.")
            % {"percent": percent},
        )
    source = " ".join(str(source or "").split())
    if len(source) > 300:
        _refuse("source", _("The source is at most 300 characters long."))
    with transaction.atomic():
        # One addition at a time: the check for the next half-year and the insert belong
        # together (the unique date refuses a concurrent twin).
        table = base_rate_table()
        expected = next_half_year(table[-1].valid_from)
        if valid_from != expected:
            known = {rate.valid_from: rate for rate in table}
            if valid_from in known:
                message = _(
                    "The base rate from %(day)s is in the table already (%(percent)s %%)."
                ) % {"day": valid_from.isoformat(), "percent": known[valid_from].percent}
            else:
                message = _(
                    "The next base rate to enter is the one from %(next)s; the table grows one "
                    "half-year at a time."
                ) % {"next": expected.isoformat()}
            _refuse("valid_from", message)
        at = at or timezone.now()
        try:
            with transaction.atomic():
                entry = BaseRateEntry.objects.create(
                    valid_from=valid_from,
                    percent=percent,
                    source=source,
                    added_by=actor.user,
                    added_by_label=actor.label,
                    added_at=at,
                )
        except IntegrityError:
            _refuse(
                "valid_from",
                _("The base rate from %(day)s was entered meanwhile.")
                % {"day": valid_from.isoformat()},
            )
        record(
            None,
            actor,
            "law.base_rate_added",
            _("Base rate from %(day)s entered: %(percent)s %%")
            % {"day": valid_from.isoformat(), "percent": percent},
            after={"valid_from": valid_from, "percent": percent, "source": source},
            internal=True,
            at=at,
        )
    return BaseRate(valid_from, entry.percent, source, False, actor.label, at)


def remove_base_rate(valid_from, *, actor, at=None) -> None:
    """Take back the last rate entered (a typo), logged; shipped rows cannot be removed."""
    with transaction.atomic():
        last = BaseRateEntry.objects.select_for_update().order_by("-valid_from").first()
        if last is None or last.valid_from != valid_from:
            _refuse(
                "valid_from",
                _("Only the last rate entered can be removed; that is %(day)s.")
                % {"day": last.valid_from.isoformat()}
                if last
                else _("No rate has been entered since the release; shipped rates stay."),
            )
        last.delete()
        record(
            None,
            actor,
            "law.base_rate_removed",
            _("Base rate from %(day)s removed (was %(percent)s %%)")
            % {"day": valid_from.isoformat(), "percent": last.percent},
            before={"valid_from": valid_from, "percent": last.percent, "source": last.source},
            internal=True,
            at=at,
        )
