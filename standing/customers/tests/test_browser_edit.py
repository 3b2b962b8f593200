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
    # The four mistakes of a first day: future birth date, IBAN typo, four-digit postal
    # code, "abc" as a phone number. Each is said under its field, in German.
    page.fill("#id_birth_date", "2099-01-01")
    page.fill("#id_iban", "DE89370400440532013001")
    page.fill("#id_postal_code", "0410")
    page.fill("#id_phone", "abc")
    page.click("#masterdata-form button[type=submit]")
    form = page.locator("#masterdata-form")
    for field in ("birth_date", "iban", "postal_code", "phone"):
        expect(form.locator(f"#id_{field}")).to_have_class(re.compile("is-invalid"))
    expect(form.locator(".invalid-feedback")).to_have_count(4)
    expect(form).to_contain_text("Prüfziffern")
    page.fill("#id_birth_date", "1980-05-01")
    page.fill("#id_iban", "DE89370400440532013000")
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


def test_lazy_panels_arrive_when_scrolled_to_and_their_actions_work(page, settings, scroll_to):
    settings.LANGUAGE_CODE = "de"
    User.objects.create_user("support", password="Geheim-123", role=Role.SUPPORT)
    customer = services.create_customer(SYSTEM, first_name="Lena", last_name="Vogel")
    login(page, "support", "Geheim-123")
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(customer.get_absolute_url())
    # Below the fold the activity is a placeholder until it scrolls into view.
    activity = page.locator("#activity")
    expect(activity).to_have_class(re.compile("lazy-panel"))
    expect(page.locator("#activity-list")).to_have_count(0)
    scroll_to("activity")
    expect(page.locator("#activity-list li").first).to_be_visible()
    expect(page.locator("#activity")).not_to_have_class(re.compile("lazy-panel"))
    # An action inside a lazy panel: the note form posts, the card comes back at #notes,
    # which loads in view and shows the note.
    scroll_to("notes")
    page.locator("#notes textarea[name=text]").fill("Bitte nur vormittags anrufen.")
    page.locator("#notes button").click()
    expect(page.locator("#notes")).to_contain_text("Bitte nur vormittags anrufen.")
    # A loaded lazy panel still refreshes after an HTMX action elsewhere on the card.
    scroll_to("activity")
    expect(page.locator("#activity-list")).to_contain_text("vormittags")
    page.click("#edit-button")
    page.fill("#id_city", "Hamburg")
    page.click("#masterdata-form button[type=submit]")
    expect(page.locator("#masterdata [data-field=address]")).to_contain_text("Hamburg")
    expect(page.locator("#activity-list")).to_contain_text("Hamburg")
