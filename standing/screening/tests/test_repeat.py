"""Issue 9, item 8: a registration repeating an existing customer answers with that customer's
number and status instead of screening a new record (no denial by trial)."""

import time_machine

from standing.activity.models import ActivityRecord
from standing.customers.models import Customer
from standing.screening.models import Screening


def test_repeat_by_email_answers_the_same_customer(api_as, integration_user, registration):
    api = api_as(integration_user)
    first = api.post("/registrations", registration(last_name="Ablehnung"))
    assert first.status_code == 201 and first.json()["status"] == "denied"
    # Retried with the name changed: the same customer, the same status, no new screening.
    again = api.post("/registrations", registration(last_name="Schröder"))
    assert again.status_code == 201 and again.json() == first.json()
    assert Customer.objects.count() == 1 and Screening.objects.count() == 1
    attempt = ActivityRecord.objects.get(action="registration.repeated")
    assert attempt.internal and attempt.after["last_name"] == "Schröder"


def test_repeat_by_name_and_birth_date(api_as, integration_user, registration):
    api = api_as(integration_user)
    first = api.post("/registrations", registration()).json()
    again = api.post("/registrations", registration(email="other@example.de", phone="0170 1111111"))
    assert again.json()["number"] == first["number"]
    assert Customer.objects.count() == 1


def test_a_different_person_is_a_new_customer(api_as, integration_user, registration):
    api = api_as(integration_user)
    first = api.post("/registrations", registration()).json()
    other = registration(first_name="Tom", email="tom@example.de", birth_date="1991-03-14")
    assert api.post("/registrations", other).json()["number"] != first["number"]


def test_outside_the_window_is_a_new_registration(api_as, integration_user, registration, settings):
    settings.REGISTRATION_REPEAT_DAYS = 30
    api = api_as(integration_user)
    with time_machine.travel("2026-01-01 10:00 +0000"):
        first = api.post("/registrations", registration()).json()
    with time_machine.travel("2026-03-01 10:00 +0000"):
        again = api.post("/registrations", registration()).json()
    assert again["number"] != first["number"] and Customer.objects.count() == 2


def test_repeat_is_shown_to_staff_on_the_card(
    api_as, integration_user, registration, client, support_user, card_panel
):
    api = api_as(integration_user)
    number = api.post("/registrations", registration()).json()["number"]
    api.post("/registrations", registration())
    client.force_login(support_user)
    customer = Customer.objects.get(number=number)
    html = card_panel(client, customer, "activity", "?activity=all")
    assert "Registration repeated" in html
