"""Issue 9, item 1: a vendor never reaches a customer it had no business with; unknown and
foreign records answer alike; order numbers and event ids are unique per vendor."""

import pytest

from standing.activity.models import ActivityRecord
from standing.customers.models import Customer, CustomerVendor
from standing.orders.models import Order, PaymentEvent


@pytest.fixture(autouse=True)
def _sandbox(settings):
    settings.SCREENING_CREDIT_PROVIDER = "sandbox"


def order(vendor, customer=None, number="SHOP-1", **changes):
    return {
        "number": number,
        "vendor": vendor.pk,
        **({"customer": customer} if customer else {}),
        "product": {"sku": "EBIKE-27", "name": "E-Bike Trekking 27"},
        "amount": "120.00",
        "payment_method": "invoice",
        "payment_plan": {"kind": "one_time", "due": "2026-02-01"},
        **changes,
    }


def registration_of(customer, **changes):
    return {
        "first_name": customer.first_name,
        "last_name": customer.last_name,
        "birth_date": customer.birth_date.isoformat(),
        "email": customer.email,
        "phone": customer.phone,
        "address": {"street": "Hauptstraße 1", "postal_code": "10115", "city": "Berlin"},
        **changes,
    }


@pytest.fixture
def theirs(customer_factory, vendor2):
    """A customer of vendor2 only, with data that must never reach vendor1."""
    from datetime import date

    return customer_factory(
        vendor=vendor2, first_name="Geheim", last_name="Zwei", birth_date=date(1970, 1, 2)
    )


@pytest.fixture
def shop1(vendor1):
    from conftest import make_user
    from standing.accounts.models import Role

    return make_user("nord-shop", Role.INTEGRATION, vendor1)


def test_order_for_a_foreign_customer_answers_as_for_an_unknown_one(
    api_as, vendor1, vendor1_user, theirs
):
    api = api_as(vendor1_user)
    foreign = api.post("/orders", order(vendor1, theirs.number))
    unknown = api.post("/orders", order(vendor1, "K-999999"))
    assert foreign.status_code == unknown.status_code == 422
    assert foreign.json()["detail"]["customer"] == [f"Customer {theirs.number} not found."]
    assert unknown.json()["detail"]["customer"] == ["Customer K-999999 not found."]
    # Nothing was created or linked, and the card stays out of reach.
    assert not Order.objects.exists()
    assert not CustomerVendor.objects.filter(customer=theirs, vendor=vendor1).exists()
    card = api.get(f"/customers/{theirs.number}")
    assert card.status_code == 404 and "Geheim" not in card.content.decode()
    assert card.json() == {"detail": f"Customer {theirs.number} not found."}
    assert api.get("/customers/K-999999").json() == {"detail": "Customer K-999999 not found."}


def test_messages_are_german_sentences_for_german_users(api_as, vendor1_user, theirs):
    vendor1_user.language = "de"
    vendor1_user.save()
    response = api_as(vendor1_user).get(f"/customers/{theirs.number}")
    assert response.json() == {"detail": f"Kunde {theirs.number} nicht gefunden."}


def test_order_carrying_the_registration_reaches_the_customer(api_as, vendor1, shop1, theirs):
    api = api_as(shop1)
    body = order(vendor1, theirs.number, registration=registration_of(theirs))
    response = api.post("/orders", body)
    assert response.status_code == 201, response.content
    assert response.json()["customer"] == theirs.number
    assert CustomerVendor.objects.filter(customer=theirs, vendor=vendor1).exists()
    assert ActivityRecord.objects.filter(customer=theirs, action="registration.repeated").exists()
    assert Customer.objects.count() == 1


def test_registration_of_someone_else_does_not_reach_the_customer(api_as, vendor1, shop1, theirs):
    other = registration_of(
        theirs, first_name="Jemand", last_name="Anders", email="jemand@example.de"
    )
    response = api_as(shop1).post("/orders", order(vendor1, theirs.number, registration=other))
    assert response.status_code == 422
    assert response.json()["detail"]["customer"] == [f"Customer {theirs.number} not found."]
    assert Customer.objects.count() == 1 and not Order.objects.exists()


def test_order_with_only_a_registration_screens_a_new_customer(api_as, vendor1, shop1, theirs):
    new = registration_of(theirs, first_name="Neu", last_name="Kunde", email="neu@example.de")
    response = api_as(shop1).post("/orders", order(vendor1, registration=new))
    assert response.status_code == 201, response.content
    created = Customer.objects.get(number=response.json()["customer"])
    assert created != theirs and created.screenings.exists()
    assert CustomerVendor.objects.filter(customer=created, vendor=vendor1).exists()


def test_order_needs_a_customer_or_a_registration(api_as, vendor1, shop1):
    response = api_as(shop1).post("/orders", order(vendor1))
    assert response.status_code == 422 and "customer" in response.json()["detail"]


def test_order_numbers_and_event_ids_are_per_vendor(
    api_as, vendor1, vendor2, customer_factory, admin_user
):
    from conftest import make_user
    from standing.accounts.models import Role

    a = customer_factory(vendor=vendor1)
    b = customer_factory(vendor=vendor2)
    shop_a = api_as(make_user("a", Role.INTEGRATION, vendor1))
    shop_b = api_as(make_user("b", Role.INTEGRATION, vendor2))
    assert shop_a.post("/orders", order(vendor1, a.number)).status_code == 201
    # vendor2 learns nothing from vendor1's number: its own order of that number is fine.
    assert shop_b.post("/orders", order(vendor2, b.number)).status_code == 201
    assert shop_a.post("/orders", order(vendor1, a.number)).status_code == 409
    event = {"id": "ev-1", "type": "payment_received", "date": "2026-01-10", "amount": "20.00"}
    assert shop_a.post("/orders/SHOP-1/events", event).status_code == 201
    assert shop_b.post("/orders/SHOP-1/events", event).status_code == 201
    assert shop_b.post("/orders/SHOP-1/events", event).status_code == 200  # its own duplicate
    assert PaymentEvent.objects.filter(event_id="ev-1").count() == 2
    # Staff see both: the number alone is ambiguous, the vendor settles it.
    admin = api_as(admin_user)
    ambiguous = admin.get("/orders/SHOP-1")
    assert ambiguous.status_code == 422 and "vendor" in ambiguous.json()["detail"]
    mine = admin.get("/orders/SHOP-1", vendor=vendor2.pk).json()
    assert mine["vendor"] == vendor2.pk and mine["customer"] == b.number


def test_staff_page_of_an_order_number_two_vendors_use(
    client, admin_user, vendor1, vendor2, customer_factory
):
    from standing.accounts.scoping import Actor
    from standing.orders import services

    for vendor in (vendor1, vendor2):
        services.create_order(
            Actor.of(admin_user),
            number="SHOP-1",
            vendor=vendor,
            customer=customer_factory(vendor=vendor),
            amount=__import__("decimal").Decimal("10.00"),
            payment_method="invoice",
            created_at=__import__("django.utils.timezone").utils.timezone.now(),
            plan_kind="one_time",
            due=__import__("datetime").date(2026, 2, 1),
        )
    client.force_login(admin_user)
    order2 = Order.objects.get(vendor=vendor2)
    page = client.get(order2.get_absolute_url())
    assert page.status_code == 200 and order2.customer.number in page.content.decode()
    assert client.get("/orders/SHOP-1/").status_code == 404
    assert client.get("/orders/SHOP-1/?vendor=x").status_code == 404
