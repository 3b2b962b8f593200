"""Rented objects on the card: edit, reload price, remove, take back — logged, vendor-scoped."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine

from standing.activity.models import ActivityRecord
from standing.orders.models import Order, OrderItem
from standing.rentals.models import Product


@pytest.fixture
def rental(order_factory, customer, vendor1):
    order = order_factory(number="MIET-1", vendor=vendor1, customer=customer, rental=True)
    return order.items.get()


def last_log(customer):
    return ActivityRecord.objects.filter(customer=customer).order_by("-id").first()


def test_card_lists_rented_objects(login, support_user, rental, customer, card_panel):
    html = card_panel(login(support_user), customer, "rentals")
    assert 'id="rentals"' in html and "Kleinwagen" in html and "MIET-1" in html


def test_edit(login, support_user, rental, customer):
    client = login(support_user)
    assert client.get(f"/rentals/items/{rental.pk}/edit/").status_code == 200
    form = {
        "name": "Kleinwagen Automatik",
        "price": "320.00",
        "period_from": "2026-01-02",
        "period_until": "2026-01-12",
    }
    response = client.post(f"/rentals/items/{rental.pk}/edit/", form)
    assert response.status_code == 302 and response["Location"].endswith("#rentals")
    rental.refresh_from_db()
    assert rental.name == "Kleinwagen Automatik" and rental.price == Decimal("320.00")
    log = last_log(customer)
    assert log.action == "rental.edited"
    assert log.before["price"] == "300.00" and log.after["price"] == "320.00"
    assert "sku" not in log.after
    # The shop's contract stays: the order's amount does not follow the item's price.
    assert Order.objects.get(number="MIET-1").amount == Decimal("300.00")
    bad = client.post(f"/rentals/items/{rental.pk}/edit/", {**form, "period_until": "2025-12-01"})
    assert bad.status_code == 400 and "ends before it starts" in bad.content.decode()
    assert (
        client.post(f"/rentals/items/{rental.pk}/edit/", {**form, "price": "-1"}).status_code == 400
    )


def test_reload_price_from_the_price_list(login, support_user, rental, customer, vendor1):
    client = login(support_user)
    response = client.post(f"/rentals/items/{rental.pk}/reload-price/", follow=True)
    assert "no product with the SKU CAR-S" in response.content.decode()
    Product.objects.create(
        vendor=vendor1, sku="CAR-S", name="Kleinwagen", kind="rental", list_price="279.00"
    )
    client.post(f"/rentals/items/{rental.pk}/reload-price/")
    rental.refresh_from_db()
    assert rental.price == Decimal("279.00")
    log = last_log(customer)
    assert log.action == "rental.price_reloaded" and log.before == {"price": "300.00"}


def test_take_back_once(login, support_user, rental, customer):
    client = login(support_user)
    with time_machine.travel(date(2026, 1, 10)):
        future = client.post(
            f"/rentals/items/{rental.pk}/return/", {"returned_on": "2026-02-01"}, follow=True
        )
        assert "in the future" in future.content.decode()
        early = client.post(
            f"/rentals/items/{rental.pk}/return/", {"returned_on": "2026-01-01"}, follow=True
        )
        assert "before the rental began" in early.content.decode()
        assert (
            client.post(f"/rentals/items/{rental.pk}/return/", {"returned_on": "x"}).status_code
            == 302
        )
        client.post(f"/rentals/items/{rental.pk}/return/", {"returned_on": "2026-01-09"})
        rental.refresh_from_db()
        assert rental.returned_on == date(2026, 1, 9)
        again = client.post(
            f"/rentals/items/{rental.pk}/return/", {"returned_on": "2026-01-10"}, follow=True
        )
    assert "taken back already" in again.content.decode()
    rental.refresh_from_db()
    assert rental.returned_on == date(2026, 1, 9)
    assert last_log(customer).action == "rental.returned"


def test_remove(login, support_user, rental, customer):
    response = login(support_user).post(f"/rentals/items/{rental.pk}/remove/")
    assert response.status_code == 302 and not OrderItem.objects.exists()
    log = last_log(customer)
    assert log.action == "rental.removed" and log.before["name"] == "Kleinwagen" and log.after == {}


def test_another_vendor_cannot_touch_it(login, vendor2_user, vendor1_user, rental, customer):
    client = login(vendor2_user)
    for path in ("edit", "reload-price", "remove", "return"):
        assert (
            client.post(
                f"/rentals/items/{rental.pk}/{path}/", {"returned_on": "2026-01-05"}
            ).status_code
            == 404
        )
    assert OrderItem.objects.get().returned_on is None
    client = login(vendor1_user)
    assert client.get(f"/rentals/items/{rental.pk}/edit/").status_code == 200


def test_roles_without_access(login, integration_user, rental):
    client = login(integration_user)
    assert client.post(f"/rentals/items/{rental.pk}/remove/").status_code == 403
    assert OrderItem.objects.exists()
    assert client.get("/rentals/items/999/edit/").status_code == 403


def test_card_shows_a_vendor_only_its_own_objects(
    login, support_user, vendor2_user, order_factory, customer, vendor2, rental, card_panel
):
    order_factory(number="FIT-1", vendor=vendor2, customer=customer, rental=True)
    other = OrderItem.objects.get(order__number="FIT-1")
    other.name = "Hantelbank"
    other.save()
    staff = card_panel(login(support_user), customer, "rentals")
    assert "Kleinwagen" in staff and "Hantelbank" in staff
    vendor = card_panel(login(vendor2_user), customer, "rentals")
    assert "Hantelbank" in vendor and "Kleinwagen" not in vendor and "MIET-1" not in vendor


def test_ids_beyond_64_bits_are_not_found(login, support_user):
    client = login(support_user)
    huge = 10**30
    assert client.post(f"/rentals/items/{huge}/remove/").status_code == 404
    assert client.post(f"/rentals/damages/{huge}/waived/").status_code == 404
    assert client.post(f"/rentals/vouchers/{huge}/redeem/").status_code == 404
    assert client.get("/orders/", {"vendor": str(huge)}).status_code == 200


def test_reload_price_asks_first_with_old_and_new_price(
    login, support_user, rental, customer, vendor1, card_panel
):
    client = login(support_user)
    missing = client.get(
        f"/rentals/items/{rental.pk}/reload-price/", headers={"HX-Request": "true"}
    )
    assert 'id="reload-problem"' in missing.content.decode()
    Product.objects.create(
        vendor=vendor1, sku="CAR-S", name="Kleinwagen", kind="rental", list_price="59.00"
    )
    dialog = client.get(
        f"/rentals/items/{rental.pk}/reload-price/", headers={"HX-Request": "true"}
    ).content.decode()
    assert "€300.00" in dialog and "€59.00" in dialog and 'id="order-unchanged"' in dialog
    assert f"{rental.order.number} keeps its amount of €{rental.order.amount:,.2f}" in dialog
    rental.refresh_from_db()
    assert rental.price == Decimal("300.00")  # asking changes nothing
    card = card_panel(client, customer, "rentals")
    assert f'hx-get="/rentals/items/{rental.pk}/reload-price/"' in card
