"""Issue 9, item 2: no 500 for any input, and strict parsing. Every bad input answers a 4xx
with a message and changes nothing."""

import json

import pytest
from django.test import Client

from standing.activity.models import ActivityRecord
from standing.api import api
from standing.blocks.models import Block
from standing.customers.models import Customer, CustomerVendor
from standing.orders.models import Order, PaymentEvent


@pytest.fixture(autouse=True)
def _sandbox(settings):
    settings.SCREENING_CREDIT_PROVIDER = "sandbox"


@pytest.fixture
def admin(api_as, admin_user):
    return api_as(admin_user)


def raw(api, method, path, body, content_type="application/json"):
    headers = {"Authorization": f"Bearer {api.token}"}
    kwargs = {"content_type": content_type} if content_type is not None else {}
    if content_type is None:
        # Django's client sets a content type unless told otherwise through the raw environ.
        return getattr(api.client, method)(
            f"/api/v1{path}", data=body, headers=headers, CONTENT_TYPE=""
        )
    return getattr(api.client, method)(f"/api/v1{path}", body, headers=headers, **kwargs)


def state():
    return (
        Customer.objects.count(),
        Order.objects.count(),
        PaymentEvent.objects.count(),
        Block.objects.count(),
        ActivityRecord.objects.count(),
        list(Customer.objects.values_list("general_info", "first_name", "language")),
    )


def registration(**changes):
    address = changes.pop("address", {})
    return {
        "first_name": "Jana",
        "last_name": "Schröder",
        "birth_date": "1990-03-14",
        "email": "jana@example.de",
        "phone": "0171 2345678",
        "address": {"street": "Lindenstraße 5", "postal_code": "20095", "city": "Hamburg"}
        | address,
        **changes,
    }


def order(who, **changes):
    return {
        "number": "SHOP-1",
        "vendor": CustomerVendor.objects.filter(customer=who).first().vendor_id,
        "customer": who.number,
        "product": {"sku": "X", "name": "Rad"},
        "amount": "100.00",
        "payment_method": "invoice",
        "payment_plan": {"kind": "one_time", "due": "2026-02-01"},
        **changes,
    }


@pytest.mark.parametrize(
    "content_type",
    [
        "text/plain",
        "APPLICATION/JSON",
        None,
        "application/x-www-form-urlencoded",
        "application/json; charset=latin-1",
        "application/jsonx",
        "multipart/form-data; boundary=x",
    ],
)
def test_only_json_bodies_are_read(admin, customer, content_type):
    before = state()
    body = json.dumps({"general_info": "a\u0000b"})
    response = raw(admin, "patch", f"/customers/{customer.number}", body, content_type)
    assert response.status_code in (400, 415), response.content
    assert "detail" in response.json()
    assert state() == before


def test_json_with_a_charset_is_read(admin, customer):
    body = json.dumps({"general_info": "Stammkunde"})
    response = raw(
        admin, "patch", f"/customers/{customer.number}", body, "application/json; charset=utf-8"
    )
    assert response.status_code == 200 and response.json()["number"] == customer.number


@pytest.mark.parametrize("body", ["[]", "null", "42", '"x"', "true", "[{}]"])
def test_a_body_that_is_not_an_object_is_422(admin, customer, body):
    before = state()
    response = raw(admin, "patch", f"/customers/{customer.number}", body)
    assert response.status_code == 422 and "JSON object" in response.json()["detail"]
    assert state() == before


@pytest.mark.parametrize(
    "body",
    [
        "{",
        '{"general_info": NaN}',
        '{"general_info": Infinity}',
        '{"general_info": "a", "general_info": "b"}',
        b'{"general_info": "\xff"}',
    ],
)
def test_unreadable_json_is_400(admin, customer, body):
    before = state()
    response = raw(admin, "patch", f"/customers/{customer.number}", body)
    assert response.status_code == 400 and response.json()["detail"]
    assert state() == before


BAD_TEXTS = ["\ud800", "a\udfffb", "\x01", "x\x1by", "\x7f", "\x9b", "x" * 10_001]


@pytest.mark.parametrize("text", BAD_TEXTS)
@pytest.mark.parametrize(
    "field",
    ["first_name", "last_name", "email", "phone", "iban", "address.street", "address.city"],
)
def test_bad_text_in_a_registration(admin, field, text):
    body = registration()
    if field.startswith("address."):
        body["address"][field.split(".")[1]] = text
    else:
        body[field] = text
    before = state()
    response = admin.post("/registrations", body)
    assert response.status_code == 422, response.content
    assert field in json.dumps(response.json()["detail"])
    assert state() == before


@pytest.mark.parametrize("text", BAD_TEXTS)
def test_bad_text_elsewhere(admin, customer, vendor1, text):

    CustomerVendor.objects.create(customer=customer, vendor=vendor1)
    admin.post("/orders", order(customer))
    before = state()
    for path, body in [
        (f"/customers/{customer.number}", {"general_info": text}),
        ("/orders", order(customer, customer=text)),
        ("/orders", order(customer, number=text)),
        ("/orders/SHOP-1/events", {"id": text, "type": "payment_received", "date": "2026-01-01"}),
        (f"/customers/{customer.number}/blocks", {"reason": text, "duration": "5d"}),
        (
            f"/customers/{customer.number}/blocks",
            {"reason": "other", "note": text, "duration": "5d"},
        ),
        (
            f"/customers/{customer.number}/blocks",
            {"reason": "other", "staff": text, "duration": "5d"},
        ),
        ("/vendors", {"name": text}),
    ]:
        send = admin.patch if path.startswith("/customers/K") and "blocks" not in path else None
        response = (send or admin.post)(path, body)
        assert response.status_code == 422, (path, response.content)
    assert state() == before


@pytest.mark.parametrize(
    "changes",
    [
        {"payment_plan": {"kind": "one_time", "due": "9999-12-31"}},
        {"payment_plan": {"kind": "installments", "count": 3, "first_due": "9999-12-31"}},
        {"payment_plan": {"kind": "one_time", "due": "1899-12-31"}},
        {"payment_plan": {"kind": "one_time", "due": 20260101}},
        {"created_at": "0001-01-01T00:00:00"},
        {"created_at": "9999-12-31T23:59:59+00:00"},
        {"created_at": 20250101},
        {"created_at": 1767225600},
        {"created_at": "2026-01-01"},
        {"created_at": "tomorrow"},
        {"amount": "1e9"},
        {"amount": "1E+9"},
        {"amount": "1_000"},
        {"amount": " 5 "},
        {"amount": 5},
        {"amount": 5.5},
        {"amount": "5.555"},
        {"amount": "NaN"},
        {"amount": "Infinity"},
        {"amount": "99999999999.00"},
        {"amount": True},
        {"vendor": 2**64},
        {"payment_plan": {"kind": "installments", "count": 10**12, "first_due": "2026-01-01"}},
    ],
)
def test_bad_order_values(admin, customer, vendor1, changes):

    CustomerVendor.objects.create(customer=customer, vendor=vendor1)
    before = state()
    response = admin.post("/orders", order(customer, **changes))
    assert response.status_code == 422, response.content
    assert response.json()["detail"]
    assert state() == before


@pytest.mark.parametrize(
    "changes",
    [
        {"birth_date": "1899-12-31"},
        {"birth_date": "2101-01-01"},
        {"birth_date": 19900314},
        {"birth_date": "14.03.1990"},
        {"language": "xx"},
        {"language": "DE"},
        {"general_info": "x" * 5001},
        {"first_name": "x" * 101},
    ],
)
def test_bad_customer_values(admin, customer, changes):
    before = state()
    response = admin.patch(f"/customers/{customer.number}", changes)
    assert response.status_code == 422, response.content
    assert state() == before


def test_good_language_and_date_are_taken(admin, customer):
    response = admin.patch(
        f"/customers/{customer.number}", {"language": "en", "birth_date": "1950-01-01"}
    )
    assert response.status_code == 200
    assert response.json()["language"] == "en" and response.json()["birth_date"] == "1950-01-01"


@pytest.mark.parametrize("value", ["1e9", "1_000", " 5 ", 5, "10.001"])
def test_voucher_and_deposit_amounts_are_decimal_strings(admin, customer, vendor1, value):

    CustomerVendor.objects.create(customer=customer, vendor=vendor1)
    before = state()
    voucher = admin.post(
        f"/customers/{customer.number}/vouchers", {"vendor": vendor1.pk, "value": value}
    )
    deposit = admin.post(
        f"/customers/{customer.number}/deposit-offer", {"amount": value, "billing_step": "none"}
    )
    assert voucher.status_code == deposit.status_code == 422
    assert state() == before


def test_every_4xx_is_declared_with_the_detail_schema():
    schema = api.get_openapi_schema()
    assert schema["components"]["schemas"]["Detail"]["required"] == ["detail"]
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            codes = set(operation["responses"])
            assert {"400", "401", "403", "404", "409", "422"} <= codes, (method, path)
            assert ("415" in codes) == ("requestBody" in operation), (method, path)


def test_every_write_operation_refuses_bad_bodies_without_a_500(admin, customer):
    """Generated from the OpenAPI document: a new operation is covered without anyone adding
    it here."""
    paths = api.get_openapi_schema()["paths"]
    tried = 0
    client = Client()
    headers = {"Authorization": f"Bearer {admin.token}"}
    for template, operations in paths.items():
        path = (
            template.replace("{number}", customer.number)
            .replace("{item_id}", "1")
            .replace("{damage_id}", "1")
            .replace("{voucher_id}", "1")
            .replace("{block_id}", "1")
            .replace("{status}", "confirmed")
        )
        for method in operations:
            if method not in ("post", "patch", "put"):
                continue
            send = getattr(client, method)
            for body, content_type in [
                ("x", "text/plain"),
                ("[]", "application/json"),
                ('{"a": "\\ud800"}', "application/json"),
                ("{", "application/json"),
            ]:
                response = send(path, body, content_type=content_type, headers=headers)
                tried += 1
                assert response.status_code in (400, 404, 415, 422), (method, path, body)
                assert response.json()["detail"]
    assert tried >= 60


@pytest.mark.parametrize(
    "until",
    ["9999-12-31", "0001-01-01T00:00:00", "1899-12-31", "2101-01-02T00:00:00", "20270101"],
)
def test_block_until_out_of_range(admin, customer, until):
    before = state()
    response = admin.post(
        f"/customers/{customer.number}/blocks",
        {"reason": "other", "note": "n", "duration": "until", "until": until},
    )
    assert response.status_code == 422, response.content
    assert state() == before


def test_refusals_are_sentences_in_the_token_users_language(admin, admin_user, customer):
    admin_user.language = "de"
    admin_user.save()
    refused = raw(admin, "patch", f"/customers/{customer.number}", "x", "text/plain")
    assert refused.status_code == 415
    assert refused.json()["detail"].startswith("Die API liest nur JSON")
    not_object = raw(admin, "patch", f"/customers/{customer.number}", "[]")
    assert (
        not_object.json()["detail"]
        == "Der Inhalt muss ein JSON-Objekt ({…}) sein, nicht eine Liste."
    )
    control = admin.patch(f"/customers/{customer.number}", {"general_info": "a\x01"})
    assert control.json()["detail"][0]["field"] == "general_info"
    assert "Steuerzeichen" in control.json()["detail"][0]["message"]


def test_schema_messages_are_sentences_in_the_users_language(admin, admin_user, customer):
    admin_user.language = "de"
    admin_user.save()
    body = registration()
    del body["first_name"]
    body["last_name"] = "x" * 101
    detail = admin.post("/registrations", body).json()["detail"]
    messages = {error["field"]: error["message"] for error in detail}
    assert messages["first_name"] == "Dieses Feld ist erforderlich."
    assert messages["last_name"] == "Höchstens 100 Zeichen."
    admin_user.language = "en"
    admin_user.save()
    detail = admin.post("/registrations", body).json()["detail"]
    assert {e["field"]: e["message"] for e in detail}["last_name"] == "At most 100 characters."


def test_a_choice_error_lists_the_choices_without_an_english_or(admin, admin_user, customer):
    admin_user.language = "de"
    admin_user.save()
    answer = admin.post(
        f"/customers/{customer.number}/blocks", {"reason": "missing_documents", "duration": "1y"}
    )
    assert answer.status_code == 422
    message = {e["field"]: e["message"] for e in answer.json()["detail"]}["duration"]
    assert message == "Erlaubt ist eines von: '5d', '14d', '1m', 'until', 'indefinite'."
    assert not customer.blocks.exists()
