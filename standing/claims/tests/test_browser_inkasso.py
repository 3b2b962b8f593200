"""Issue 13 in a real browser: vendor1 changes the dunning option in "Inkasso (Beta)" and is
refused a second change within 30 days, with the date named; vendor2 cannot open vendor1's
settings; the collection overview draws its charts without inline styles."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from standing.accounts.models import Role, User
from standing.claims import services
from standing.vendors.models import Vendor

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def login(page, username, password):
    page.goto("/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")


def test_vendor_changes_the_option_once_in_30_days(page, live_server, settings):
    settings.LANGUAGE_CODE = "de"
    nord = Vendor.objects.create(name="Autovermietung Nord GmbH")
    sued = Vendor.objects.create(name="FitnessWelt Süd GmbH")
    User.objects.create_user("vendor1", password="vendor1-pw", role=Role.VENDOR, vendor=nord)
    User.objects.create_user("vendor2", password="vendor2-pw", role=Role.VENDOR, vendor=sued)

    login(page, "vendor1", "vendor1-pw")
    page.locator("nav").get_by_role("button", name="Inkasso", exact=True).click()
    page.locator("nav .dropdown-item", has_text="Inkasso (Beta)").click()
    expect(page.locator("h1")).to_contain_text("Inkasso (Beta)")
    assert page.url.endswith(f"/claims/settings/{nord.pk}/")
    page.locator("#id_enabled").check()
    page.locator("#dunning-option input[value=b]").check()
    page.locator("#save-settings").click()
    expect(page.locator("#messages")).to_contain_text("gespeichert")
    expect(page.locator("#dunning-option input[value=b]")).to_be_checked()
    allowed = services.today() + timedelta(days=30)
    expect(page.locator("#next-change")).to_contain_text(allowed.strftime("%d.%m.%Y"))
    expect(page.locator("#settings-history")).to_contain_text("vendor1")

    # A second change within 30 days: refused, naming the first day it is allowed.
    page.locator("#dunning-option input[value=a]").check()
    page.locator("#save-settings").click()
    refused = page.locator("#option-refused")
    expect(refused).to_contain_text("wieder geändert werden")
    expect(refused).to_contain_text(str(allowed.year))
    assert services.settings_for(nord).dunning_option == "b"

    # The overview renders its charts (CSP: no inline style).
    page.locator("nav").get_by_role("button", name="Inkasso", exact=True).click()
    page.locator("nav .dropdown-item", has_text="Übersicht Inkasso").click()
    expect(page.locator("svg.bar-chart")).to_have_count(3)

    # vendor2 cannot open vendor1's settings.
    page.context.clear_cookies()
    login(page, "vendor2", "vendor2-pw")
    answer = page.goto(f"/claims/settings/{nord.pk}/")
    assert answer.status == 404
    page.goto("/claims/settings/")
    assert page.url.endswith(f"/claims/settings/{sued.pk}/")
    expect(page.locator("h1")).to_contain_text("FitnessWelt Süd GmbH")
