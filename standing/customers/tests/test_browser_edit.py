"""Click paths of a clerk: an edit with an error shows it under its field (HTMX 4xx swap)."""

import re

import pytest
from playwright.sync_api import expect

from standing.accounts.models import Role, User
from standing.accounts.scoping import SYSTEM
from standing.customers import services
from standing.customers.models import Customer

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def login(page, username, password):
    page.goto("/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")


def test_edit_with_an_error_shows_it_under_the_field_and_saves_nothing(page, settings):
    settings.LANGUAGE_CODE = "de"
    User.objects.create_user("support", password="Geheim-123", role=Role.SUPPORT)
    customer = services.create_customer(
        SYSTEM, first_name="Jürgen", last_name="Schäfer", postal_code="04109", city="Leipzig"
    )
    login(page, "support", "Geheim-123")
    page.goto(customer.get_absolute_url())
    page.click("#edit-button")
    page.fill("#id_postal_code", "0410")
    page.fill("#id_phone", "abc")
    page.click("#masterdata-form button[type=submit]")
    form = page.locator("#masterdata-form")
    expect(form.locator("#id_postal_code")).to_have_class(re.compile("is-invalid"))
    expect(form.locator("#id_phone")).to_have_class(re.compile("is-invalid"))
    expect(form.locator(".invalid-feedback")).to_have_count(2)
    assert Customer.objects.get(pk=customer.pk).postal_code == "04109"
    # Corrected, it saves and the card shows the new value.
    page.fill("#id_postal_code", "01067")
    page.fill("#id_phone", "0351 1234567")
    page.click("#masterdata-form button[type=submit]")
    expect(page.locator("#masterdata [data-field=address]")).to_contain_text("01067")


def test_a_refused_htmx_action_shows_its_message(page, settings):
    settings.LANGUAGE_CODE = "de"
    User.objects.create_user("support", password="Geheim-123", role=Role.SUPPORT)
    customer = services.create_customer(SYSTEM, first_name="Anna", last_name="Weber")
    login(page, "support", "Geheim-123")
    page.goto(customer.get_absolute_url())
    # The record disappears behind the clerk's back: the next HTMX request answers 404.
    Customer.objects.filter(pk=customer.pk).update(number="K-GONE")
    page.click("#edit-button")
    expect(page.locator("#messages [data-htmx-error]")).to_contain_text("nicht sichtbar")
