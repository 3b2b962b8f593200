"""Merge and erase from the card in a real browser: pick by search, take a value with the
arrow, see the preview, merge; then erase behind the confirmation."""

import pytest
from playwright.sync_api import expect

from standing.accounts.models import Role, User
from standing.customers.models import Customer, CustomerStatus, Note

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_merge_then_erase(page, live_server):
    User.objects.create_user("support", password="support-pw", role=Role.SUPPORT)
    keep = Customer.objects.create(
        number="K-000101", first_name="Jana", last_name="Eins", email="jana@example.de"
    )
    other = Customer.objects.create(
        number="K-000102", first_name="Jana", last_name="Zweifel", email="jana.z@example.de"
    )
    Note.objects.create(customer=other, text="Rückruf erbeten")
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", "support")
    page.fill("input[name=password]", "support-pw")
    page.click("main form button")
    page.goto(f"{live_server.url}{keep.get_absolute_url()}")

    page.click("#action-merge")
    page.fill("input[name=q]", "Zweifel")
    page.locator("main form button").first.click()
    page.locator("#merge-results a", has_text="Auswählen").click()
    expect(page.locator("#merge-moves")).to_contain_text("1")
    page.click("label[for=take-email]")
    page.click("#merge-submit")
    expect(page.locator("[data-field=email]")).to_have_text("jana.z@example.de")
    keep.refresh_from_db()
    other.refresh_from_db()
    assert keep.email == "jana.z@example.de" and keep.last_name == "Eins"
    assert other.status == CustomerStatus.MERGED and keep.notes.count() == 1
    page.goto(f"{live_server.url}{other.get_absolute_url()}")
    expect(page.locator("#customer-number")).to_have_text("K-000101")

    page.click("#action-erase")
    expect(page.locator("#erase-deleted")).to_be_visible()
    page.check("#erase-confirm")
    page.click("#erase-submit")
    expect(page.locator("#erased-note")).to_be_visible()
    keep.refresh_from_db()
    assert keep.status == CustomerStatus.DELETED and keep.email == ""
