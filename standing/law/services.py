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
import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction
from typing import Literal

import holidays
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from standing.core.money import ZERO, parse_amount, round_money

from .rates import (
    BaseRate,
    LawError,
    RateTable,
    base_rate_on,
    base_rate_table,
    known_until,
    next_half_year,
    normalized,
    shipped_base_rates,
)

# The interface other apps use (claims, letters, the board, the § 13a data): nothing else
# computes these figures.
__all__ = [
    "DEBTORS",
    "FLAT_FEE",
    "POINTS",
    "Allocation",
    "BaseRate",
    "Calculation",
    "Debtor",
    "Interest",
    "LawError",
    "Piece",
    "RateTable",
    "allocate_payment",
    "base_rate_on",
    "base_rate_table",
    "calculate",
    "combined",
    "default_interest",
    "dunning_fee",
    "first_day_of_default",
    "flat_fee",
    "known_until",
    "limitation_date",
    "next_half_year",
    "shipped_base_rates",
]

Debtor = Literal["consumer", "business"]
DEBTORS: tuple[str, ...] = ("consumer", "business")

# § 288 I 2 and II BGB: percentage points above the base rate.
POINTS = {"consumer": Decimal("5"), "business": Decimal("9")}
# § 288 V BGB.
FLAT_FEE = Decimal("40.00")
# § 195 BGB.
LIMITATION_YEARS = 3
# § 286 III BGB.
INVOICE_DAYS = 30

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
    base_rate: Decimal | None = None  # the § 247 base rate in ``rate`` (without the points)

    @property
    def divisor(self) -> int:
        """Days of the piece's year (act/act): 365, or 366 in a leap year."""
        return days_in_year(self.start.year)

    @property
    def exact(self) -> Fraction:
        """The amount as an exact fraction: principal × rate/100 × days/divisor."""
        return _exact(self.principal, self.rate, self.days, self.divisor)


@dataclass(frozen=True)
class Interest:
    total: Decimal  # the exact pieces summed, rounded once, half up
    pieces: tuple[Piece, ...]
    provisional: bool

    @property
    def exact(self) -> Fraction:
        return sum((piece.exact for piece in self.pieces), Fraction(0))


def combined(results: Iterable[Interest]) -> Interest:
    """Several computations as one figure (e.g. each installment of a claim from its own first
    day of default): the pieces together, their exact sum rounded once, provisional if any is."""
    results = list(results)
    pieces = tuple(piece for result in results for piece in result.pieces)
    return Interest(
        total=round_fraction(sum((result.exact for result in results), Fraction(0))),
        pieces=pieces,
        provisional=any(result.provisional for result in results),
    )


def _exact(principal: Decimal, rate: Decimal, days: int, divisor: int) -> Fraction:
    # Decimal products are exact; only the division needs a fraction.
    with localcontext() as context:
        context.prec = 60
        return Fraction(principal * rate * days) / (100 * divisor)


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
    if principal == 0:
        return Interest(ZERO, (), False)
    table = normalized(rates)
    table.rate_on(first_day)  # refuses a first day before the table

    cuts = set(reductions)
    cuts.update(table.starts)
    boundary = next_half_year(first_day)
    while boundary <= last_day:
        cuts.add(boundary)
        boundary = next_half_year(boundary)
    cuts = sorted(day for day in cuts if first_day < day <= last_day)

    pieces: list[Piece] = []
    exact = Fraction(0)
    start = first_day
    for stop in [*cuts, last_day + timedelta(days=1)]:
        if principal > 0 and stop > start:
            base, provisional = table.rate_on(start)
            rate, days = base + POINTS[debtor], (stop - start).days
            amount = _exact(principal, rate, days, days_in_year(start.year))
            exact += amount
            pieces.append(
                Piece(
                    start=start,
                    end=stop - timedelta(days=1),
                    days=days,
                    rate=rate,
                    principal=principal,
                    amount=_to_decimal(amount),
                    provisional=provisional,
                    base_rate=base,
                )
            )
        principal = max(principal - reductions.get(stop, ZERO), ZERO)
        start = stop
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
                    "base_rate": str(piece.base_rate),
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
    table = normalized(rates)
    if first is not None and first < table.starts[0]:
        errors["from"] = [
            _("The base-rate table starts on %(start)s; choose a first day from then on.")
            % {"start": table.starts[0].isoformat()}
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
