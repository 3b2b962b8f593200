"""Properties a lawyer would check by trying cases: hypothesis tries them for us."""

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from standing.law.services import (
    allocate_payment,
    combined,
    default_interest,
    first_day_of_default,
    limitation_date,
    next_working_day,
    shipped_base_rates,
)

RATES = shipped_base_rates()  # the table passed in, as a batch caller does: no database
START, END = date(2020, 1, 1), date(2028, 12, 31)  # beyond 2026-06-30: provisional days too

days = st.dates(min_value=START, max_value=END)
debtors = st.sampled_from(["consumer", "business"])
principals = st.decimals(
    min_value=Decimal("0.00"), max_value=Decimal("9999999.99"), places=2, allow_nan=False
)
amounts = st.decimals(
    min_value=Decimal("0.00"), max_value=Decimal("100000.00"), places=2, allow_nan=False
)


@st.composite
def periods(draw):
    first = draw(days)
    last = draw(st.dates(min_value=first, max_value=END))
    return first, last


@settings(max_examples=200, deadline=None)
@given(principals, debtors, periods(), st.data())
def test_cutting_a_period_anywhere_gives_the_same_exact_sum(principal, debtor, period, data):
    first, last = period
    cut = data.draw(st.dates(min_value=first, max_value=last))
    whole = default_interest(principal, debtor, first, last, rates=RATES)
    before = default_interest(principal, debtor, first, cut - timedelta(days=1), rates=RATES)
    after = default_interest(principal, debtor, cut, last, rates=RATES)
    assert before.exact + after.exact == whole.exact
    # Rounded once: the halves, each rounded, differ from the whole by at most a cent.
    assert abs(before.total + after.total - whole.total) <= Decimal("0.01")
    # Combined, the halves are the whole again, rounded once.
    both = combined([before, after])
    assert (both.total, both.pieces, both.provisional) == (
        whole.total,
        before.pieces + after.pieces,
        whole.provisional,
    )
    # The pieces cover every day exactly once.
    assert sum(p.days for p in whole.pieces) == ((last - first).days + 1 if principal else 0)


@settings(max_examples=200, deadline=None)
@given(principals, debtors, periods(), st.integers(min_value=0, max_value=800))
def test_interest_grows_with_days(principal, debtor, period, more):
    first, last = period
    longer = min(last + timedelta(days=more), END)
    shorter_result = default_interest(principal, debtor, first, last, rates=RATES)
    longer_result = default_interest(principal, debtor, first, longer, rates=RATES)
    assert longer_result.exact >= shorter_result.exact
    assert longer_result.total >= shorter_result.total


@settings(max_examples=200, deadline=None)
@given(principals, principals, debtors, periods())
def test_interest_grows_with_principal(one, other, debtor, period):
    small, large = sorted([one, other])
    first, last = period
    assert (
        default_interest(small, debtor, first, last, rates=RATES).total
        <= default_interest(large, debtor, first, last, rates=RATES).total
    )


@settings(max_examples=200, deadline=None)
@given(principals, periods())
def test_a_consumer_never_pays_more_than_a_business(principal, period):
    first, last = period
    consumer = default_interest(principal, "consumer", first, last, rates=RATES)
    business = default_interest(principal, "business", first, last, rates=RATES)
    assert consumer.total <= business.total
    assert consumer.provisional == business.provisional


@settings(max_examples=200, deadline=None)
@given(principals, debtors, periods(), st.lists(st.tuples(days, amounts), max_size=4))
def test_payments_never_raise_interest(principal, debtor, period, payments):
    first, last = period
    paid = default_interest(principal, debtor, first, last, payments=payments, rates=RATES)
    unpaid = default_interest(principal, debtor, first, last, rates=RATES)
    assert paid.exact <= unpaid.exact
    # No piece bears interest on more than the principal, nor on a negative one.
    assert all(Decimal(0) < p.principal <= principal for p in paid.pieces)


@settings(max_examples=300, deadline=None)
@given(amounts, amounts, amounts, principals)
def test_367_never_reduces_principal_before_costs_and_interest(amount, costs, interest, owed):
    allocation = allocate_payment(amount, costs=costs, interest=interest, principal=owed)
    assert (
        allocation.costs + allocation.interest + allocation.principal + allocation.surplus == amount
    )
    assert min(allocation.costs, allocation.interest, allocation.principal) >= 0
    assert allocation.costs <= costs and allocation.interest <= interest
    assert allocation.principal <= owed
    if allocation.interest > 0:
        assert allocation.costs == costs
    if allocation.principal > 0:
        assert allocation.costs == costs and allocation.interest == interest
    if allocation.surplus > 0:
        assert allocation.principal == owed


@settings(deadline=None)
@given(st.dates(min_value=START, max_value=END), st.lists(days, max_size=4))
def test_limitation_never_before_the_year_end_rule(arose, payments):
    last_day = limitation_date(arose, partial_payments=payments)
    assert last_day >= date(arose.year + 3, 12, 31)
    # A later payment never brings the end forward.
    assert limitation_date(arose, partial_payments=[*payments, END]) >= last_day


optional_days = st.none() | days


@settings(deadline=None)  # the first call per year builds its holiday calendar
@given(debtors, optional_days, optional_days, st.booleans(), optional_days)
def test_first_day_of_default_is_the_earliest_rule(debtor, due, invoice, notice, letter):
    first = first_day_of_default(
        debtor=debtor, due_date=due, invoice_date=invoice, invoice_notice=notice, letter_date=letter
    )
    invoice_counts = invoice is not None and (debtor == "business" or notice)
    if due is None and letter is None and not invoice_counts:
        assert first is None
        return
    # Default starts the day after an event at the earliest, never on it.
    candidates = [day + timedelta(days=1) for day in (due, letter) if day is not None]
    if invoice_counts:
        alone = first_day_of_default(debtor=debtor, invoice_date=invoice, invoice_notice=notice)
        # 30 days after the day of receipt, moved past a weekend or holiday by at most 4 days
        # (Good Friday to Easter Monday), then the next day.
        assert 31 <= (alone - invoice).days <= 35
        assert next_working_day(alone - timedelta(days=1)) == alone - timedelta(days=1)
        candidates.append(alone)
    assert first == min(candidates)


@settings(deadline=None)
@given(days)
def test_next_working_day_is_a_working_day(day):
    working = next_working_day(day)
    assert day <= working <= day + timedelta(days=4)
    assert working.weekday() < 5
    # Idempotent: a working day stays.
    assert next_working_day(working) == working
