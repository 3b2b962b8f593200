"""The base-rate table grows by entries logged with who and when (SPEC §7, §10)."""

import io
from datetime import date
from decimal import Decimal as D

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from standing.accounts.scoping import Actor
from standing.activity.models import ActivityRecord
from standing.law import rates, services
from standing.law.models import BaseRateEntry


def run(*args):
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_the_shipped_table_has_sources_and_the_negative_era(db):
    table = rates.base_rate_table()
    assert table[0].valid_from == date(2020, 1, 1)
    assert [r.percent for r in table[:6]] == [D("-0.88")] * 6
    assert all(r.shipped and r.source for r in table)
    # One row per half-year, none missing.
    for before, after in zip(table, table[1:], strict=False):
        assert after.valid_from == rates.next_half_year(before.valid_from)
    assert rates.known_until() == date(2026, 6, 30)


def test_an_addition_makes_the_next_half_year_final_and_is_logged(db, admin_user):
    provisional = services.default_interest(
        D("1000.00"), "business", date(2026, 7, 1), date(2026, 7, 31)
    )
    assert provisional.provisional
    rates.add_base_rate(
        date(2026, 7, 1), "1.52", actor=Actor.of(admin_user), source="Bundesbank 2026-06-30"
    )
    entry = BaseRateEntry.objects.get()
    assert (entry.percent, entry.added_by, entry.added_by_label) == (
        D("1.52"),
        admin_user,
        "admin",
    )
    assert entry.added_at is not None
    log = ActivityRecord.objects.get(action="law.base_rate_added")
    assert log.actor == admin_user and log.internal
    assert log.after == {
        "valid_from": "2026-07-01",
        "percent": "1.52",
        "source": "Bundesbank 2026-06-30",
    }
    # July 2026 at 1.52 + 9 = 10.52 %: 1000 × 0.1052 × 31 / 365 = 8.934794… → 8.93, final.
    final = services.default_interest(D("1000.00"), "business", date(2026, 7, 1), date(2026, 7, 31))
    assert (final.total, final.provisional) == (D("8.93"), False)
    assert rates.known_until() == date(2026, 12, 31)


@pytest.mark.parametrize(
    ("day", "percent", "field", "message"),
    [
        (date(2026, 7, 2), "1.52", "valid_from", "1 January and 1 July"),
        (date(2027, 1, 1), "1.52", "valid_from", "2026-07-01"),
        (date(2025, 7, 1), "1.27", "valid_from", "already"),
        (date(2026, 7, 1), "1.523", "percent", "two decimals"),
        (date(2026, 7, 1), "1,52", "percent", "two decimals"),
        (date(2026, 7, 1), "abc", "percent", "two decimals"),
        (date(2026, 7, 1), "42", "percent", "implausible"),
        ("2026-13-01", "1.52", "valid_from", "YYYY-MM-DD"),
    ],
)
def test_bad_additions_change_nothing(db, admin_user, day, percent, field, message):
    with pytest.raises(ValidationError) as refused:
        rates.add_base_rate(day, percent, actor=Actor.of(admin_user))
    assert message in " ".join(refused.value.message_dict[field])
    assert not BaseRateEntry.objects.exists()
    assert not ActivityRecord.objects.exists()


def test_only_the_last_entered_rate_can_be_removed(db, admin_user):
    actor = Actor.of(admin_user)
    with pytest.raises(ValidationError, match="shipped"):
        rates.remove_base_rate(date(2026, 1, 1), actor=actor)
    rates.add_base_rate(date(2026, 7, 1), "1.52", actor=actor)
    rates.add_base_rate(date(2027, 1, 1), "-0.5", actor=actor)
    with pytest.raises(ValidationError, match="2027-01-01"):
        rates.remove_base_rate(date(2026, 7, 1), actor=actor)
    rates.remove_base_rate(date(2027, 1, 1), actor=actor)
    assert [e.valid_from for e in BaseRateEntry.objects.all()] == [date(2026, 7, 1)]
    assert ActivityRecord.objects.filter(action="law.base_rate_removed").count() == 1


def test_cli_add_and_list(db, admin_user):
    out = run(
        "law", "base-rate", "add", "2026-07-01", "1.52", "--source", "Bundesbank", "--user", "admin"
    )
    assert "2026-07-01: 1.52 %" in out and "business 10.52 %" in out
    listed = run("law", "base-rate", "list")
    lines = listed.splitlines()
    assert lines[1].startswith("2020-01-01   -0.88        4.12        8.12  Deutsche Bundesbank")
    assert "2026-07-01    1.52        6.52       10.52  entered by admin on" in listed
    assert "Known until 2026-12-31" in listed
    with time_machine.travel(date(2027, 1, 2)):
        late = run("law", "base-rate", "list")
    assert "Today is past the table: enter the base rate from 2027-01-01" in late


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["2026-07-01", "1.52", "--user", "nobody"], "no user 'nobody'"),
        (["1.7.2026", "1.52"], "YYYY-MM-DD"),
        (["2027-01-01", "1.52"], "2026-07-01"),
    ],
)
def test_cli_add_refuses_with_a_message(db, admin_user, args, message):
    with pytest.raises(CommandError, match=message):
        run("law", "base-rate", "add", *args)
    assert not BaseRateEntry.objects.exists()


def test_the_shipped_table_is_law_md_section_1():
    # Typed from law.md §1, row by row (2026-07-01 is UNVERIFIED there and not shipped).
    expected = [
        ("2020-01-01", "-0.88"),
        ("2020-07-01", "-0.88"),
        ("2021-01-01", "-0.88"),
        ("2021-07-01", "-0.88"),
        ("2022-01-01", "-0.88"),
        ("2022-07-01", "-0.88"),
        ("2023-01-01", "1.62"),
        ("2023-07-01", "3.12"),
        ("2024-01-01", "3.62"),
        ("2024-07-01", "3.37"),
        ("2025-01-01", "2.27"),
        ("2025-07-01", "1.27"),
        ("2026-01-01", "1.27"),
    ]
    assert [(r.valid_from.isoformat(), str(r.percent)) for r in rates.shipped_base_rates()] == (
        expected
    )
