"""Money: one quantum, one rounding rule, one parser, one formatter — the name every app uses.

The code lives in ``standing.base.money`` (below the activity log, which formats amounts too);
this module is its public name, not a copy.
"""

from standing.base.money import (
    CENT,
    MAX_AMOUNT,
    SYMBOLS,
    ZERO,
    format_money,
    parse_amount,
    round_money,
)

__all__ = [
    "CENT",
    "MAX_AMOUNT",
    "SYMBOLS",
    "ZERO",
    "format_money",
    "parse_amount",
    "round_money",
]
