"""Amounts as people read them: "1.234,56 €" in German, "€1,234.56" in English."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.conf import settings
from django.utils import translation

CENT = Decimal("0.01")
SYMBOLS = {"EUR": "€"}


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
