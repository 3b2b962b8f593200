import re

import pytest
from playwright.sync_api import expect

from standing.accounts.models import Role, User
from standing.accounts.scoping import SYSTEM
from standing.customers import services

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_login_search_edit_see_activity_switch_language(page, settings, scroll_to):
    settings.LANGUAGE_CODE = "de"
    User.objects.create_user("support", password="Geheim-123", role=Role.SUPPORT)
    customer = services.create_customer(
        SYSTEM,
        first_name="Jürgen",
        last_name="Schäfer",
        email="js@example.de",
        street="Lindenstraße 4",
        postal_code="04109",
        city="Leipzig",
    )
    services.create_customer(SYSTEM, first_name="Anna", last_name="Weber")

    page.goto("/login/")
    page.fill("#id_username", "support")
    page.fill("#id_password", "Geheim-123")
    page.click("button[type=submit]")
    expect(page.locator("h1")).to_have_text("Übersicht")
    page.locator("nav .nav-link", has_text="Kunden").click()
    expect(page.locator("h1")).to_have_text("Kunden")

    page.fill("input[name=q]", "schaefer")
    rows = page.locator("#customer-table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Schäfer")
    rows.first.locator("a").first.click()
    expect(page.locator("#customer-number")).to_have_text(customer.number)

    scroll_to("activity")  # below the fold: it loads when it scrolls into view
    expect(page.locator("#activity-list")).to_contain_text("Kunde angelegt")
    page.click("#edit-button")
    page.fill("#id_city", "Dresden")
    page.fill("#id_postal_code", "01067")
    page.fill("#id_phone", "0351 1234567")
    page.click("#masterdata-form button[type=submit]")
    expect(page.locator("#masterdata [data-field=address]")).to_contain_text("01067 Dresden")
    expect(page.locator("#masterdata [data-field=phone]")).to_have_text("+49 351 1234567")
    activity = page.locator("#activity-list")  # refreshed after the edit
    expect(activity).to_contain_text("Stammdaten geändert")
    expect(activity).to_contain_text("Leipzig")
    expect(activity).to_contain_text("Dresden")

    page.select_option("#language-form select", "en")
    expect(page.locator("#card-header")).to_contain_text("Customer card")
    expect(page.locator("nav")).to_contain_text("Customers")
    assert re.search(r"/customers/K-\d+/", page.url)
    assert User.objects.get(username="support").language == "en"
