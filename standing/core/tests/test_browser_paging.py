"""Paging in a real browser: "›" reaches the second page of the customer list, with other rows,
and keeps the filter."""

import pytest
from playwright.sync_api import expect

from standing.accounts.models import Role, User
from standing.accounts.scoping import SYSTEM
from standing.customers import services

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_next_page_shows_the_next_rows(page):
    User.objects.create_user("support", password="Geheim-123", role=Role.SUPPORT)
    for n in range(30):
        services.create_customer(SYSTEM, first_name="Paula", last_name=f"Seite{n:02d}")
    services.create_customer(SYSTEM, first_name="Otto", last_name="Anders")
    page.goto("/login/")
    page.fill("#id_username", "support")
    page.fill("#id_password", "Geheim-123")
    page.click("button[type=submit]")
    page.goto("/customers/?q=Paula")
    rows = page.locator("#customer-table tbody tr")
    expect(rows).to_have_count(25)
    first_page = set(rows.all_inner_texts())
    page.locator(".pagination a", has_text="›").click()
    expect(page.locator(".pagination .disabled")).to_contain_text("2 / 2")
    expect(rows).to_have_count(5)
    second_page = set(rows.all_inner_texts())
    assert not first_page & second_page
    assert all("Paula" in row for row in second_page)
    assert "page=2" in page.url and "q=Paula" in page.url and "??" not in page.url
    page.locator(".pagination a", has_text="‹").click()
    expect(page.locator(".pagination .disabled")).to_contain_text("1 / 2")
