"""The card's rented objects, damages, vouchers and open payments over the API."""

from datetime import date

import pytest
import time_machine

from standing.orders.models import OrderItem
from standing.rentals.models import DamageCase, Product, Voucher


@pytest.fixture
def rental(order_factory, customer, vendor1):
    return order_factory(
        number="MIET-1", vendor=vendor1, customer=customer, rental=True
    ).items.get()


def test_rented_objects(api_as, support_user, rental, customer, vendor1):
    api = api_as(support_user)
    listed = api.get(f"/customers/{customer.number}/rentals").json()
    assert [(r["id"], r["order"], r["price"]) for r in listed] == [(rental.pk, "MIET-1", "300.00")]
    edited = api.patch(f"/rentals/items/{rental.pk}", {"price": "310.00", "name": "Polo"})
    assert edited.status_code == 200 and edited.json()["name"] == "Polo"
    assert api.patch(f"/rentals/items/{rental.pk}", {"price": "-1"}).status_code == 422
    assert api.patch(f"/rentals/items/{rental.pk}", {"name": None}).status_code == 422
    missing = api.post(f"/rentals/items/{rental.pk}/reload-price")
    assert missing.status_code == 422 and "CAR-S" in missing.json()["detail"]
    Product.objects.create(
        vendor=vendor1, sku="CAR-S", name="Polo", kind="rental", list_price="250"
    )
    assert api.post(f"/rentals/items/{rental.pk}/reload-price").json()["price"] == "250.00"
    with time_machine.travel(date(2026, 1, 20)):
        bad = api.post(f"/rentals/items/{rental.pk}/return", {"returned_on": "20.01.2026"})
        assert bad.status_code == 422
        back = api.post(f"/rentals/items/{rental.pk}/return", {"returned_on": "2026-01-09"})
        assert back.status_code == 200 and back.json()["returned_on"] == "2026-01-09"
        again = api.post(f"/rentals/items/{rental.pk}/return", {"returned_on": "2026-01-10"})
    assert again.status_code == 409 and "already" in again.json()["detail"]
    assert api.post(f"/rentals/items/{rental.pk}/remove").status_code == 204
    assert not OrderItem.objects.exists()
    assert api.post(f"/rentals/items/{rental.pk}/remove").status_code == 404


def test_damages_and_vouchers(api_as, support_user, rental, customer, vendor1, vendor2):
    api = api_as(support_user)
    url = f"/customers/{customer.number}/damages"
    body = {"item": rental.pk, "date": "2026-01-08", "description": "Delle", "amount": "120.00"}
    created = api.post(url, body)
    assert created.status_code == 201 and created.json()["object"] == "Kleinwagen"
    assert api.post(url, {**body, "item": 99999}).status_code == 422
    assert api.post(url, {**body, "amount": "0.001"}).status_code == 422
    damage_id = created.json()["id"]
    assert api.post(f"/rentals/damages/{damage_id}/invoiced").json()["status"] == "invoiced"
    assert api.post(f"/rentals/damages/{damage_id}/reported").status_code == 409
    assert [d["status"] for d in api.get(url).json()] == ["invoiced"]
    vouchers = f"/customers/{customer.number}/vouchers"
    made = api.post(vouchers, {"vendor": vendor1.pk, "value": "15.00", "code": "api15"})
    assert made.status_code == 201 and made.json()["code"] == "API15"
    assert api.post(vouchers, {"vendor": vendor2.pk, "value": "15.00"}).status_code == 422
    assert api.post(vouchers, {"vendor": vendor1.pk}).status_code == 422
    redeemed = api.post(f"/rentals/vouchers/{made.json()['id']}/redeem")
    assert redeemed.status_code == 200 and redeemed.json()["redeemed_at"]
    assert api.post(f"/rentals/vouchers/{made.json()['id']}/redeem").status_code == 409
    assert len(api.get(vouchers).json()) == 1


def test_open_payments(api_as, support_user, order_factory, customer, deliver):
    order = order_factory(customer=customer, amount="90.00", count=3, first_due=date(2026, 1, 31))
    deliver(order, "payment_received", amount="10.00")
    with time_machine.travel(date(2026, 3, 5)):
        body = api_as(support_user).get(f"/customers/{customer.number}/open-payments").json()
    assert [(p["installment"], p["open_amount"], p["age_days"]) for p in body["payments"]] == [
        (1, "20.00", 33),
        (2, "30.00", 5),
    ]
    assert body["balances"] == [
        {"order": order.number, "due_amount": "50.00", "open_amount": "80.00"}
    ]


def test_scope_and_roles(api_as, vendor2_user, integration_user, rental, customer, support_user):
    api_as(support_user).post(
        f"/customers/{customer.number}/damages",
        {"item": rental.pk, "date": "2026-01-08", "description": "Delle", "amount": "1.00"},
    )
    damage = DamageCase.objects.get()
    other = api_as(vendor2_user)
    assert other.get(f"/customers/{customer.number}/rentals").status_code == 404
    assert other.post(f"/rentals/items/{rental.pk}/reload-price").status_code == 404
    assert other.post(f"/rentals/items/{rental.pk}/remove").status_code == 404
    assert other.post(f"/rentals/damages/{damage.pk}/waived").status_code == 404
    assert other.post(f"/rentals/items/{10**30}/reload-price").status_code == 404
    shop = api_as(integration_user)
    assert shop.get(f"/customers/{customer.number}/rentals").status_code == 403
    assert shop.post(f"/rentals/items/{rental.pk}/remove").status_code == 403
    assert OrderItem.objects.exists() and not Voucher.objects.exists()
    assert DamageCase.objects.get().status == "reported"
