import pytest

from standing.accounts.models import Role, User
from standing.customers.models import CustomerStatus
from standing.deposits.models import DepositOffer
from standing.payments.models import PaymentLink

S = CustomerStatus
BODY = {"amount": "150.00", "billing_step": "receipt", "cost_type": "deposit", "payment_link": True}


@pytest.fixture
def staff_api(api_as, support_user):
    return api_as(support_user)


def test_deposit_offer_answers_id_and_payment_url(staff_api, denied, client):
    response = staff_api.post(f"/customers/{denied.number}/deposit-offer", BODY)
    assert response.status_code == 200, response.content
    data = response.json()
    offer = DepositOffer.objects.get(pk=data["id"])
    assert data["payment_url"] == offer.payment_link.payment_url
    assert data["amount"] == "150.00" and data["status"] == "offered"
    # The sandbox page at payment_url pays on a form POST with outcome=success.
    path = data["payment_url"].split("://", 1)[1].split("/", 1)[1]
    page = client.get(f"/{path}")
    assert page.status_code == 200 and "150" in page.content.decode()
    client.post(f"/{path}", {"outcome": "success"})
    denied.refresh_from_db()
    assert denied.status == S.VERIFIED
    assert staff_api.get(f"/customers/{denied.number}").json()["status"] == "verified"


def test_deposit_offer_without_link(staff_api, denied):
    body = {**BODY, "payment_link": False, "billing_step": "invoice"}
    data = staff_api.post(f"/customers/{denied.number}/deposit-offer", body).json()
    assert data["payment_url"] is None and data["document"].startswith("RE-")
    assert not PaymentLink.objects.exists()


@pytest.mark.parametrize(
    "changes,field",
    [
        ({"amount": "0"}, "amount"),
        ({"amount": "-1.00"}, "amount"),
        ({"amount": "zehn"}, "amount"),
        ({"billing_step": "cash"}, "billing_step"),
        ({"cost_type": "rent"}, "cost_type"),
        ({"payment_link": "vielleicht"}, "payment_link"),
    ],
)
def test_bad_offer_answers_422_and_changes_nothing(staff_api, denied, changes, field):
    response = staff_api.post(f"/customers/{denied.number}/deposit-offer", {**BODY, **changes})
    assert response.status_code == 422
    assert field in str(response.json()["detail"])
    assert not DepositOffer.objects.exists() and not PaymentLink.objects.exists()


def test_wrong_status_answers_409_with_a_readable_message(staff_api, customer):
    response = staff_api.post(f"/customers/{customer.number}/deposit-offer", BODY)
    assert response.status_code == 409
    assert customer.number in response.json()["detail"]
    for action in ("accept", "verify", "activate"):
        response = staff_api.post(f"/customers/{customer.number}/{action}")
        assert response.status_code == 409, action
        assert "detail" in response.json()
    customer.refresh_from_db()
    assert customer.status == S.PENDING


def test_accept_activate(staff_api, denied):
    response = staff_api.post(f"/customers/{denied.number}/accept")
    assert response.json() == {"number": denied.number, "status": "verified"}
    response = staff_api.post(f"/customers/{denied.number}/activate")
    assert response.json() == {"number": denied.number, "status": "active"}


def test_verify_after_offer_and_without(staff_api, denied):
    response = staff_api.post(f"/customers/{denied.number}/verify")
    assert response.status_code == 409 and "deposit offer" in response.json()["detail"]
    staff_api.post(f"/customers/{denied.number}/deposit-offer", {**BODY, "payment_link": False})
    response = staff_api.post(f"/customers/{denied.number}/verify")
    assert response.json()["status"] == "verified"


def test_delete_refuses_login_and_token(staff_api, api_as, denied):
    customer_api = api_as(denied.user)
    assert customer_api.get(f"/customers/{denied.number}").status_code == 200
    response = staff_api.post(f"/customers/{denied.number}/delete")
    assert response.json()["status"] == "deleted"
    assert customer_api.get(f"/customers/{denied.number}").status_code == 401
    assert staff_api.post(f"/customers/{denied.number}/delete").status_code == 409


def test_unknown_customer_404(staff_api):
    assert staff_api.post("/customers/K-999999/accept").status_code == 404


@pytest.mark.parametrize("action", ["deposit-offer", "accept", "verify", "activate", "delete"])
def test_roles_without_the_right(action, api_as, denied, vendor1_user, vendor2_user, db):
    shop = User.objects.create_user("shop", role=Role.INTEGRATION)
    # Own vendor's customer, an integration, the customer themself: 403.
    for user in (vendor1_user, shop, denied.user):
        response = api_as(user).post(f"/customers/{denied.number}/{action}", BODY)
        assert response.status_code == 403, (user.username, response.content)
    # Another vendor does not even see the customer.
    response = api_as(vendor2_user).post(f"/customers/{denied.number}/{action}", BODY)
    assert response.status_code == 404
    denied.refresh_from_db()
    assert denied.status == S.DENIED and not DepositOffer.objects.exists()


def test_openapi_lists_the_outcomes(staff_api):
    paths = staff_api.client.get("/api/v1/openapi.json").json()["paths"]
    for action in ("deposit-offer", "accept", "verify", "activate", "delete"):
        assert f"/api/v1/customers/{{number}}/{action}" in paths
