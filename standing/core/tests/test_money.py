from decimal import Decimal

from django.template import Context, Template
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from standing.core.money import format_money


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
