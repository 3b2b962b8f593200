import pytest

from standing.activity.models import ActivityRecord
from standing.customers.models import CustomerGroup


@pytest.fixture
def two_vendor_customers(customer_factory, vendor1, vendor2):
    return customer_factory(vendor=vendor1, last_name="Nord"), customer_factory(
        vendor=vendor2, last_name="Süd"
    )


def test_list_search_and_paginate(api_as, support_user, customer_factory):
    for _ in range(3):
        customer_factory()
    target = customer_factory(first_name="Özlem", last_name="Yılmaz")
    api = api_as(support_user)
    body = api.get("/customers").json()
    assert body["count"] == 4 and body["page"] == 1 and body["pages"] == 1
    hits = api.get("/customers", q="oezlem").json()["items"]
    assert [c["number"] for c in hits] == [target.number]
    assert api.get("/customers", status="pending").json()["count"] == 4
    assert api.get("/customers", status="active").json()["count"] == 0
    assert api.get("/customers", status="nonsense").status_code == 422
    assert api.get("/customers", page=0).status_code == 422


def test_vendor_sees_only_its_customers(api_as, vendor1_user, two_vendor_customers):
    nord, sued = two_vendor_customers
    api = api_as(vendor1_user)
    numbers = [c["number"] for c in api.get("/customers").json()["items"]]
    assert numbers == [nord.number]
    assert api.get(f"/customers/{nord.number}").status_code == 200
    response = api.get(f"/customers/{sued.number}")
    assert response.status_code == 404
    assert "Süd" not in response.content.decode()
    assert api.get(f"/customers/{sued.number}/standing").status_code == 404


def test_patch_edits_and_logs(api_as, support_user, customer):
    CustomerGroup.objects.create(name="Stammkunden")
    api = api_as(support_user)
    response = api.patch(
        f"/customers/{customer.number}",
        {"city": "Hamburg", "postal_code": "20095", "phone": "040 123456", "group": "Stammkunden"},
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["city"] == "Hamburg" and body["phone"] == "+4940123456"
    assert body["group"] == "Stammkunden"
    assert ActivityRecord.objects.filter(customer=customer, action="customer.updated").exists()


@pytest.mark.parametrize(
    "body,field",
    [
        ({"phone": "abc"}, "phone"),
        ({"postal_code": "123"}, "postal_code"),
        ({"iban": "DE00"}, "iban"),
        ({"email": "not-an-email"}, "email"),
        ({"birth_date": "31.12.1990"}, "birth_date"),
        ({"kind": "alien"}, "kind"),
        ({"first_name": ""}, "first_name"),
    ],
)
def test_patch_rejects_bad_input_with_a_message(api_as, support_user, customer, body, field):
    response = api_as(support_user).patch(f"/customers/{customer.number}", body)
    assert response.status_code == 422
    assert field in str(response.json()["detail"])
    customer.refresh_from_db()
    assert customer.city == "Berlin" and customer.phone == "+491711234567"


def test_patch_unknown_group_is_404(api_as, support_user, customer):
    response = api_as(support_user).patch(
        f"/customers/{customer.number}", {"group": "Gibt's nicht"}
    )
    assert response.status_code == 404


def test_roles(api_as, vendor1_user, integration_user, customer_factory, vendor1):
    c = customer_factory(vendor=vendor1)
    assert api_as(vendor1_user).patch(f"/customers/{c.number}", {"city": "X"}).status_code == 403
    assert api_as(integration_user).get("/customers").status_code == 403
    assert api_as(None).get("/customers").status_code == 401
    bad = api_as(None)
    bad.token = "stg_wrong"
    assert bad.get("/customers").json()["detail"].startswith("Authentication required")


def test_standing(api_as, integration_user, customer):
    body = api_as(integration_user).get(f"/customers/{customer.number}/standing").json()
    assert body == {
        "status": "pending",
        "blocked": False,
        "blocked_until": None,
        "can_login": True,
        "can_book": False,
        "can_reserve": False,
        "permissions": {"reserve": True, "book": True, "pay_by_invoice": False},
    }


def test_unknown_customer_and_malformed_json(api_as, support_user):
    api = api_as(support_user)
    assert api.get("/customers/K-999999").status_code == 404
    response = api.client.patch(
        "/api/v1/customers/K-1",
        "{not json",
        content_type="application/json",
        headers={"Authorization": f"Bearer {api.token}"},
    )
    assert 400 <= response.status_code < 500


def test_revoked_token_is_refused(api_as, support_user):
    api = api_as(support_user)
    assert api.get("/customers").status_code == 200
    support_user.api_tokens.get().revoke()
    assert api.get("/customers").status_code == 401


def test_openapi_document(client):
    doc = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/customers/{number}/standing" in doc["paths"]
