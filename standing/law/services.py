"""German dunning law as pure functions (SPEC §7 "German law, done right"; facts in law.md).

Every figure Standing shows for default interest, the § 288 V flat fee, dunning fees, the first
day of default and the limitation date comes from here and nowhere else. The arithmetic takes
``Decimal`` and ``date`` values and touches no database: the § 247 base-rate table is passed in
(``rates=``), or read once by ``base_rate_table()`` (the shipped CSV plus the additions entered
with ``standing law base-rate add``).

Default interest, as Standing computes it:

* the base rate in force on each day (§ 247 BGB) + 5 points for consumers, + 9 for business
  debtors (§ 288 I, II BGB), simple interest on the open principal only (§ 289);
* every day from the first day of default through the last day counts; a payment bears no
  interest from its own day on;
* act/act: a day bears rate/365, or rate/366 in a leap year;
* the period is cut on every 1 January and 1 July (where § 247 may change the rate, and where
  the divisor may change), at every entry of the table and on every payment day; the exact
  pieces are summed and the sum is rounded once, half up, to the cent;
* a day after the last half-year in the table uses the last known rate, and the result is
  marked provisional until the rate is entered.
"""

from __future__ import annotations

import calendar
import csv
import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction
from pathlib import Path
from typing import Literal

import holidays
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from standing.core.money import ZERO, parse_amount, round_money

Debtor = Literal["consumer", "business"]
DEBTORS: tuple[str, ...] = ("consumer", "business")

# § 288 I 2 and II BGB: percentage points above the base rate.
POINTS = {"consumer": Decimal("5"), "business": Decimal("9")}
# § 288 V BGB.
FLAT_FEE = Decimal("40.00")
# Bounds a base-rate entry must keep (the lowest ever was -0.88, the highest 6.17 in 2000).
MIN_BASE_RATE, MAX_BASE_RATE = Decimal("-5.00"), Decimal("15.00")
# § 195 BGB.
LIMITATION_YEARS = 3
# § 286 III BGB.
INVOICE_DAYS = 30

DATA = Path(__file__).resolve().parent / "data" / "base_rates.csv"


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


def _table(rates) -> tuple[tuple[date, Decimal], ...]:
    """The table as sorted (valid_from, percent) pairs; ``None`` is the shipped/DB table."""
    if rates is None:
        rates = base_rate_table()
    table = tuple(sorted(_row(item) for item in rates))
    if not table:
        raise LawError(_("The base-rate table is empty."))
    return table


def half_year_start(day: date) -> date:
    """1 January or 1 July of ``day``'s half-year."""
    return date(day.year, 1 if day.month < 7 else 7, 1)


def next_half_year(day: date) -> date:
    """The first 1 January or 1 July after ``day``."""
    return date(day.year, 7, 1) if day.month < 7 else date(day.year + 1, 1, 1)


def known_until(rates=None) -> date:
    """The last day the table covers: the end of the half-year of its last entry."""
    return next_half_year(_table(rates)[-1][0]) - timedelta(days=1)


def base_rate_on(day: date, rates=None) -> tuple[Decimal, bool]:
    """The § 247 base rate in percent in force on ``day``, and whether it is provisional.

    A day after the last half-year in the table gets the last known rate, provisionally.
    """
    table = _table(rates)
    if day < table[0][0]:
        raise LawError(
            _("The base-rate table starts on %(start)s; there is no rate for %(day)s.")
            % {"start": table[0][0].isoformat(), "day": day.isoformat()}
        )
    percent = table[0][1]
    for valid_from, value in table:
        if valid_from > day:
            break
        percent = value
    return percent, day > known_until(table)


# --- default interest ---------------------------------------------------------------------


def _check_debtor(debtor) -> None:
    if debtor not in DEBTORS:
        raise LawError(
            _("Unknown debtor kind %(debtor)r: use consumer or business.") % {"debtor": debtor}
        )


def days_in_year(year: int) -> int:
    return 366 if calendar.isleap(year) else 365


@dataclass(frozen=True)
class Piece:
    """A stretch of days with one rate, one divisor and one open principal."""

    start: date
    end: date
    days: int
    rate: Decimal  # percent per year, base rate + 5 or 9 points
    principal: Decimal
    amount: Decimal  # exact to 34 digits, not rounded to the cent
    provisional: bool = False  # the base rate of these days is not in the table yet

    @property
    def divisor(self) -> int:
        """Days of the piece's year (act/act): 365, or 366 in a leap year."""
        return days_in_year(self.start.year)

    @property
    def exact(self) -> Fraction:
        """The amount as an exact fraction: principal × rate/100 × days/divisor."""
        return Fraction(self.principal) * Fraction(self.rate) * self.days / (100 * self.divisor)


@dataclass(frozen=True)
class Interest:
    total: Decimal  # the exact pieces summed, rounded once, half up
    pieces: tuple[Piece, ...]
    provisional: bool

    @property
    def exact(self) -> Fraction:
        return sum((piece.exact for piece in self.pieces), Fraction(0))


def _to_decimal(value: Fraction) -> Decimal:
    with localcontext() as context:
        context.prec = 34
        return Decimal(value.numerator) / Decimal(value.denominator)


def round_fraction(value: Fraction) -> Decimal:
    """An exact fraction to the cent, half up (``round_money`` on an exact-enough Decimal).

    A fraction that is exactly on half a cent has a terminating decimal expansion, which 50
    digits hold exactly, so the tie is rounded up as the rule says.
    """
    with localcontext() as context:
        context.prec = 50
        return round_money(Decimal(value.numerator) / Decimal(value.denominator))


def default_interest(
    principal: Decimal,
    debtor: Debtor,
    first_day: date,
    last_day: date,
    *,
    payments: Iterable[tuple[date, Decimal]] = (),
    rates=None,
) -> Interest:
    """Default interest on ``principal`` from ``first_day`` through ``last_day``, both counted.

    ``payments``: (day, amount applied to principal); from that day on the paid part bears no
    interest. ``last_day < first_day`` gives zero interest and no pieces.
    """
    _check_debtor(debtor)
    principal = Decimal(principal)
    if not principal.is_finite() or principal < 0:
        raise LawError(_("The principal must not be negative."))
    reductions: dict[date, Decimal] = {}
    for day, amount in payments:
        amount = Decimal(amount)
        if not amount.is_finite() or amount < 0:
            raise LawError(_("A payment must not be negative."))
        reductions[day] = reductions.get(day, ZERO) + amount
    if last_day < first_day:
        return Interest(ZERO, (), False)
    # Payments before the first day reduce what bears interest from the start.
    for day in [day for day in reductions if day <= first_day]:
        principal -= reductions.pop(day)
    principal = max(principal, ZERO)
    table = _table(rates)
    if principal == 0:
        return Interest(ZERO, (), False)
    base_rate_on(first_day, table)  # refuses a first day before the table

    cuts = set(reductions)
    cuts.update(valid_from for valid_from, _percent in table)
    boundary = next_half_year(first_day)
    while boundary <= last_day:
        cuts.add(boundary)
        boundary = next_half_year(boundary)
    cuts = sorted(day for day in cuts if first_day < day <= last_day)

    pieces: list[Piece] = []
    start = first_day
    for stop in [*cuts, last_day + timedelta(days=1)]:
        if principal > 0 and stop > start:
            base, provisional = base_rate_on(start, table)
            piece = Piece(
                start=start,
                end=stop - timedelta(days=1),
                days=(stop - start).days,
                rate=base + POINTS[debtor],
                principal=principal,
                amount=ZERO,
                provisional=provisional,
            )
            pieces.append(replace(piece, amount=_to_decimal(piece.exact)))
        principal = max(principal - reductions.get(stop, ZERO), ZERO)
        start = stop
    exact = sum((piece.exact for piece in pieces), Fraction(0))
    return Interest(
        total=round_fraction(exact),
        pieces=tuple(pieces),
        provisional=any(piece.provisional for piece in pieces),
    )


# --- the first day of default (§ 286 BGB) ------------------------------------------------


@functools.cache
def _holidays(year: int):
    # Nationwide public holidays; a state's own holidays are not known without the place of
    # performance, so they do not shift a period (the cautious reading would add them).
    return holidays.country_holidays("DE", years=year)


def next_working_day(day: date) -> date:
    """``day``, or the next working day if it is a Saturday, Sunday or public holiday (§ 193)."""
    while day.weekday() >= 5 or day in _holidays(day.year):
        day += timedelta(days=1)
    return day


def first_day_of_default(
    *,
    debtor: Debtor,
    due_date: date | None = None,
    invoice_date: date | None = None,
    invoice_notice: bool = False,
    letter_date: date | None = None,
) -> date | None:
    """The first day the debtor is in default, or ``None`` if nothing has put them there yet.

    * ``due_date``: a due date fixed by the calendar (§ 286 II Nr. 1): default from the day
      after it, no letter needed.
    * ``invoice_date``: the day an invoice without such a date became due and reached the
      debtor (§ 286 III): 30 days from the day after it, default from the 31st day. For a
      consumer only when the invoice warned of this (``invoice_notice``). The end of the 30
      days moves off a weekend or public holiday (§ 193, the safer reading).
    * ``letter_date``: the day a dunning letter demanding payment reached the debtor
      (§ 286 I): default from the next day.

    Each rule puts the debtor in default "at the latest", so the earliest applicable day wins.
    """
    _check_debtor(debtor)
    candidates = []
    if due_date is not None:
        candidates.append(due_date + timedelta(days=1))
    if invoice_date is not None and (debtor == "business" or invoice_notice):
        last_day_to_pay = next_working_day(invoice_date + timedelta(days=INVOICE_DAYS))
        candidates.append(last_day_to_pay + timedelta(days=1))
    if letter_date is not None:
        candidates.append(letter_date + timedelta(days=1))
    return min(candidates, default=None)


# --- fees ---------------------------------------------------------------------------------


def flat_fee(debtor: Debtor) -> Decimal:
    """§ 288 V BGB: 40.00 EUR from a business debtor in default, nothing from a consumer."""
    _check_debtor(debtor)
    return FLAT_FEE if debtor == "business" else ZERO


def dunning_fee(
    *,
    debtor: Debtor,
    configured: Decimal,
    letter_date: date,
    default_since: date | None,
    already_charged: bool,
) -> Decimal:
    """The fee a dunning letter may carry (law.md §7).

    Only a letter sent once default had begun costs anything (the letter that creates default
    is free); a fee is charged once, never again on a re-run; business debtors owe the 40 EUR
    flat fee instead, which is set off against such costs (§ 288 V 3).
    """
    _check_debtor(debtor)
    configured = Decimal(configured)
    if not configured.is_finite() or configured < 0:
        raise LawError(_("A dunning fee must not be negative."))
    if debtor == "business" or already_charged:
        return ZERO
    if default_since is None or letter_date < default_since:
        return ZERO
    return round_money(configured)


# --- § 367 BGB ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Allocation:
    costs: Decimal
    interest: Decimal
    principal: Decimal
    surplus: Decimal  # what is left after everything owed is paid


def allocate_payment(
    amount: Decimal, *, costs: Decimal, interest: Decimal, principal: Decimal
) -> Allocation:
    """§ 367 I BGB: a payment goes to the costs first, then the interest, then the principal."""
    values = [Decimal(value) for value in (amount, costs, interest, principal)]
    if any(not value.is_finite() or value < 0 for value in values):
        raise LawError(_("A payment and what it pays must not be negative."))
    left, parts = values[0], []
    for owed in values[1:]:
        part = min(left, owed)
        parts.append(part)
        left -= part
    return Allocation(costs=parts[0], interest=parts[1], principal=parts[2], surplus=left)


# --- limitation (§§ 195, 199, 212 BGB) ----------------------------------------------------


def add_years(day: date, years: int) -> date:
    """The same day ``years`` later; 29 February becomes 28 February (§ 188 III BGB)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def limitation_date(arose_on: date, *, partial_payments: Iterable[date] = ()) -> date:
    """The last day the claim is not time-barred.

    Three years from the end of the year it arose (§§ 195, 199 I): a claim from 2026 is barred
    from 2030-01-01, so this gives 2029-12-31. A partial payment acknowledges the claim and
    starts the three years afresh from the next day (§ 212 I Nr. 1): paid on 2025-05-10, barred
    from 2028-05-11, so 2028-05-10. The later end counts. A payment after the claim was barred
    starts nothing.
    """
    end = date(arose_on.year + LIMITATION_YEARS, 12, 31)
    for paid_on in sorted(partial_payments):
        if arose_on <= paid_on <= end:
            end = max(end, add_years(paid_on, LIMITATION_YEARS))
    return end


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

    Callers computing many claims read it once and pass it as ``rates=``.
    """
    from .models import BaseRateEntry

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
    from standing.activity.services import record

    from .models import BaseRateEntry

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
    from standing.activity.services import record

    from .models import BaseRateEntry

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


# --- the interest calculator (SPEC §7, §10) -----------------------------------------------

# The calculator refuses periods no claim can reach, so a typo cannot ask for 8000 years.
CALCULATOR_UNTIL = date(2099, 12, 31)


@dataclass(frozen=True)
class Calculation:
    """What the Zinsrechner shows: page, API and CLI alike."""

    principal: Decimal
    debtor: str
    first_day: date
    last_day: date
    interest: Interest
    flat_fee: Decimal
    known_until: date

    def as_dict(self) -> dict:
        """The ``GET /interest`` answer (SPEC §10); amounts and rates as decimal strings."""
        return {
            "principal": str(self.principal),
            "debtor": self.debtor,
            "from": self.first_day.isoformat(),
            "to": self.last_day.isoformat(),
            "interest": str(self.interest.total),
            "flat_fee": str(self.flat_fee),
            "provisional": self.interest.provisional,
            "known_until": self.known_until.isoformat(),
            "pieces": [
                {
                    "from": piece.start.isoformat(),
                    "to": piece.end.isoformat(),
                    "days": piece.days,
                    "rate": str(piece.rate),
                    "amount": str(round_money(piece.amount)),
                    "amount_exact": exact_string(piece.amount),
                    "principal": str(piece.principal),
                    "divisor": piece.divisor,
                    "provisional": piece.provisional,
                }
                for piece in self.interest.pieces
            ],
        }


def exact_string(amount: Decimal, places: int = 6) -> str:
    """An unrounded piece amount for reading by hand: six decimals, half up."""
    return str(amount.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


def _parse_day(value, field, errors):
    if isinstance(value, date):
        return value
    text = str(value or "").strip()
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            raise ValueError(text)
        return date.fromisoformat(text)
    except ValueError:
        errors[field] = [_("Enter a date as YYYY-MM-DD, e.g. 2025-03-01.")]
        return None


def calculate(principal, debtor, first_day, last_day, *, rates=None) -> Calculation:
    """The calculator: checks what a person typed, then ``default_interest`` and ``flat_fee``.

    Every problem is reported at once, keyed by field (``principal``, ``debtor``, ``from``,
    ``to``), as a ValidationError.
    """
    errors: dict[str, list[str]] = {}
    amount = None
    try:
        amount = parse_amount(principal if principal not in (None, "") else None, field="principal")
    except ValidationError as error:
        errors.update(error.message_dict)
    if debtor not in DEBTORS:
        errors["debtor"] = [
            _("Choose the kind of debtor: consumer or business (a company or trader).")
        ]
    first = _parse_day(first_day, "from", errors)
    last = _parse_day(last_day, "to", errors)
    table = _table(rates)
    if first is not None and first < table[0][0]:
        errors["from"] = [
            _("The base-rate table starts on %(start)s; choose a first day from then on.")
            % {"start": table[0][0].isoformat()}
        ]
    if last is not None and last > CALCULATOR_UNTIL:
        errors["to"] = [
            _("Choose a last day up to %(until)s.") % {"until": CALCULATOR_UNTIL.isoformat()}
        ]
    if first is not None and last is not None and last < first and "to" not in errors:
        errors["to"] = [_("The last day must not be before the first day.")]
    if errors:
        raise ValidationError(errors)
    return Calculation(
        principal=amount,
        debtor=debtor,
        first_day=first,
        last_day=last,
        interest=default_interest(amount, debtor, first, last, rates=table),
        flat_fee=flat_fee(debtor),
        known_until=known_until(table),
    )
