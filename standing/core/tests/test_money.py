from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.template import Context, Template
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from standing.core.money import format_money, parse_amount, round_money


def test_round_money_is_half_up():
    assert round_money(Decimal("2.345")) == Decimal("2.35")
    assert round_money(Decimal("2.344999")) == Decimal("2.34")
    assert round_money(Decimal("-2.345")) == Decimal("-2.35")


@pytest.mark.parametrize("text,expected", [("12", "12.00"), ("12.5", "12.50"), ("0.01", "0.01")])
def test_parse_amount_accepts_decimal_strings(text, expected):
    assert parse_amount(text) == Decimal(expected)


@pytest.mark.parametrize(
    "bad", ["1e3", "1_000", " 5 ", "1.234", "1,50", "", "abc", "NaN", "-3", True, None, 1.5]
)
def test_parse_amount_refuses_what_it_would_have_to_guess(bad):
    with pytest.raises(ValidationError):
        parse_amount(bad)


def test_parse_amount_names_the_field_and_refuses_extra_decimals_of_a_decimal():
    with pytest.raises(ValidationError) as err:
        parse_amount(Decimal("1.005"), field="amount")
    assert "amount" in err.value.message_dict
    assert parse_amount("-3", allow_negative=True) == Decimal("-3.00")
    with pytest.raises(ValidationError):
        parse_amount("0", allow_zero=False)


def test_format_money_rounds_and_groups():
    assert format_money(Decimal("1234.5"), "de") == "1.234,50 €"
    assert format_money(Decimal("1234567.891"), "de") == "1.234.567,89 €"
    assert format_money(Decimal("-0.5"), "en") == "-€0.50"
    assert format_money(None) == ""


@given(st.decimals(min_value=-(10**9), max_value=10**9, places=2, allow_nan=False))
def test_parse_of_a_formatted_plain_amount_round_trips(amount):
    assert parse_amount(format(amount, "f"), allow_negative=True) == amount


def test_german_and_english_notation():
    assert format_money(Decimal("1234.56"), "de") == "1.234,56 €"
    assert format_money(Decimal("250"), "de") == "250,00 €"
    assert format_money(Decimal("-0.5"), "de") == "-0,50 €"
    assert format_money(Decimal("1234567.891"), "en") == "€1,234,567.89"
    assert format_money("12.345", "de") == "12,35 €"  # half up
    assert format_money(None) == "" and format_money("n/a") == "n/a"


def test_filter_follows_the_active_language():
    template = Template("{% load money %}{{ amount|money }}")
    with translation.override("de"):
        assert template.render(Context({"amount": Decimal("236")})) == "236,00 €"
    with translation.override("en"):
        assert template.render(Context({"amount": Decimal("236")})) == "€236.00"


@given(st.decimals(min_value=-(10**9), max_value=10**9, places=2))
def test_german_text_reads_back_as_the_amount(amount):
    text = format_money(amount, "de").removesuffix(" €")
    assert Decimal(text.replace(".", "").replace(",", ".")) == amount
