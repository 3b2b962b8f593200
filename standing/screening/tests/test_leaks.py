"""Reasons, matched attributes and scores reach staff only (SPEC §2): never an integration, a
customer, a vendor, an email or an error message."""

import re

import pytest
from django.core import mail

from standing.accounts.models import ApiToken, Role, User
from standing.customers.models import Customer, CustomerVendor

FORBIDDEN = [
    "credit",
    "denylist",
    "deny",
    "payment_failed",
    "score",
    "312",
    "reason",
    "+birth_date",
    "Zahlungsausfall",
    "match",
]


# Timestamps are left out of the check: their milliseconds can read "312".
TIMESTAMP = re.compile(r"\d{4}-\d\d-\d\dT[\d:.]+(Z|[+-]\d\d:\d\d)?")


def assert_clean(text):
    lowered = TIMESTAMP.sub("", text).lower()
    for word in FORBIDDEN:
        assert word.lower() not in lowered, f"{word!r} leaked in: {text[:300]}"


@pytest.fixture
def denied_registration(
    api_as, integration_user, registration, listed, django_capture_on_commit_callbacks
):
    """A registration that trips all three checks."""
    body = registration(
        last_name="Ablehnung",
        email="max.betrueger@gmail.com",
        initial_payment={"provider": "paypal", "status": "failed", "reference": "X-1"},
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = api_as(integration_user).post("/registrations", body)
    assert response.status_code == 201
    return response


def test_registration_answer_holds_no_reason(denied_registration):
    assert denied_registration.json()["status"] == "denied"
    assert_clean(denied_registration.content.decode())


def test_integration_answers_hold_no_reason(denied_registration, api_as, integration_user):
    number = denied_registration.json()["number"]
    api = api_as(integration_user)
    for path in [f"/customers/{number}", f"/customers/{number}/standing"]:
        response = api.get(path)
        assert response.status_code == 200
        assert_clean(response.content.decode().replace("Ablehnung", ""))


def test_customer_answers_hold_no_reason(denied_registration, api_as):
    customer = Customer.objects.get(number=denied_registration.json()["number"])
    api = api_as(customer.user)
    for path in [f"/customers/{customer.number}", f"/customers/{customer.number}/standing"]:
        response = api.get(path)
        assert response.status_code == 200
        assert_clean(response.content.decode().replace("Ablehnung", ""))


def test_emails_hold_no_reason(denied_registration):
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["max.betrueger@gmail.com"]
    assert_clean(f"{message.subject} {message.body}".replace("max.betrueger@gmail.com", ""))


def test_error_messages_hold_no_reason(api_as, integration_user, registration, listed):
    api = api_as(integration_user)
    for body in [
        registration(email="max.betrueger@gmail.com", phone="12"),
        registration(last_name="Ablehnung", birth_date="1990-13-01"),
        registration(email="max.betrueger@gmail.com", address={"postal_code": "1"}),
    ]:
        response = api.post("/registrations", body)
        assert response.status_code == 422
        assert_clean(response.content.decode().replace("max.betrueger@gmail.com", ""))
    assert not Customer.objects.exists()


def test_repeat_with_changed_data_answers_the_same_shape(
    api_as, integration_user, registration, listed
):
    api = api_as(integration_user)
    first = api.post("/registrations", registration(email="max.betrueger@gmail.com")).json()
    second = api.post("/registrations", registration(email="jana.neu@example.de")).json()
    assert set(first) == set(second) == {"number", "status"}


def test_vendor_card_shows_no_screening(denied_registration, client, vendor1, vendor1_user):
    customer = Customer.objects.get(number=denied_registration.json()["number"])
    CustomerVendor.objects.create(customer=customer, vendor=vendor1)
    client.force_login(vendor1_user)
    html = client.get(f"/customers/{customer.number}/").content.decode()
    assert 'id="screening"' not in html
    assert_clean(html.replace("Ablehnung", "").replace("max.betrueger@gmail.com", ""))


def test_customer_token_cannot_reach_staff_pages(denied_registration, client):
    customer = Customer.objects.get(number=denied_registration.json()["number"])
    login = User.objects.get(pk=customer.user_id)
    login.set_password("pw-kunde-123")
    login.save()
    client.force_login(login)
    for path in ["/denied/", "/denylist/", "/denylist/export.csv"]:
        assert client.get(path).status_code == 403
    assert ApiToken.objects.filter(user__role=Role.CUSTOMER).count() == 0


def test_public_registration_page_answers_neutrally(
    client, listed, django_capture_on_commit_callbacks
):
    form = {
        "first_name": "Max",
        "last_name": "Ablehnung",
        "birth_date": "1980-05-17",
        "email": "max.betrueger@gmail.com",
        "phone": "0171 2345678",
        "street": "Musterweg 13",
        "postal_code": "12345",
        "city": "Musterstadt",
        "country": "DE",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/register/", form, follow=True)
    assert response.status_code == 200 and 'id="registration-done"' in response.content.decode()
    assert Customer.objects.get(email="max.betrueger@gmail.com").status == "denied"
    assert_clean(response.content.decode())
    assert_clean(
        mail.outbox[0].body.replace("max.betrueger@gmail.com", "").replace("Ablehnung", "")
    )


def test_staff_tokens_read_denial_reasons_on_the_card_and_no_one_else(
    api_as,
    admin_user,
    support_user,
    integration_user,
    vendor1_user,
    vendor1,
    customer_factory,
    listed,
):
    from standing.accounts.scoping import Actor
    from standing.customers.models import CustomerVendor
    from standing.screening import services as screening
    from standing.screening.models import Trigger

    customer = customer_factory(email=listed.email, last_name="Gelistet")
    CustomerVendor.objects.get_or_create(customer=customer, vendor=vendor1)
    screening.screen(customer, Actor.of(support_user), Trigger.REGISTRATION)
    for user in (admin_user, support_user):
        body = api_as(user).get(f"/customers/{customer.number}").json()
        assert body["status"] == "denied"
        assert {"reason": "denylist", "attribute": "email"}.items() <= body["denial_reasons"][
            0
        ].items()
    for user in (integration_user, vendor1_user):
        response = api_as(user).get(f"/customers/{customer.number}")
        assert response.status_code == 200 and "denial_reasons" not in response.json()
        assert "denylist" not in response.content.decode()
