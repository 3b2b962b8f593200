from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from standing.orders.schedule import monthly_due_dates, schedule, split_amount


def test_last_installment_absorbs_rounding():
    assert split_amount(Decimal("100.00"), 3) == [
        Decimal("33.33"),
        Decimal("33.33"),
        Decimal("33.34"),
    ]
    assert split_amount(Decimal("0.05"), 5) == [Decimal("0.01")] * 5
    assert split_amount(Decimal("10.00"), 1) == [Decimal("10.00")]


@pytest.mark.parametrize(
    ("first", "expected"),
    [
        (date(2028, 1, 31), [date(2028, 1, 31), date(2028, 2, 29), date(2028, 3, 31)]),
        (date(2026, 1, 31), [date(2026, 1, 31), date(2026, 2, 28), date(2026, 3, 31)]),
        (date(2026, 11, 30), [date(2026, 11, 30), date(2026, 12, 30), date(2027, 1, 30)]),
        (date(2026, 1, 15), [date(2026, 1, 15), date(2026, 2, 15), date(2026, 3, 15)]),
    ],
)
def test_month_end_dates_stay_anchored(first, expected):
    assert monthly_due_dates(first, 3) == expected


@given(
    amount=st.decimals(min_value="0.50", max_value="99999.99", places=2),
    count=st.integers(min_value=1, max_value=48),
    first=st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31)),
)
def test_schedule_sums_to_amount(amount, count, first):
    rows = schedule(amount, count, first)
    assert [seq for seq, _, _ in rows] == list(range(1, count + 1))
    assert sum(part for _, _, part in rows) == amount
    parts = [part for _, _, part in rows]
    assert all(p >= Decimal("0.01") for p in parts)
    assert max(parts) - min(parts) < Decimal("0.01") * count
    dues = [d for _, d, _ in rows]
    assert dues == sorted(set(dues))
