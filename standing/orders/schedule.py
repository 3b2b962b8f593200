"""The installment schedule: pure functions, no database."""

from datetime import date
from decimal import ROUND_DOWN, Decimal

from dateutil.relativedelta import relativedelta

from standing.core.money import CENT

MAX_INSTALLMENTS = 120


def monthly_due_dates(first_due: date, count: int) -> list[date]:
    """Every month from ``first_due``, anchored on its day: Jan 31 → Feb 28 (29) → Mar 31.

    Each date is computed from the first one, never from its predecessor, so a short month
    does not pull every later date to the 28th.
    """
    return [first_due + relativedelta(months=k) for k in range(count)]


def split_amount(amount: Decimal, count: int) -> list[Decimal]:
    """Equal installments rounded down to the cent; the last one absorbs the remainder."""
    each = (amount / count).quantize(CENT, rounding=ROUND_DOWN)
    return [each] * (count - 1) + [amount - each * (count - 1)]


def schedule(amount: Decimal, count: int, first_due: date) -> list[tuple[int, date, Decimal]]:
    """[(sequence, due date, amount)] for ``count`` monthly installments."""
    return [
        (seq, due, part)
        for seq, (due, part) in enumerate(
            zip(monthly_due_dates(first_due, count), split_amount(amount, count), strict=True),
            start=1,
        )
    ]
