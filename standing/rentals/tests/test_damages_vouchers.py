"""Damage cases, vouchers and the price list in the settings."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine

from standing.activity.models import ActivityRecord
from standing.rentals.models import DamageCase, DamageStatus, Product, Voucher


@pytest.fixture
def rental(order_factory, customer, vendor1):
    return order_factory(
        number="MIET-1", vendor=vendor1, customer=customer, rental=True
    ).items.get()


def damage_form(rental, **changes):
    return {
        "item": rental.pk,
        "date": "2026-01-08",
        "description": "Kratzer an der Fahrertür",
        "amount": "450.00",
        **changes,
    }


def test_damage_case_lifecycle(login, support_user, rental, customer, card_panel):
    client = login(support_user)
    url = f"/rentals/customers/{customer.number}/damages/"
    assert client.post(url, damage_form(rental)).status_code == 302
    damage = DamageCase.objects.get()
    assert (damage.object_name, damage.amount, damage.status) == (
        "Kleinwagen",
        Decimal("450.00"),
        DamageStatus.REPORTED,
    )
    html = card_panel(client, customer, "damages")
    assert "Kratzer an der Fahrertür" in html and 'id="damages"' in html
    client.post(f"/rentals/damages/{damage.pk}/invoiced/")
    client.post(f"/rentals/damages/{damage.pk}/settled/")
    damage.refresh_from_db()
    assert damage.status == DamageStatus.SETTLED
    refused = client.post(f"/rentals/damages/{damage.pk}/waived/", follow=True)
    assert "cannot become" in refused.content.decode()
    nonsense = client.post(f"/rentals/damages/{damage.pk}/exploded/", follow=True)
    assert "cannot become" in nonsense.content.decode()
    damage.refresh_from_db()
    assert damage.status == DamageStatus.SETTLED
    actions = list(customer.activity.values_list("action", flat=True))
    assert {"damage.reported", "damage.invoiced", "damage.settled"} <= set(actions)


@pytest.mark.parametrize(
    "changes", [{"amount": "-1"}, {"description": ""}, {"date": "gestern"}, {"item": "999"}]
)
def test_bad_damage_changes_nothing(login, support_user, rental, customer, changes):
    url = f"/rentals/customers/{customer.number}/damages/"
    response = login(support_user).post(url, damage_form(rental, **changes), follow=True)
    assert "Choose the object" in response.content.decode()
    assert not DamageCase.objects.exists()


def test_damages_are_vendor_scoped(login, vendor2_user, support_user, rental, customer):
    client = login(support_user)
    client.post(f"/rentals/customers/{customer.number}/damages/", damage_form(rental))
    damage = DamageCase.objects.get()
    other = login(vendor2_user)
    assert other.post(f"/rentals/damages/{damage.pk}/waived/").status_code == 404
    # vendor2 does not even see the customer (no order with them).
    url = f"/rentals/customers/{customer.number}/damages/"
    assert other.post(url, damage_form(rental)).status_code == 404
    assert DamageCase.objects.get().status == DamageStatus.REPORTED


def test_vouchers(login, support_user, rental, customer, vendor1, card_panel):
    client = login(support_user)
    url = f"/rentals/customers/{customer.number}/vouchers/"
    form = {"vendor": vendor1.pk, "code": "sommer25", "percent": "25", "valid_until": "2026-08-31"}
    assert client.post(url, form).status_code == 302
    client.post(url, {"vendor": vendor1.pk, "value": "20.00"})
    codes = sorted(Voucher.objects.values_list("code", flat=True))
    assert codes[1] == "SOMMER25" and codes[0].startswith("GS-")
    both = client.post(url, {"vendor": vendor1.pk, "value": "5", "percent": "5"}, follow=True)
    assert "not both" in both.content.decode()
    dup = client.post(url, {**form, "code": "SOMMER25"}, follow=True)
    assert "exists already" in dup.content.decode()
    assert Voucher.objects.count() == 2
    voucher = Voucher.objects.get(code="SOMMER25")
    with time_machine.travel(date(2026, 9, 1)):
        expired = client.post(f"/rentals/vouchers/{voucher.pk}/redeem/", follow=True)
    assert "expired" in expired.content.decode()
    with time_machine.travel(date(2026, 8, 1)):
        client.post(f"/rentals/vouchers/{voucher.pk}/redeem/")
        again = client.post(f"/rentals/vouchers/{voucher.pk}/redeem/", follow=True)
    assert "redeemed already" in again.content.decode()
    voucher.refresh_from_db()
    assert voucher.redeemed_at.date() == date(2026, 8, 1)
    html = card_panel(client, customer, "vouchers")
    assert "SOMMER25" in html and "redeemed 01.08.2026" in html
    logged = ActivityRecord.objects.filter(action__startswith="voucher.").count()
    assert logged == 3


def test_vouchers_are_vendor_scoped(login, vendor1_user, vendor2_user, rental, customer, vendor2):
    client = login(vendor1_user)
    url = f"/rentals/customers/{customer.number}/vouchers/"
    # A vendor user creates vouchers only for its own vendor.
    response = client.post(url, {"vendor": vendor2.pk, "value": "10.00"}, follow=True)
    assert not Voucher.objects.exists()
    assert response.status_code == 200
    client.post(url, {"vendor": rental.order.vendor_id, "value": "10.00"})
    voucher = Voucher.objects.get()
    assert login(vendor2_user).post(f"/rentals/vouchers/{voucher.pk}/redeem/").status_code == 404
    assert Voucher.objects.get().redeemed_at is None


def test_price_list_in_the_settings(login, admin_user, support_user, vendor1):
    client = login(admin_user)
    form = {
        "vendor": vendor1.pk,
        "sku": "CAR-S",
        "name": "Kleinwagen",
        "kind": "rental",
        "list_price": "279.00",
    }
    assert client.post("/rentals/products/", form).status_code == 302
    client.post("/rentals/products/", {**form, "list_price": "289.00"})
    assert Product.objects.get().list_price == Decimal("289.00")
    html = client.get("/settings/").content.decode()
    assert 'id="price-list"' in html and "CAR-S" in html and "289.00" in html
    bad = client.post("/rentals/products/", {**form, "list_price": "-3"}, follow=True)
    assert "list price" in bad.content.decode()
    assert login(support_user).post("/rentals/products/", form).status_code == 403
    assert Product.objects.get().list_price == Decimal("289.00")


def test_huge_choices_are_refused(login, support_user, rental, customer):
    client = login(support_user)
    huge = str(10**30)
    url = f"/rentals/customers/{customer.number}/damages/"
    assert client.post(url, damage_form(rental, item=huge)).status_code == 302
    url = f"/rentals/customers/{customer.number}/vouchers/"
    assert client.post(url, {"vendor": huge, "value": "5"}).status_code == 302
    assert client.post("/rentals/products/", {"vendor": huge}).status_code == 403
    assert not DamageCase.objects.exists() and not Voucher.objects.exists()
