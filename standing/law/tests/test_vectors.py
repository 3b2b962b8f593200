"""Hand-checked vectors, written from the statute and law.md, not from the code.

Every expected figure below was worked out by hand from law.md §1 (the table) and SPEC §7
(act/act, both ends counted, the payment day bears none, pieces cut on 1 January and 1 July,
summed exactly and rounded once half up). The arithmetic is in the comment beside each vector:
piece amount = principal × (base + points)/100 × days / (365, or 366 in a leap year).
"""

from datetime import date
from decimal import Decimal as D

import pytest

from standing.law.services import (
    FLAT_FEE,
    Allocation,
    LawError,
    allocate_payment,
    base_rate_on,
    combined,
    default_interest,
    dunning_fee,
    first_day_of_default,
    flat_fee,
    limitation_date,
    next_working_day,
)

# rates=None reads the table as shipped (plus additions, none here): the default path.
pytestmark = pytest.mark.django_db


def rows(interest):
    return [(p.start, p.end, p.days, p.rate, p.principal) for p in interest.pieces]


def cents(piece):
    return piece.amount.quantize(D("0.00001"))


# --- the table ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "percent", "provisional"),
    [
        (date(2020, 1, 1), D("-0.88"), False),  # first row
        (date(2022, 12, 31), D("-0.88"), False),  # last day of the negative era
        (date(2023, 1, 1), D("1.62"), False),
        (date(2023, 6, 30), D("1.62"), False),
        (date(2023, 7, 1), D("3.12"), False),
        (date(2024, 2, 29), D("3.62"), False),
        (date(2024, 7, 1), D("3.37"), False),
        (date(2025, 1, 1), D("2.27"), False),
        (date(2025, 7, 1), D("1.27"), False),
        (date(2026, 6, 30), D("1.27"), False),  # last day the shipped table covers
        # 2026-07-01 is UNVERIFIED in law.md and not shipped: the last rate, provisionally.
        (date(2026, 7, 1), D("1.27"), True),
        (date(2030, 1, 1), D("1.27"), True),
    ],
)
def test_base_rate_on_the_shipped_table(day, percent, provisional):
    assert base_rate_on(day) == (percent, provisional)


def test_no_rate_before_the_table():
    with pytest.raises(LawError, match="2020-01-01"):
        base_rate_on(date(2019, 12, 31))


# --- default interest -----------------------------------------------------------------------


def test_a_period_inside_one_half_year():
    # Business, 1000.00 from 2025-03-01 through 2025-03-31: 31 days, both counted.
    # Base 2.27 (from 2025-01-01) + 9 = 11.27 %; 2025 has 365 days.
    # 1000 × 0.1127 × 31 / 365 = 112.7 × 31 / 365 = 3493.7 / 365 = 9.571780… → 9.57
    result = default_interest(D("1000.00"), "business", date(2025, 3, 1), date(2025, 3, 31))
    assert rows(result) == [(date(2025, 3, 1), date(2025, 3, 31), 31, D("11.27"), D("1000.00"))]
    assert cents(result.pieces[0]) == D("9.57178")
    assert result.total == D("9.57")
    assert result.provisional is False


def test_a_period_across_one_change():
    # Consumer, 2500.00 from 2024-06-15 through 2024-07-14; 2024 is a leap year (366).
    # 06-15…06-30: 16 days at 3.62 + 5 = 8.62 %: 2500 × 0.0862 × 16 / 366 = 3448 / 366 = 9.420765…
    # 07-01…07-14: 14 days at 3.37 + 5 = 8.37 %: 2500 × 0.0837 × 14 / 366 = 2929.5 / 366 = 8.004098…
    # sum 6377.5 / 366 = 17.424863… → 17.42
    result = default_interest(D("2500.00"), "consumer", date(2024, 6, 15), date(2024, 7, 14))
    assert rows(result) == [
        (date(2024, 6, 15), date(2024, 6, 30), 16, D("8.62"), D("2500.00")),
        (date(2024, 7, 1), date(2024, 7, 14), 14, D("8.37"), D("2500.00")),
    ]
    assert [cents(p) for p in result.pieces] == [D("9.42077"), D("8.00410")]
    assert result.total == D("17.42")


def test_a_period_across_three_changes():
    # Business, 10000.00 from 2023-05-01 through 2024-08-31 (changes 2023-07-01, 2024-01-01,
    # 2024-07-01):
    # 2023-05-01…06-30:  61 days at 1.62 + 9 = 10.62 % /365: 1062 × 61 / 365 = 177.484931…
    # 2023-07-01…12-31: 184 days at 3.12 + 9 = 12.12 % /365: 1212 × 184 / 365 = 610.980821…
    # 2024-01-01…06-30: 182 days at 3.62 + 9 = 12.62 % /366: 1262 × 182 / 366 = 627.551912…
    # 2024-07-01…08-31:  62 days at 3.37 + 9 = 12.37 % /366: 1237 × 62 / 366 = 209.546448…
    # sum 1625.564114… → 1625.56
    result = default_interest(D("10000.00"), "business", date(2023, 5, 1), date(2024, 8, 31))
    assert [p.base_rate for p in result.pieces] == [D("1.62"), D("3.12"), D("3.62"), D("3.37")]
    assert [(p.days, p.rate) for p in result.pieces] == [
        (61, D("10.62")),
        (184, D("12.12")),
        (182, D("12.62")),
        (62, D("12.37")),
    ]
    assert [cents(p) for p in result.pieces] == [
        D("177.48493"),
        D("610.98082"),
        D("627.55191"),
        D("209.54645"),
    ]
    assert result.total == D("1625.56")


def test_a_whole_leap_year():
    # Consumer, 1000.00 through all of 2024 (366 days, each 1/366 of a year):
    # 01-01…06-30: 182 days at 8.62 %: 86.2 × 182 / 366 = 15688.4 / 366
    # 07-01…12-31: 184 days at 8.37 %: 83.7 × 184 / 366 = 15400.8 / 366
    # sum 31089.2 / 366 = 84.943169… → 84.94
    result = default_interest(D("1000.00"), "consumer", date(2024, 1, 1), date(2024, 12, 31))
    assert [(p.days, p.rate) for p in result.pieces] == [(182, D("8.62")), (184, D("8.37"))]
    assert sum(p.days for p in result.pieces) == 366
    assert result.total == D("84.94")


@pytest.mark.parametrize(
    ("debtor", "rate", "total"),
    [
        # A whole common year at a constant rate is exactly the rate:
        # 1000 × (−0.88 + 5) % = 41.20; 1000 × (−0.88 + 9) % = 81.20.
        ("consumer", D("4.12"), D("41.20")),
        ("business", D("8.12"), D("81.20")),
    ],
)
def test_the_negative_rate_era_a_whole_year(debtor, rate, total):
    # Pieces 2021-01-01…06-30 (181 days) and 07-01…12-31 (184 days), both at the same rate.
    result = default_interest(D("1000.00"), debtor, date(2021, 1, 1), date(2021, 12, 31))
    assert [(p.days, p.rate) for p in result.pieces] == [(181, rate), (184, rate)]
    assert result.total == total


def test_the_negative_rate_era_across_a_leap_year_end():
    # Business, 5000.00 from 2020-11-15 through 2021-02-14, base −0.88 + 9 = 8.12 % throughout;
    # the divisor changes with the year:
    # 2020-11-15…12-31: 47 days /366: 5000 × 0.0812 × 47 / 366 = 406 × 47 / 366 = 52.136612…
    # 2021-01-01…02-14: 45 days /365: 406 × 45 / 365 = 50.054795…
    # sum 102.191407… → 102.19 (one rate, two divisors)
    result = default_interest(D("5000.00"), "business", date(2020, 11, 15), date(2021, 2, 14))
    assert [(p.days, p.rate, p.divisor) for p in result.pieces] == [
        (47, D("8.12"), 366),
        (45, D("8.12"), 365),
    ]
    assert result.total == D("102.19")


def test_the_negative_rate_era_consumer_partial_period():
    # Consumer, 750.00 from 2022-03-10 through 2022-04-08: 30 days at 4.12 % /365:
    # 750 × 0.0412 × 30 / 365 = 30.9 × 30 / 365 = 927 / 365 = 2.539726… → 2.54
    result = default_interest(D("750.00"), "consumer", date(2022, 3, 10), date(2022, 4, 8))
    assert rows(result) == [(date(2022, 3, 10), date(2022, 4, 8), 30, D("4.12"), D("750.00"))]
    assert result.total == D("2.54")


@pytest.mark.parametrize(
    ("debtor", "total"),
    [
        # 100000 × 12.62 % / 366 = 12620 / 366 = 34.480874… → 34.48
        ("business", D("34.48")),
        # 100000 × 8.62 % / 366 = 8620 / 366 = 23.551912… → 23.55
        ("consumer", D("23.55")),
    ],
)
def test_a_single_day_on_29_february(debtor, total):
    day = date(2024, 2, 29)
    result = default_interest(D("100000.00"), debtor, day, day)
    assert [(p.start, p.end, p.days) for p in result.pieces] == [(day, day, 1)]
    assert result.total == total


def test_a_partial_payment_under_367():
    # Business, 1000.00 in default from 2025-03-01 (11.27 %). On 2025-04-10 the debtor pays
    # 500.00. Owed on that day:
    #   costs: the § 288 V flat fee 40.00;
    #   interest 03-01…04-09 (40 days; the payment day bears none):
    #     1000 × 0.1127 × 40 / 365 = 4508 / 365 = 12.350684… → 12.35
    # § 367 I: 500.00 → costs 40.00, interest 12.35, principal 447.65, nothing left.
    owed = default_interest(D("1000.00"), "business", date(2025, 3, 1), date(2025, 4, 9))
    assert owed.total == D("12.35")
    allocation = allocate_payment(
        D("500.00"), costs=flat_fee("business"), interest=owed.total, principal=D("1000.00")
    )
    assert allocation == Allocation(D("40.00"), D("12.35"), D("447.65"), D("0.00"))
    # Interest through 2025-04-30, the principal falling by 447.65 on 04-10:
    #   03-01…04-09: 40 days on 1000.00: 12.350684…
    #   04-10…04-30: 21 days on 552.35: 552.35 × 0.1127 × 21 / 365 = 3.581498…
    #   sum 15.932183… → 15.93 (of which 12.35 is paid)
    result = default_interest(
        D("1000.00"),
        "business",
        date(2025, 3, 1),
        date(2025, 4, 30),
        payments=[(date(2025, 4, 10), allocation.principal)],
    )
    assert rows(result) == [
        (date(2025, 3, 1), date(2025, 4, 9), 40, D("11.27"), D("1000.00")),
        (date(2025, 4, 10), date(2025, 4, 30), 21, D("11.27"), D("552.35")),
    ]
    assert [cents(p) for p in result.pieces] == [D("12.35068"), D("3.58150")]
    assert result.total == D("15.93")


def test_a_payment_of_everything_stops_interest_that_day():
    # 200.00 consumer from 2025-08-01, paid in full on 2025-08-11: 10 days at 6.27 % /365:
    # 200 × 0.0627 × 10 / 365 = 125.4 / 365 = 0.343561… → 0.34; nothing after the payment.
    result = default_interest(
        D("200.00"),
        "consumer",
        date(2025, 8, 1),
        date(2025, 12, 31),
        payments=[(date(2025, 8, 11), D("200.00"))],
    )
    assert rows(result) == [(date(2025, 8, 1), date(2025, 8, 10), 10, D("6.27"), D("200.00"))]
    assert result.total == D("0.34")


def test_beyond_the_table_is_provisional():
    # Business, 1000.00 from 2026-06-01 through 2026-07-31. The table ends with 2026-01-01
    # (1.27); 2026-07-01 is not entered, so July uses 1.27 provisionally.
    # 06-01…06-30: 30 days at 10.27 % /365: 102.7 × 30 / 365 = 8.441096…
    # 07-01…07-31: 31 days at 10.27 % /365: 102.7 × 31 / 365 = 8.722466… (provisional)
    # sum 17.163562… → 17.16, provisional
    result = default_interest(D("1000.00"), "business", date(2026, 6, 1), date(2026, 7, 31))
    assert [(p.days, p.provisional) for p in result.pieces] == [(30, False), (31, True)]
    assert result.total == D("17.16")
    assert result.provisional is True
    # Once the rate for 2026-07-01 is entered (law.md: 1.52, unverified) the figure is final:
    # July at 10.52 %: 105.2 × 31 / 365 = 8.934794…; sum 17.375890… → 17.38
    from standing.law.services import shipped_base_rates

    rates = [*shipped_base_rates(), (date(2026, 7, 1), D("1.52"))]
    final = default_interest(
        D("1000.00"), "business", date(2026, 6, 1), date(2026, 7, 31), rates=rates
    )
    assert final.provisional is False
    assert final.total == D("17.38")


def test_last_day_before_first_day_is_zero():
    result = default_interest(D("1000.00"), "business", date(2025, 3, 2), date(2025, 3, 1))
    assert (result.total, result.pieces, result.provisional) == (D("0.00"), (), False)


def test_a_half_cent_is_rounded_up():
    # A table of one constant rate: 36.5 × 10 % × 1 / 365 = 0.01 exactly; 18.25 → 0.005 → 0.01.
    rates = [(date(2025, 1, 1), D("1"))]
    result = default_interest(
        D("18.25"), "business", date(2025, 5, 5), date(2025, 5, 5), rates=rates
    )
    assert result.pieces[0].amount == D("0.005")
    assert result.total == D("0.01")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"principal": D("-1.00")}, "negative"),
        ({"debtor": "merchant"}, "consumer or business"),
        ({"first_day": date(2019, 12, 1)}, "2020-01-01"),
        ({"payments": [(date(2025, 3, 5), D("-5"))]}, "negative"),
    ],
)
def test_bad_input_is_refused(kwargs, message):
    args = {
        "principal": D("100.00"),
        "debtor": "consumer",
        "first_day": date(2025, 3, 1),
        "last_day": date(2025, 3, 31),
        **kwargs,
    }
    with pytest.raises(LawError, match=message):
        default_interest(
            args.pop("principal"),
            args.pop("debtor"),
            args.pop("first_day"),
            args.pop("last_day"),
            **args,
        )


# --- the first day of default ---------------------------------------------------------------


def test_a_calendar_due_date_puts_in_default_the_next_day():
    # § 286 II Nr. 1: due 2025-03-15 → default from 2025-03-16, no letter needed, any debtor.
    for debtor in ("consumer", "business"):
        assert first_day_of_default(debtor=debtor, due_date=date(2025, 3, 15)) == date(2025, 3, 16)


def test_the_30_day_rule_for_a_business_debtor():
    # law.md §4: due and received 2025-03-03 (a Monday) → the 30 days are 03-04…04-02
    # (Wednesday) → in default from 2025-04-03.
    assert first_day_of_default(debtor="business", invoice_date=date(2025, 3, 3)) == date(
        2025, 4, 3
    )


def test_the_30_day_rule_for_a_consumer_needs_the_notice():
    invoice = date(2025, 3, 3)
    # Without the warning on the invoice there is no default under § 286 III …
    assert first_day_of_default(debtor="consumer", invoice_date=invoice) is None
    # … with it, the same day as for a business.
    assert first_day_of_default(
        debtor="consumer", invoice_date=invoice, invoice_notice=True
    ) == date(2025, 4, 3)
    # Without it, the dunning letter (received 2025-03-20) puts the consumer in default the
    # next day.
    assert first_day_of_default(
        debtor="consumer", invoice_date=invoice, letter_date=date(2025, 3, 20)
    ) == date(2025, 3, 21)


def test_the_30_day_period_ends_on_a_working_day():
    # Received Friday 2025-05-02: day 30 is Sunday 2025-06-01, so the period ends Monday
    # 2025-06-02 (§ 193) and default starts 2025-06-03.
    assert first_day_of_default(debtor="business", invoice_date=date(2025, 5, 2)) == date(
        2025, 6, 3
    )
    # Received 2025-09-03: day 30 is Friday 2025-10-03, Day of German Unity; then Saturday and
    # Sunday: the period ends Monday 2025-10-06, default from 2025-10-07.
    assert first_day_of_default(debtor="business", invoice_date=date(2025, 9, 3)) == date(
        2025, 10, 7
    )


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2025, 4, 18), date(2025, 4, 22)),  # Good Friday → (Easter Monday) → Tuesday
        (date(2025, 12, 25), date(2025, 12, 29)),  # Christmas Thu, Fri, weekend → Monday
        (date(2025, 5, 1), date(2025, 5, 2)),  # Labour Day (Thursday) → Friday
        (date(2025, 11, 1), date(2025, 11, 3)),  # Saturday (All Saints is not nationwide)
        (date(2025, 11, 4), date(2025, 11, 4)),  # an ordinary Tuesday stays
    ],
)
def test_next_working_day(day, working):
    assert next_working_day(day) == working


def test_the_earliest_rule_wins_and_nothing_means_no_default():
    # A letter received before the 30 days are up puts a business debtor in default earlier
    # ("spätestens").
    assert first_day_of_default(
        debtor="business", invoice_date=date(2025, 3, 3), letter_date=date(2025, 3, 10)
    ) == date(2025, 3, 11)
    assert first_day_of_default(debtor="business") is None


# --- fees -----------------------------------------------------------------------------------


def test_the_flat_fee():
    assert D("40.00") == FLAT_FEE
    assert flat_fee("business") == D("40.00")
    assert flat_fee("consumer") == D("0.00")
    with pytest.raises(LawError):
        flat_fee("company")


@pytest.mark.parametrize(
    ("debtor", "letter", "since", "charged", "fee"),
    [
        # A letter sent once default began (calendar due date 2025-03-15 → 03-16) may cost 1.20.
        ("consumer", date(2025, 3, 20), date(2025, 3, 16), False, D("1.20")),
        # On the first day of default itself: default has begun.
        ("consumer", date(2025, 3, 16), date(2025, 3, 16), False, D("1.20")),
        # The letter that creates default (received 03-20, default from 03-21) is free.
        ("consumer", date(2025, 3, 20), date(2025, 3, 21), False, D("0.00")),
        # No default yet at all: free.
        ("consumer", date(2025, 3, 20), None, False, D("0.00")),
        # Never twice.
        ("consumer", date(2025, 4, 20), date(2025, 3, 16), True, D("0.00")),
        # Business debtors owe the 40 EUR flat fee instead (§ 288 V 3).
        ("business", date(2025, 3, 20), date(2025, 3, 16), False, D("0.00")),
    ],
)
def test_dunning_fee(debtor, letter, since, charged, fee):
    assert (
        dunning_fee(
            debtor=debtor,
            configured=D("1.20"),
            letter_date=letter,
            default_since=since,
            already_charged=charged,
        )
        == fee
    )


def test_a_negative_dunning_fee_is_refused():
    with pytest.raises(LawError):
        dunning_fee(
            debtor="consumer",
            configured=D("-1"),
            letter_date=date(2025, 3, 20),
            default_since=date(2025, 3, 16),
            already_charged=False,
        )


# --- § 367 ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        # costs 5.00, interest 3.00, principal 100.00
        (D("4.00"), Allocation(D("4.00"), D("0"), D("0"), D("0"))),
        (D("7.00"), Allocation(D("5.00"), D("2.00"), D("0"), D("0"))),
        (D("50.00"), Allocation(D("5.00"), D("3.00"), D("42.00"), D("0"))),
        (D("120.00"), Allocation(D("5.00"), D("3.00"), D("100.00"), D("12.00"))),
    ],
)
def test_allocation_order(amount, expected):
    assert (
        allocate_payment(amount, costs=D("5.00"), interest=D("3.00"), principal=D("100.00"))
        == expected
    )


# --- limitation -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("arose", "payments", "last_day"),
    [
        # law.md §5: arose 2023-03-15 → runs from the end of 2023 → barred from 2027-01-01.
        (date(2023, 3, 15), [], date(2026, 12, 31)),
        # The last and the first day of a year fall into different years' ends.
        (date(2023, 12, 31), [], date(2026, 12, 31)),
        (date(2024, 1, 1), [], date(2027, 12, 31)),
        # SPEC §7: a claim from 2026 is barred from 2030-01-01.
        (date(2026, 6, 30), [], date(2029, 12, 31)),
        # law.md §5: partial payment 2025-05-10 → new period from 05-11 → barred from
        # 2028-05-11; later than the year end 2027-12-31, so it counts.
        (date(2024, 6, 1), [date(2025, 5, 10)], date(2028, 5, 10)),
        # A restart that ends earlier than the year end does not shorten anything:
        # 2024-07-01 + 3 years = 2027-07-01 < 2027-12-31.
        (date(2024, 6, 1), [date(2024, 7, 1)], date(2027, 12, 31)),
        # Two payments: the later restart counts (2026-02-01 → 2029-02-01).
        (date(2024, 6, 1), [date(2026, 2, 1), date(2025, 5, 10)], date(2029, 2, 1)),
        # Paid on 29 Feb 2024: the period starts 03-01 and ends at the end of 28 Feb 2027
        # (§ 188 II, III BGB), barred from 2027-03-01.
        (date(2023, 10, 1), [date(2024, 2, 29)], date(2027, 2, 28)),
        # A payment after the claim was barred (end 2023-12-31) restarts nothing.
        (date(2020, 5, 5), [date(2024, 3, 1)], date(2023, 12, 31)),
    ],
)
def test_limitation_date(arose, payments, last_day):
    assert limitation_date(arose, partial_payments=payments) == last_day


def test_installments_combined_are_rounded_once():
    # Consumer; two installments of 100.00, due 2025-01-31 and 2025-02-28 (calendar dates):
    # default from 2025-02-01 and 2025-03-01; interest through 2025-03-31 at 2.27 + 5 = 7.27 %:
    #   A: 02-01…03-31, 59 days: 100 × 0.0727 × 59 / 365 = 428.93 / 365 = 1.175151…
    #   B: 03-01…03-31, 31 days: 100 × 0.0727 × 31 / 365 = 225.37 / 365 = 0.617452…
    #   sum 1.792603… → 1.79 (rounded per installment it would be 1.18 + 0.62 = 1.80)
    last = date(2025, 3, 31)
    results = [
        default_interest(
            D("100.00"),
            "consumer",
            first_day_of_default(debtor="consumer", due_date=due),
            last,
        )
        for due in (date(2025, 1, 31), date(2025, 2, 28))
    ]
    assert [r.total for r in results] == [D("1.18"), D("0.62")]
    both = combined(results)
    assert [(p.start, p.days) for p in both.pieces] == [
        (date(2025, 2, 1), 59),
        (date(2025, 3, 1), 31),
    ]
    assert both.total == D("1.79")
    assert both.provisional is False
