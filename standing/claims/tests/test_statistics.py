""" "Übersicht Inkasso": the figures, exactly, for a vendor (own claims) and the operator (all,
with a vendor filter), and the page with its SVG charts."""

import re
from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.test import Client

from standing.accounts.scoping import Actor, scoped
from standing.claims.models import Claim, ClaimEntry, ClaimStatus, EntryKind
from standing.claims.statistics import overview

pytestmark = pytest.mark.django_db
TODAY = date(2026, 6, 15)


@pytest.fixture
def world(collection, make_order, event, vendor1, vendor2):
    """Vendor1: A (100.00, 14 days), B (200.00 less 50.00 paid, 46 days), D (150.00, 75 days,
    first letter), E (paid); vendor2: C (300.00, 106 days, 30.00 paid in April)."""

    def failed(vendor, amount, due):
        order = make_order(vendor=vendor, amount=amount, count=3, first_due=due)
        event(order, "payment_failed", due, installment=1)
        return order, Claim.objects.get(order=order)

    with time_machine.travel("2026-06-15 12:00 +02:00", tick=False):
        _order_a, a = failed(vendor1, "300.00", date(2026, 6, 1))
        order_b, b = failed(vendor1, "600.00", date(2026, 4, 30))
        event(order_b, "payment_received", date(2026, 5, 10), installment=1, amount="50.00")
        _order_d, d = failed(vendor1, "450.00", date(2026, 4, 1))
        Claim.objects.filter(pk=d.pk).update(status=ClaimStatus.DUNNING_1)
        order_e, e = failed(vendor1, "120.00", date(2026, 5, 15))
        event(order_e, "payment_received", date(2026, 5, 20), installment=1, amount="40.00")
        order_c, c = failed(vendor2, "900.00", date(2026, 3, 1))
        event(order_c, "payment_received", date(2026, 4, 15), installment=1, amount="30.00")
        # Interest booked with a letter, and paid (§ 367) in June.
        ClaimEntry.objects.create(
            claim=a, kind=EntryKind.INTEREST, level=1, on=date(2026, 6, 1), amount=Decimal("1.25")
        )
        ClaimEntry.objects.create(
            claim=a, kind=EntryKind.PAID_INTEREST, on=date(2026, 6, 2), amount=Decimal("-1.25")
        )
        # Running out soon: B in 78 days, C in 47; D ran out already; E is paid.
        Claim.objects.filter(pk=b.pk).update(limitation_date=date(2026, 9, 1))
        Claim.objects.filter(pk=c.pk).update(limitation_date=date(2026, 8, 1))
        Claim.objects.filter(pk=d.pk).update(limitation_date=date(2026, 6, 1))
        Claim.objects.filter(pk=e.pk).update(limitation_date=date(2026, 7, 1))
    e.refresh_from_db()
    assert e.status == ClaimStatus.PAID
    return {"a": a, "b": b, "c": c, "d": d, "e": e}


def figures(actor, vendor=None):
    claims = scoped(Claim.objects.all(), actor)
    if vendor is not None:
        claims = claims.filter(vendor=vendor)
    return overview(claims, TODAY)


def test_a_vendor_sees_its_own_figures(world, vendor1_user):
    data = figures(Actor.of(vendor1_user))
    assert [(b.key, b.value, b.count) for b in data["buckets"]] == [
        ("0-30", Decimal("100.00"), 1),
        ("31-60", Decimal("150.00"), 1),
        ("61-90", Decimal("150.00"), 1),
        ("90+", Decimal("0.00"), 0),
    ]
    assert data["open_total"] == Decimal("400.00") and data["open_count"] == 3
    months = {b.key: b.value for b in data["months"]}
    assert (
        len(months) == 12 and list(months)[0] == "2025-07-01" and list(months)[-1] == "2026-06-01"
    )
    assert months["2026-05-01"] == Decimal("90.00")  # 50.00 on B, 40.00 on E
    assert months["2026-06-01"] == Decimal("1.25")  # interest paid on A
    assert months["2026-04-01"] == Decimal("0.00")  # C is vendor2's
    assert data["recovered_total"] == Decimal("91.25")
    states = {b.key: b.value for b in data["states"]}
    assert states == {
        "open": 2,
        "dunning_1": 1,
        "dunning_2": 0,
        "on_hold": 0,
        "sent_for_collection": 0,
        "paid": 1,
        "canceled": 0,
        "blocked": 0,
    }
    nearing = data["nearing"]
    assert nearing["count"] == 1 and [c.pk for c in nearing["rows"]] == [world["b"].pk]
    assert nearing["rows"][0].days_left == 78
    # The bars are scaled to the widest.
    assert [b.width for b in data["buckets"]] == [66.67, 100.0, 100.0, 0]


def test_the_operator_sees_all_and_filters(world, support_user, vendor2):
    support = Actor.of(support_user)
    data = figures(support)
    assert [b.value for b in data["buckets"]] == [
        Decimal("100.00"),
        Decimal("150.00"),
        Decimal("150.00"),
        Decimal("270.00"),
    ]
    months = {b.key: b.value for b in data["months"]}
    assert months["2026-04-01"] == Decimal("30.00") and data["recovered_total"] == Decimal("121.25")
    assert [c.pk for c in data["nearing"]["rows"]] == [world["c"].pk, world["b"].pk]
    only = figures(support, vendor=vendor2)
    assert [b.count for b in only["buckets"]] == [0, 0, 0, 1]
    assert {b.key: b.value for b in only["states"]}["open"] == 1
    assert only["recovered_total"] == Decimal("30.00")


def _bucket_row(html, key):
    return re.search(rf'<tr data-bucket="{re.escape(key)}">(.*?)</tr>', html, re.S).group(1)


def test_the_page_for_a_vendor(world, vendor1_user, vendor2, settings):
    settings.LANGUAGE_CODE = "de"
    client = Client()
    client.force_login(vendor1_user)
    with time_machine.travel("2026-06-15 12:00 +02:00", tick=False):
        answer = client.get("/claims/statistics/", {"vendor": vendor2.pk})
    assert answer.status_code == 200
    html = answer.content.decode()
    # The vendor filter is the operator's; a vendor always sees its own claims only.
    assert "150,00" in _bucket_row(html, "31-60") and "400,00" in html
    assert html.count("<svg") == 3 and "style=" not in html.split("<main", 1)[1]
    assert f'href="/claims/{world["b"].pk}/"' in html
    assert f'href="/claims/{world["c"].pk}/"' not in html
    assert world["c"].order.number not in html


def test_the_page_for_the_operator_with_the_vendor_filter(world, admin_user, vendor2):
    client = Client()
    client.force_login(admin_user)
    with time_machine.travel("2026-06-15 12:00 +02:00", tick=False):
        html = client.get("/claims/statistics/", {"vendor": vendor2.pk}).content.decode()
        assert f'href="/claims/{world["c"].pk}/"' in html
        assert f'href="/claims/{world["b"].pk}/"' not in html
        everything = client.get("/claims/statistics/", {"vendor": "x"}).content.decode()
    assert f'href="/claims/{world["b"].pk}/"' in everything


def test_the_page_without_claims(vendor1_user):
    client = Client()
    client.force_login(vendor1_user)
    answer = client.get("/claims/statistics/")
    assert answer.status_code == 200 and 'id="nearing-limitation"' in answer.content.decode()
