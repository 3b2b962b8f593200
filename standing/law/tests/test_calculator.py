"""The interest calculator's checks and its CLI (SPEC §10 ``standing interest``)."""

import io
import json
from datetime import date
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from standing.law.services import calculate


def run(*args):
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("principal", "debtor", "first", "last", "fields"),
    [
        ("-5.00", "consumer", "2025-01-01", "2025-01-31", {"principal"}),
        ("12.345", "consumer", "2025-01-01", "2025-01-31", {"principal"}),
        ("", "consumer", "2025-01-01", "2025-01-31", {"principal"}),
        ("100", "merchant", "2025-01-01", "2025-01-31", {"debtor"}),
        ("100", "consumer", "2025-02-30", "2025-03-31", {"from"}),
        ("100", "consumer", "01.02.2025", "2025-03-31", {"from"}),
        ("100", "consumer", "2025-03-01", "2025-02-28", {"to"}),
        ("100", "consumer", "2019-12-31", "2020-01-31", {"from"}),
        ("100", "consumer", "2025-01-01", "9999-12-31", {"to"}),
        ("x", "y", "z", "", {"principal", "debtor", "from", "to"}),
    ],
)
def test_bad_input_names_every_field(db, principal, debtor, first, last, fields):
    with pytest.raises(ValidationError) as refused:
        calculate(principal, debtor, first, last)
    assert set(refused.value.message_dict) == fields


def test_one_day_is_from_equal_to(db):
    # Business, 365.00 on 2025-03-01 alone: 365 × 11.27 % / 365 = 0.1127 → 0.11.
    result = calculate("365.00", "business", "2025-03-01", "2025-03-01")
    assert result.interest.total == D("0.11")
    assert result.flat_fee == D("40.00")
    assert result.first_day == result.last_day == date(2025, 3, 1)


def test_cli_table(db):
    out = run(
        "interest",
        "--principal",
        "2500.00",
        "--debtor",
        "consumer",
        "--from",
        "2024-06-15",
        "--to",
        "2024-07-14",
    )
    # Hand-checked in test_vectors.test_a_period_across_one_change.
    assert (
        "2024-06-15  2024-06-30    16    3.62    8.62      366       2500.00        9.420765" in out
    )
    assert (
        "2024-07-01  2024-07-14    14    3.37    8.37      366       2500.00        8.004098" in out
    )
    assert "Interest: 17.42 EUR" in out
    assert "Flat fee (§ 288 V BGB): 0.00 EUR" in out
    assert "Provisional: no" in out


def test_cli_json_is_the_api_answer_and_says_provisional(db):
    out = run(
        "interest",
        "--principal",
        "1000",
        "--debtor",
        "business",
        "--from",
        "2026-06-01",
        "--to",
        "2026-07-31",
        "--json",
    )
    answer = json.loads(out)
    assert answer["interest"] == "17.16" and answer["flat_fee"] == "40.00"
    assert answer["provisional"] is True and answer["known_until"] == "2026-06-30"
    assert [
        (p["from"], p["to"], p["days"], p["rate"], p["provisional"]) for p in answer["pieces"]
    ] == [
        ("2026-06-01", "2026-06-30", 30, "10.27", False),
        ("2026-07-01", "2026-07-31", 31, "10.27", True),
    ]


def test_cli_refuses_with_the_field(db):
    with pytest.raises(CommandError, match="--to: "):
        run(
            "interest",
            "--principal",
            "10",
            "--debtor",
            "consumer",
            "--from",
            "2025-03-01",
            "--to",
            "2025-02-01",
        )
