"""POST/GET /orders, the lists, and POST /orders/{number}/events (SPEC §10)."""

from decimal import Decimal

import pytest

from standing.accounts.models import ApiToken, Role
from standing.activity.models import ActivityRecord
from standing.customers.models import CustomerVendor
from standing.orders.models import Order, PaymentEvent


@pytest.fixture
def body(vendor1, customer):
    def make(**changes):
        return {
            "number": "SHOP-1001",
            "vendor": vendor1.pk,
            "customer": customer.number,
            "product": {"sku": "EBIKE-27", "name": "E-Bike Trekking 27"},
            "amount": "1199.99",
            "payment_method": "sepa_direct_debit",
            "created_at": "2026-01-05T10:15:00+01:00",
            "payment_plan": {
                "kind": "installments",
                "count": 12,
                "interval": "monthly",
                "first_due": "2026-01-31",
            },
            **changes,
        }

    return make


def test_integration_creates_an_installment_order(api_as, integration_user, body, customer):
    response = api_as(integration_user).post("/orders", body())
    assert response.status_code == 201, response.content
    order = response.json()
    assert order["number"] == "SHOP-1001" and order["customer"] == customer.number
    assert order["amount"] == "1199.99" and order["paid_amount"] == "0.00"
    assert order["open_amount"] == "1199.99" and order["status"] == "open"
    assert order["product"] == {"sku": "EBIKE-27", "name": "E-Bike Trekking 27"}
    assert order["payment_plan"] == {
        "kind": "installments",
        "count": 12,
        "interval": "monthly",
        "first_due": "2026-01-31",
        "due": None,
    }
    dues = [i["due"] for i in order["installments"]]
    assert dues[:3] == ["2026-01-31", "2026-02-28", "2026-03-31"]
    amounts = [i["amount"] for i in order["installments"]]
    assert amounts[0] == "99.99" and amounts[-1] == "100.10"
    assert {i["state"] for i in order["installments"]} == {"open"}
    # The order links the customer to the vendor.
    assert CustomerVendor.objects.filter(customer=customer, vendor_id=order["vendor"]).exists()


def test_one_time_order_and_get(api_as, support_user, body):
    api = api_as(support_user)
    plan = {"kind": "one_time", "due": "2026-02-14"}
    assert api.post("/orders", body(payment_plan=plan, payment_method="invoice")).status_code == 201
    order = api.get("/orders/SHOP-1001").json()
    assert (
        order["payment_plan"]["kind"] == "one_time" and order["payment_plan"]["due"] == "2026-02-14"
    )
    assert [(i["sequence"], i["amount"]) for i in order["installments"]] == [(1, "1199.99")]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"amount": "0"}, "amount"),
        ({"amount": "-10.00"}, "amount"),
        ({"amount": "abc"}, "amount"),
        ({"amount": "12.345"}, "amount"),
        # The one money validator: nothing it would have to guess.
        ({"amount": "1e3"}, "amount"),
        ({"amount": " 12.00"}, "amount"),
        ({"amount": "1_000.00"}, "amount"),
        ({"amount": "NaN"}, "amount"),
        ({"amount": 12.345}, "amount"),
        ({"payment_method": "bitcoin"}, "payment_method"),
        ({"payment_plan": {"kind": "weekly"}}, "payment_plan"),
        ({"payment_plan": {"kind": "one_time", "due": "14.02.2026"}}, "payment_plan"),
        ({"payment_plan": {"kind": "installments", "count": 0, "first_due": "2026-01-31"}}, ""),
        ({"payment_plan": {"kind": "installments", "count": 500, "first_due": "2026-01-31"}}, ""),
        ({"vendor": 99999}, "vendor"),
        ({"customer": "K-NOPE"}, "customer"),
        ({"number": ""}, "number"),
        ({"product": {"sku": ""}}, "product"),
        ({"created_at": "yesterday"}, "created_at"),
    ],
)
def test_bad_orders_are_refused(api_as, integration_user, body, changes, field):
    response = api_as(integration_user).post("/orders", body(**changes))
    assert response.status_code == 422, response.content
    assert field in str(response.json()["detail"])
    assert not Order.objects.exists()


def test_duplicate_order_number(api_as, integration_user, body):
    api = api_as(integration_user)
    assert api.post("/orders", body()).status_code == 201
    response = api.post("/orders", body(amount="5.00"))
    assert response.status_code == 409 and "SHOP-1001" in response.json()["detail"]
    assert Order.objects.get().amount == Decimal("1199.99")


def test_vendor_token_only_for_its_own_vendor(api_as, vendor1_user, vendor2, body, customer):
    CustomerVendor.objects.create(customer=customer, vendor=vendor1_user.vendor)
    api = api_as(vendor1_user)
    response = api.post("/orders", body(vendor=vendor2.pk))
    assert response.status_code == 403 and "own vendor" in response.json()["detail"]
    assert api.post("/orders", body()).status_code == 201


def test_vendor_scoped_integration_token(api_as, vendor1, vendor2, body, customer):
    from conftest import make_user

    CustomerVendor.objects.create(customer=customer, vendor=vendor1)
    shop = make_user("nord-shop", Role.INTEGRATION, vendor1)
    api = api_as(shop)
    assert api.post("/orders", body(vendor=vendor2.pk)).status_code == 403
    assert api.post("/orders", body()).status_code == 201


def test_customer_role_may_not_create(api_as, support_user, body):
    token_user = support_user
    api = api_as(token_user, scope=Role.CUSTOMER)
    assert api.post("/orders", body()).status_code == 403
    assert ApiToken.objects.exists() and not Order.objects.exists()


def test_another_vendors_order_is_not_found(api_as, vendor2_user, integration_user, body):
    api_as(integration_user).post("/orders", body())
    api = api_as(vendor2_user)
    response = api.get("/orders/SHOP-1001")
    assert response.status_code == 404 and "1199" not in response.content.decode()
    event = {"id": "x1", "type": "payment_received", "date": "2026-01-31", "amount": "10.00"}
    assert api.post("/orders/SHOP-1001/events", event).status_code == 404
    assert api.get("/orders").json()["count"] == 0
    assert not PaymentEvent.objects.exists()


def test_lists_per_vendor_customer_and_status(
    api_as, support_user, vendor1_user, vendor2, body, customer, customer_factory
):
    api = api_as(support_user)
    other = customer_factory()
    api.post("/orders", body())
    api.post("/orders", body(number="SHOP-2", vendor=vendor2.pk, customer=other.number))
    api.post("/orders", body(number="SHOP-3", amount="10.00"))
    api.post(
        "/orders/SHOP-3/events",
        {"id": "p3", "type": "payment_received", "date": "2026-01-31", "amount": "10.00"},
    )

    def numbers(response):
        assert response.status_code == 200, response.content
        return sorted(o["number"] for o in response.json()["items"])

    assert numbers(api.get("/orders")) == ["SHOP-1001", "SHOP-2", "SHOP-3"]
    assert numbers(api.get("/orders", vendor=vendor2.pk)) == ["SHOP-2"]
    assert numbers(api.get("/orders", customer=customer.number)) == ["SHOP-1001", "SHOP-3"]
    assert numbers(api.get("/orders", status="paid")) == ["SHOP-3"]
    assert numbers(api.get("/orders", overdue_on="2026-03-01")) == ["SHOP-1001", "SHOP-2"]
    assert api.get("/orders", status="nonsense").status_code == 422
    assert api.get("/orders", page=0).status_code == 422
    assert numbers(api.get(f"/customers/{customer.number}/orders")) == ["SHOP-1001", "SHOP-3"]
    # The vendor user sees only its vendor's orders, in every list.
    vendor = api_as(vendor1_user)
    assert numbers(vendor.get("/orders")) == ["SHOP-1001", "SHOP-3"]
    assert numbers(vendor.get("/orders", vendor=vendor2.pk)) == []
    assert vendor.get(f"/customers/{other.number}/orders").status_code == 404


def event(**fields):
    return {
        "id": "pp-1",
        "type": "payment_received",
        "date": "2026-01-31",
        "amount": "99.99",
        **fields,
    }


def test_events_apply_once(api_as, integration_user, body):
    api = api_as(integration_user)
    api.post("/orders", body())
    first = api.post("/orders/SHOP-1001/events", event())
    assert first.status_code == 201, first.content
    assert first.json()["duplicate"] is False and first.json()["paid_amount"] == "99.99"
    again = api.post("/orders/SHOP-1001/events", event())
    assert again.status_code == 200 and again.json()["duplicate"] is True
    assert {**again.json(), "duplicate": False} == first.json()
    order = api.get("/orders/SHOP-1001").json()
    assert order["paid_amount"] == "99.99" and order["open_amount"] == "1100.00"
    assert order["installments"][0]["state"] == "paid"
    reused = api.post("/orders/SHOP-1001/events", event(amount="5.00"))
    assert reused.status_code == 409 and "pp-1" in reused.json()["detail"]


def test_chargeback_with_fee_through_the_api(api_as, integration_user, body):
    api = api_as(integration_user)
    api.post("/orders", body())
    api.post("/orders/SHOP-1001/events", event())
    response = api.post(
        "/orders/SHOP-1001/events",
        {"id": "cb-1", "type": "chargeback", "date": "2026-02-03", "installment": 1, "fee": "9.00"},
    )
    assert response.status_code == 201, response.content
    body_ = response.json()
    assert body_["paid_amount"] == "0.00" and body_["cancellation_costs"] == "9.00"
    assert body_["installments"][0] == {
        "sequence": 1,
        "state": "charged_back",
        "paid_amount": "0.00",
    }


@pytest.mark.parametrize(
    ("fields", "status", "text"),
    [
        ({"type": "money_rain"}, 422, "Unknown event type"),
        ({"amount": "0"}, 422, "greater than zero"),
        ({"amount": "-5"}, 422, "greater than zero"),
        ({"amount": "ten"}, 422, "decimal"),
        ({"date": "31.01.2026"}, 422, "YYYY-MM-DD"),
        ({"date": "2026-02-30"}, 422, "calendar date"),
        ({"installment": 13}, 422, "no installment 13"),
        ({"installment": "first"}, 422, "installment"),
        ({"amount": "1200.00"}, 422, "more than"),
        ({"id": ""}, 422, "id"),
        ({"type": "refund", "amount": "5.00"}, 422, "more than"),
        ({"type": "chargeback", "amount": None}, 409, "Nothing was paid"),
    ],
)
def test_bad_events_change_nothing(api_as, integration_user, body, fields, status, text):
    api = api_as(integration_user)
    api.post("/orders", body())
    log = ActivityRecord.objects.count()
    response = api.post("/orders/SHOP-1001/events", event(**fields))
    assert response.status_code == status, response.content
    assert text in str(response.json()["detail"])
    assert not PaymentEvent.objects.exists() and ActivityRecord.objects.count() == log
    assert api.get("/orders/SHOP-1001").json()["paid_amount"] == "0.00"


def test_events_for_a_cancelled_order(api_as, integration_user, body):
    api = api_as(integration_user)
    api.post("/orders", body())
    api.post("/orders/SHOP-1001/events", event())
    cancelled = api.post(
        "/orders/SHOP-1001/events", {"id": "c1", "type": "order_cancelled", "date": "2026-02-01"}
    )
    assert cancelled.status_code == 201 and cancelled.json()["status"] == "cancelled"
    refused = api.post("/orders/SHOP-1001/events", event(id="late", amount="10.00"))
    assert refused.status_code == 409 and "cancelled" in refused.json()["detail"]
    refund = api.post("/orders/SHOP-1001/events", event(id="r1", type="refund"))
    assert refund.status_code == 201 and refund.json()["amount"] == "0.00"


def test_unknown_order_and_unauthenticated(api_as, integration_user):
    assert api_as(integration_user).post("/orders/NOPE/events", event()).status_code == 404
    assert api_as(integration_user).get("/orders/NOPE").status_code == 404
    assert api_as(None).get("/orders").status_code == 401


@pytest.mark.parametrize(
    "fields",
    [
        {"amount": "1e100"},
        {"amount": "NaN"},
        {"amount": "Infinity"},
        {"amount": True},
        {"amount": [1]},
        {"installment": -1},
        {"installment": 0},
        {"installment": 10**30},
        {"fee": "1e50", "type": "chargeback"},
        {"id": "x" * 101},
        {"date": 20260131},
        {"date": None},
        {"type": None},
        {"id": None},
    ],
)
def test_hostile_events_answer_4xx(api_as, integration_user, body, fields):
    api = api_as(integration_user)
    api.post("/orders", body())
    response = api.post("/orders/SHOP-1001/events", event(**fields))
    assert response.status_code == 422, response.content
    assert response.json()["detail"]
    assert not PaymentEvent.objects.exists()


@pytest.mark.parametrize(
    "changes",
    [
        {"vendor": 10**30},
        {"vendor": -1},
        {"amount": "1e100"},
        {"customer": "x" * 500},
        {"number": "x" * 65},
        {"payment_plan": {"kind": "installments", "count": 10**30, "first_due": "2026-01-31"}},
        {"payment_plan": None},
        {"product": None},
    ],
)
def test_hostile_orders_answer_4xx(api_as, integration_user, body, changes):
    response = api_as(integration_user).post("/orders", body(**changes))
    assert response.status_code == 422, response.content
    assert not Order.objects.exists()


def test_hostile_list_filters(api_as, support_user):
    api = api_as(support_user)
    assert api.get("/orders", vendor=10**30).status_code == 422
    assert api.get("/orders", overdue_on="31.01.2026").status_code == 422
    assert api.get("/customers/NOPE/orders").status_code == 404
    assert api.get("/orders/" + "x" * 300).status_code == 404


def test_openapi_lists_the_order_endpoints(api_as, support_user):
    paths = api_as(support_user).get("/openapi.json").json()["paths"]
    assert {"/api/v1/orders", "/api/v1/orders/{number}", "/api/v1/orders/{number}/events"} <= set(
        paths
    )
    assert "/api/v1/customers/{number}/orders" in paths
