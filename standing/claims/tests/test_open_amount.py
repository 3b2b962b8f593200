"""The board's cached open amount (``Claim.open_amount``, ``amounts.refresh_open_amounts``):
every writer keeps it equal to the derived open total, it runs out when an installment comes
due and is refreshed then, ``check-data`` catches a wrong one, and the amount filter gives the
rows the derived figure gives."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection

from standing.accounts.scoping import SYSTEM
from standing.claims import run as dunning
from standing.claims import services
from standing.claims.amounts import (
    FOREVER,
    _stale_union,
    annotate_amounts,
    refresh_open_amounts,
    refresh_stale,
    stale_ids,
    stale_q,
)
from standing.claims.integrity import open_amount_cache
from standing.claims.models import Claim
from standing.orders.models import PaymentMethod

pytestmark = pytest.mark.django_db
D0 = date(2026, 1, 31)


def derived(claim, as_of=None):
    as_of = as_of or services.today()
    return annotate_amounts(Claim.objects.filter(pk=claim.pk), as_of).get().open_total


def cached(claim):
    return Claim.objects.get(pk=claim.pk).open_amount


AMOUNTS = ("principal", "ledger_costs", "ledger_interest", "costs", "open_total")


def assert_page_as_database(claim, as_of=None):
    """``services.page_of`` (the page's amounts derived in Python) gives what the database's
    ``annotate_amounts`` gives."""
    as_of = as_of or services.today()
    (mine,) = services.page_of([claim.pk], as_of)
    database = annotate_amounts(Claim.objects.filter(pk=claim.pk), as_of).get()
    for name in AMOUNTS:
        assert getattr(mine, name) == getattr(database, name), name


@pytest.fixture
def missed(collection, make_order, event):
    def make(**kwargs):
        order = make_order(**kwargs)
        event(order, "payment_failed", D0, installment=1)
        return Claim.objects.select_related("order").get(order=order)

    return make


def test_every_writer_keeps_the_cache(missed, event, collection):
    collection(fee_first_letter=Decimal("2.50"))
    claim = missed(amount="300.00", count=3)
    assert cached(claim) == derived(claim) == Decimal("100.00")
    # A failed payment with a fee: principal and cancellation costs.
    event(claim.order, "payment_failed", D0 + timedelta(days=28), installment=2, fee="3.00")
    assert cached(claim) == derived(claim) == Decimal("203.00")
    # The run books interest and fees with the first letter.
    services.start_dunning(claim, SYSTEM, on=D0)
    dunning.run(D0 + timedelta(days=40))
    claim.refresh_from_db()
    assert claim.status == "dunning_1"
    assert cached(claim) == derived(claim) > Decimal("203.00")
    assert_page_as_database(claim)
    # A payment on the order, then one on the claim (§ 367: costs and interest first).
    event(claim.order, "payment_received", D0 + timedelta(days=41), amount="50.00")
    assert cached(claim) == derived(claim)
    services.apply_claim_payment(
        claim, Decimal("20.00"), on=D0 + timedelta(days=42), actor=SYSTEM, reference="t-1"
    )
    assert cached(claim) == derived(claim)
    assert_page_as_database(claim)
    assert_page_as_database(claim, D0 + timedelta(days=400))
    assert list(open_amount_cache()) == []


def test_a_claim_paid_in_full_caches_zero(missed, event):
    claim = missed(amount="90.00", count=3)
    event(claim.order, "payment_received", D0 + timedelta(days=2), amount="30.00")
    claim.refresh_from_db()
    assert claim.status == "paid" and claim.open_amount == 0 == derived(claim)
    assert_page_as_database(claim)


def test_stopped_installments_run_out_and_are_refreshed(collection, make_order, event):
    today = services.today()
    order = make_order(amount="300.00", count=3, first_due=today - timedelta(days=5))
    event(order, "payment_failed", today - timedelta(days=5), installment=1)
    event(order, "installments_stopped", today - timedelta(days=4))
    claim = Claim.objects.get(order=order)
    # Two stopped installments still to come due: the cache holds until the next due date.
    assert claim.open_amount == Decimal("100.00")
    assert today < claim.open_amount_until < FOREVER
    later = claim.open_amount_until
    assert (
        Claim.objects.filter(pk=claim.pk)
        .exclude(open_amount_until__lte=later - timedelta(days=1))
        .exists()
    )
    assert refresh_stale(later - timedelta(days=1)) == 0
    assert refresh_stale(later) == 1
    claim.refresh_from_db()
    assert claim.open_amount == Decimal("200.00") == derived(claim, later)
    assert_page_as_database(claim, later - timedelta(days=1))
    assert_page_as_database(claim, later)


def test_an_invoice_counts_from_the_day_after_its_due_date(collection, make_order, event):
    today = services.today()
    order = make_order(
        amount="200.00",
        count=2,
        first_due=today - timedelta(days=10),
        method=PaymentMethod.INVOICE,
    )
    dunning.open_due_claims(today, None, SYSTEM)
    claim = Claim.objects.get(order=order)
    second_due = order.installments.get(sequence=2).due_date
    assert claim.open_amount == Decimal("100.00")
    if second_due >= today:
        assert claim.open_amount_invoice_due == second_due
        assert refresh_stale(second_due) == 0  # still not counted on its due date
        assert_page_as_database(claim, second_due)
        assert_page_as_database(claim, second_due + timedelta(days=1))
        assert refresh_stale(second_due + timedelta(days=1)) == 1
        claim.refresh_from_db()
        assert claim.open_amount == Decimal("200.00")


def test_check_data_catches_a_wrong_cached_amount(missed):
    claim = missed()
    assert list(open_amount_cache()) == []
    Claim.objects.filter(pk=claim.pk).update(open_amount=Decimal("1.00"))
    (problem,) = list(open_amount_cache())
    assert f"claim {claim.pk} " in problem and "cached open amount 1.00" in problem
    # A row not computed yet (a bulk load) is not wrong: the board refreshes it first.
    Claim.objects.filter(pk=claim.pk).update(open_amount_until=None)
    assert list(open_amount_cache()) == []
    assert refresh_stale() == 1
    assert cached(claim) == derived(claim)
    assert list(open_amount_cache()) == []


@pytest.mark.parametrize("broad", [False, True], ids=["narrow range", "broad range"])
def test_amount_filter_gives_the_rows_of_the_derived_figure(missed, event, broad, monkeypatch):
    if broad:  # every range counts as broad: on SQLite the filter then uses no index
        monkeypatch.setattr(services, "BROAD_RANGE", 0)
    claims = [missed(amount=f"{a}.00", count=1) for a in (40, 90, 150, 300, 480)]
    event(claims[2].order, "payment_received", D0 + timedelta(days=1), amount="100.00")
    # One claim left behind by a bulk load: refreshed before the filter.
    Claim.objects.filter(pk=claims[3].pk).update(open_amount=0, open_amount_until=None)
    today = services.today()
    base = Claim.objects.filter(pk__in=[c.pk for c in claims])
    for low, high in ((None, None), (Decimal("50"), None), (None, Decimal("150")), (45, 300)):
        fast = services.claim_list(
            base, as_of=today, amount_min=low, amount_max=high, amounts=False
        )
        slow = annotate_amounts(base, today)
        if low is not None:
            slow = slow.filter(open_total__gte=low)
        if high is not None:
            slow = slow.filter(open_total__lte=high)
        assert set(fast.values_list("pk", flat=True)) == set(slow.values_list("pk", flat=True))
    assert refresh_open_amounts(base) == 5


def test_a_broad_amount_range_on_sqlite_walks_the_sorts_index(missed, monkeypatch):
    """A range that holds most claims is not read by the open-amount index and sorted whole
    (SQLite has no histogram to see that); the page is read in the order's index."""
    for amount in (40, 90, 150):
        missed(amount=f"{amount}.00", count=1)
    today = services.today()

    def claims():
        return services.claim_list(
            Claim.objects.all(),
            as_of=today,
            amount_min=Decimal("10"),
            amount_max=Decimal("500"),
            amounts=False,
        )

    def plan():
        return claims().order_by("-overdue_since", "-id").values("pk")[:25].explain()

    narrow = plan()
    monkeypatch.setattr(services, "BROAD_RANGE", 1)
    broad = plan()
    if connection.vendor == "sqlite":
        assert "claim_open_amount" in narrow, narrow
        assert "claim_open_amount" not in broad and "claim_overdue_id" in broad, broad
        # The pager's count (no order) still reads the open-amount index.
        counting = claims().order_by().values("pk")[:10_001]
        assert "likelihood" not in str(counting.query)
        assert "claim_open_amount" in counting.explain()
        assert counting.count() == 3
    else:
        assert broad == narrow  # PostgreSQL plans it from its own statistics


def test_the_stale_lookup_finds_exactly_the_stale_claims_by_their_indexes(missed):
    """``stale_ids`` (a UNION of one indexed lookup per condition) names exactly the claims of
    ``stale_q`` (one OR), and no part of it reads every claim."""
    as_of = services.today()
    fresh, never, ran_out, later, invoice, invoice_later = (missed() for _ in range(6))
    Claim.objects.filter(pk=never.pk).update(open_amount_until=None)
    Claim.objects.filter(pk=ran_out.pk).update(open_amount_until=as_of)
    Claim.objects.filter(pk=later.pk).update(open_amount_until=as_of + timedelta(days=1))
    Claim.objects.filter(pk=invoice.pk).update(open_amount_invoice_due=as_of - timedelta(days=1))
    Claim.objects.filter(pk=invoice_later.pk).update(open_amount_invoice_due=as_of)
    expected = {never.pk, ran_out.pk, invoice.pk}
    assert set(Claim.objects.filter(stale_q(as_of)).values_list("pk", flat=True)) == expected
    assert sorted(stale_ids(as_of)) == sorted(expected)
    if connection.vendor == "sqlite":
        # SQLite plans the OR as a scan of the table; each part of the UNION uses its index.
        assert "SCAN claims_claim" in Claim.objects.filter(stale_q(as_of)).order_by().explain()
        with connection.cursor() as cursor:
            sql, params = _stale_union(as_of).query.sql_with_params()
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
            plan = " ".join(str(row[-1]) for row in cursor.fetchall())
        assert "SCAN claims_claim" not in plan, plan
        assert plan.count("SEARCH claims_claim USING") == 3, plan
    assert refresh_stale(as_of) == 3
    assert stale_ids(as_of) == []


def test_the_claim_carries_its_orders_number_and_check_data_names_a_wrong_copy(missed):
    from standing.claims.integrity import order_number_copied

    claim = missed()
    assert claim.order_number == claim.order.number != ""
    assert list(order_number_copied()) == []
    Claim.objects.filter(pk=claim.pk).update(order_number="X-1")
    (problem,) = list(order_number_copied())
    assert f"claim {claim.pk} (order {claim.order.number})" in problem and "X-1" in problem
