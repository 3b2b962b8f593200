"""Error pages: German (English for English users), inside the layout with the navigation and
a way back; an HTMX request gets the message alone; an ordinary 403 is one log line."""

import logging
from datetime import date
from decimal import Decimal

import pytest
from django.test import Client, RequestFactory
from django.utils import timezone

from standing.core import error_views


@pytest.fixture
def german(settings):
    settings.LANGUAGE_CODE = "de"


def make_order(customer, vendor):
    from standing.accounts.scoping import SYSTEM
    from standing.orders import services

    return services.create_order(
        SYSTEM,
        number="B-ERR-1",
        vendor=vendor,
        customer=customer,
        amount=Decimal("236.00"),
        payment_method="invoice",
        created_at=timezone.now(),
        plan_kind="one_time",
        due=date(2026, 12, 31),
    )


def test_vendor_opening_another_vendors_order_sees_nicht_gefunden(
    german, client, customer, vendor1, vendor2_user
):
    order = make_order(customer, vendor1)
    client.force_login(vendor2_user)
    response = client.get(f"/orders/{order.number}/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Nicht gefunden" in html and "Not Found" not in html
    assert 'class="navbar' in html and "Zur Übersicht" in html
    assert order.number not in html.split("<main", 1)[1]


def test_english_user_reads_english(client, vendor2_user):
    vendor2_user.language = "en"
    vendor2_user.save()
    client.force_login(vendor2_user)
    response = client.get("/orders/B-NONE/")
    assert response.status_code == 404
    assert "Not found" in response.content.decode()


def test_forbidden_page_in_the_layout_and_logged_without_traceback(
    german, client, vendor1_user, caplog
):
    client.force_login(vendor1_user)
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.get("/settings/", HTTP_REFERER="http://testserver/customers/")
    assert response.status_code == 403
    html = response.content.decode()
    assert "Nicht erlaubt" in html and 'href="http://testserver/customers/"' in html
    records = [r for r in caplog.records if r.name == "django.request"]
    assert records and all(r.exc_info is None for r in records)


def test_htmx_error_is_only_the_message(german, client, vendor2_user):
    client.force_login(vendor2_user)
    response = client.get("/orders/B-NONE/", headers={"HX-Request": "true"})
    assert response.status_code == 404
    html = response.content.decode()
    assert 'data-error-message="Diese Seite' in html and "navbar" not in html


def test_csrf_failure_is_a_german_page(german, vendor1_user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(vendor1_user)
    response = client.post("/password/", {"old_password": "x"})
    assert response.status_code == 403
    assert "Formular abgelaufen" in response.content.decode()


def test_bad_request_and_server_error_pages(german, admin_user):
    request = RequestFactory().get("/")
    request.user = admin_user
    request.session = {}
    for view, status, title in (
        (error_views.bad_request, 400, "Ungültige Anfrage"),
        (error_views.server_error, 500, "Etwas ist schiefgelaufen"),
    ):
        response = view(request) if status == 500 else view(request, None)
        assert response.status_code == status
        assert title in response.content.decode()


def test_anonymous_404_offers_the_login(german, client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Zur Anmeldung" in response.content.decode()
