"""Money: one quantum, one rounding rule, one parser, one formatter.

Every amount is a ``Decimal`` with two places. Computed amounts are rounded once, half up (the
commercial rule German courts and invoices use). Entered amounts are never rounded: more than two
decimals is refused, so nobody loses a cent without being told.
"""

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _

CENT = Decimal("0.01")
SYMBOLS = {"EUR": "€"}
ZERO = Decimal("0.00")
# Twelve digits as in every DecimalField(max_digits=12, decimal_places=2) of the models.
MAX_AMOUNT = Decimal("9999999999.99")
_AMOUNT_RE = re.compile(r"-?\d+(\.\d{1,2})?")


def round_money(value) -> Decimal:
    """A computed amount to the cent, half up."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def parse_amount(value, *, field=None, allow_negative=False, allow_zero=True) -> Decimal:
    """An entered amount as Decimal: "12", "12.5", "1234.56", an int or a Decimal.

    Refused with a ValidationError that says why: exponents, underscores, spaces, NaN,
    more than two decimals, negatives (unless allowed), zero (unless allowed), too large.
    """

    def refuse(message):
        raise ValidationError({field: [message]} if field else message, code="invalid_amount")

    if isinstance(value, bool) or value is None:
        refuse(_("Enter an amount such as 12.50."))
    if isinstance(value, int):
        value = Decimal(value)
    if isinstance(value, Decimal):
        if not value.is_finite():
            refuse(_("Enter an amount such as 12.50."))
        if value != value.quantize(CENT, rounding=ROUND_HALF_UP):
            refuse(_("An amount has at most two decimal places."))
        text = format(value, "f")
    elif isinstance(value, str):
        text = value
    else:
        refuse(_("Enter an amount such as 12.50."))
    if not _AMOUNT_RE.fullmatch(text):
        if re.fullmatch(r"-?\d+\.\d{3,}", text):
            refuse(_("An amount has at most two decimal places."))
        refuse(_("Enter an amount such as 12.50, with a point and at most two decimal places."))
    try:
        amount = Decimal(text).quantize(CENT)
    except InvalidOperation:  # pragma: no cover - the pattern admits only valid numbers
        refuse(_("Enter an amount such as 12.50."))
    if amount < 0 and not allow_negative:
        refuse(_("The amount must not be negative."))
    if amount == 0 and not allow_zero:
        refuse(_("The amount must be greater than zero."))
    if abs(amount) > MAX_AMOUNT:
        refuse(_("The amount is too large."))
    return amount


def format_money(amount, language=None, currency=None) -> str:
    """``amount`` (Decimal, int or a decimal string) rounded half up to the cent, with the
    thousands grouping and currency sign of ``language`` (default: the active language).
    Anything that is not a number is returned as it is."""
    if amount is None or amount == "":
        return ""
    try:
        value = Decimal(str(amount)).quantize(CENT, rounding=ROUND_HALF_UP)
    except InvalidOperation:
        return str(amount)
    currency = currency or settings.CURRENCY
    symbol = SYMBOLS.get(currency, currency)
    language = (language or translation.get_language() or settings.LANGUAGE_CODE)[:2]
    sign = "-" if value < 0 else ""
    grouped = f"{abs(value):,.2f}"
    if language == "de":
        grouped = grouped.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
        return f"{sign}{grouped} {symbol}"
    if len(symbol) == 1:
        return f"{sign}{symbol}{grouped}"
    return f"{sign}{grouped} {symbol}"
