"""The Zinsrechner in a real browser: the form, HTMX results, the German figures."""

import pytest
from playwright.sync_api import expect

from standing.accounts.models import Role, User
from standing.vendors.models import Vendor

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_calculate_through_the_page(page, live_server, settings):
    settings.LANGUAGE_CODE = "de"
    vendor = Vendor.objects.create(name="Autovermietung Nord GmbH")
    User.objects.create_user("vendor1", password="vendor1-pw", role=Role.VENDOR, vendor=vendor)
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", "vendor1")
    page.fill("input[name=password]", "vendor1-pw")
    page.click("main form button")
    page.get_by_role("link", name="Zinsrechner").click()
    form = page.locator("#interest-form")
    form.locator("input[name=principal]").fill("10000.00")
    form.locator("select[name=debtor]").select_option("business")
    form.locator("input[name=from]").fill("2023-05-01")
    form.locator("input[name=to]").fill("2024-08-31")
    form.locator("#interest-submit").click()
    # Hand-checked in test_vectors.test_a_period_across_three_changes.
    expect(page.locator("#interest-total")).to_have_text("1.625,56\u00a0€")
    expect(page.locator("#interest-flat-fee")).to_have_text("40,00\u00a0€")
    expect(page.locator("#interest-pieces tbody tr")).to_have_count(4)
    assert "to=2024-08-31" in page.url  # the figure can be bookmarked and shared

    # The last day before the first: the message, and no figure.
    form.locator("input[name=to]").fill("2023-04-30")
    form.locator("#interest-submit").click()
    expect(page.locator("#interest-errors")).to_contain_text(
        "Der letzte Tag darf nicht vor dem ersten Tag liegen."
    )
    expect(page.locator("#interest-result")).to_have_count(0)
