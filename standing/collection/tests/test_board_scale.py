"""The board, the claims list and ``GET /api/v1/claims`` at scale: a fixed number of queries
per page whatever the claims, the open amount range and sort from the cached column equal to
the derived figure, the search by order ID prefix and names (scoped), and counts that are
exact up to a cap and the planner's estimate beyond (PostgreSQL)."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from standing.claims import services
from standing.claims.amounts import annotate_amounts
from standing.claims.models import Claim, ClaimStatus
from standing.core import pagination

pytestmark = pytest.mark.django_db
S = ClaimStatus


def login(user):
    client = Client()
    client.force_login(user)
    return client


def queries(client, url):
    client.get(url)  # warm (session, settings rows)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.fixture
def many(make_claim, vendor1, vendor2):
    def add(n, start=0):
        statuses = [S.OPEN, S.DUNNING_1, S.ON_HOLD, S.BLOCKED]
        letters = {"first_letter_on": date(2026, 2, 7), "second_letter_on": date(2026, 2, 21)}
        for i in range(start, start + n):
            status = statuses[i % len(statuses)]
            make_claim(
                vendor=vendor1 if i % 2 else vendor2,
                number=f"M-{i:03d}",
                status=status,
                **(letters if status != S.OPEN else {}),
            )

    return add


@pytest.mark.parametrize(
    "url",
    [
        "/collection/",
        "/collection/?status=all&sort=-open",
        "/collection/?min=10&max=500",
        "/collection/?q=M-0",
        "/claims/",
        "/claims/?min=10",
        "/api/v1/claims",
        "/api/v1/claims?min=10&q=M",
    ],
)
def test_queries_per_page_do_not_grow_with_the_claims(support_user, many, url):
    client = login(support_user)
    many(2)
    few = queries(client, url)
    many(10, start=2)
    assert queries(client, url) <= few


def test_vendor_board_queries_do_not_grow(vendor1_user, many):
    client = login(vendor1_user)
    many(2)
    few = queries(client, "/collection/?status=all")
    many(10, start=2)
    assert queries(client, "/collection/?status=all") <= few


def test_amount_range_and_sort_match_the_derived_open_total(support_user, make_claim, event):
    made = [make_claim(number=f"A-{i}") for i in range(5)]
    # Different open totals: payments on some orders, a fee on another.
    event(made[0].order, "payment_received", date(2026, 2, 2), amount="60.00")
    event(made[1].order, "payment_failed", date(2026, 2, 28), installment=2, fee="7.50")
    event(made[2].order, "payment_received", date(2026, 2, 2), amount="99.00")
    today = services.today()
    derived = {
        c.order.number: c.open_total
        for c in annotate_amounts(Claim.objects.select_related("order"), today)
    }
    client = login(support_user)
    for low, high in (("30", "100"), ("1", ""), ("", "50"), ("100.01", "")):
        page = client.get(f"/collection/?status=all&min={low}&max={high}").content.decode()
        shown = set(re.findall(r"A-\d", page))
        expected = {
            n
            for n, total in derived.items()
            if (not low or total >= Decimal(low)) and (not high or total <= Decimal(high))
        }
        assert shown == expected, (low, high)
    # Sorted by the open amount: the derived totals in order.
    page = client.get("/collection/?status=all&sort=-open").content.decode()
    order = re.findall(r"A-\d", page)
    ranked = sorted(derived, key=lambda n: (-derived[n], -Claim.objects.get(order__number=n).pk))
    assert list(dict.fromkeys(order)) == ranked
    api = client.get("/api/v1/claims?min=30&max=100").json()
    assert {c["order"] for c in api["items"]} == {
        n for n, t in derived.items() if Decimal(30) <= t <= Decimal(100)
    }


def test_search_by_order_prefix_and_names_is_scoped(
    vendor1_user, vendor2_user, make_claim, customer_factory, vendor1, vendor2
):
    jo = customer_factory(vendor=vendor1, first_name="Jörg", last_name="Weiß")
    make_claim(vendor=vendor1, number="SX-100", customer=jo)
    make_claim(vendor=vendor1, number="SX-200")
    make_claim(vendor=vendor2, number="SX-300")
    mine = login(vendor1_user)
    assert set(
        re.findall(r"SX-\d{3}", mine.get("/collection/?status=all&q=sx-").content.decode())
    ) == {
        "SX-100",
        "SX-200",
    }
    # A prefix, not a substring: "X-1" is no order ID's start.
    assert "SX-100" not in mine.get("/collection/?status=all&q=X-1").content.decode()
    assert set(
        re.findall(r"SX-\d{3}", mine.get("/collection/?status=all&q=SX-1").content.decode())
    ) == {"SX-100"}
    for name in ("Weiss", "weiß", "joerg", "Jörg"):
        page = mine.get(f"/collection/?status=all&q={name}").content.decode()
        assert set(re.findall(r"SX-\d{3}", page)) == {"SX-100"}, name
    theirs = login(vendor2_user)
    assert "SX-100" not in theirs.get("/collection/?status=all&q=Weiss").content.decode()
    assert set(re.findall(r"SX-\d{3}", theirs.get("/collection/?q=SX").content.decode())) == {
        "SX-300"
    }


def test_counts_are_exact_up_to_the_cap_then_estimated(support_user, many, monkeypatch):
    many(6)
    qs = Claim.objects.filter(status__in=[S.OPEN, S.DUNNING_1]).values_list("pk", flat=True)
    exact = pagination.EstimatingPaginator(qs.order_by("pk"), 2, cap=pagination.EXACT_UP_TO)
    assert exact.count == 4 and exact.exact
    monkeypatch.setattr(pagination, "EXACT_UP_TO", 3)
    capped = pagination.EstimatingPaginator(qs.order_by("pk"), 2, cap=pagination.EXACT_UP_TO)
    count = capped.count
    if connection.vendor == "postgresql":
        assert capped.estimated and count >= 4
    else:
        assert capped.capped and count == 3
    page = login(support_user).get("/api/v1/claims?status=in_progress").json()
    assert page["count_estimated"] is True
