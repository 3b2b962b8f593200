"""Issue 13 item 7 (the board's part) in a real browser: vendor1 sees only their claims,
filters (HTMX), downloads the CSV and gets exactly the filtered rows, approves a claim on hold;
vendor2 never sees vendor1's claims."""

import csv
import io
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import expect

from standing.accounts.models import Role, User
from standing.claims.models import Claim, ClaimStatus

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
S = ClaimStatus


def log_in(page, url, username, password):
    page.goto(f"{url}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("main form button")


def test_vendor_board_filter_download_approve(
    page, live_server, vendor1, vendor2, make_claim, customer_factory
):
    User.objects.create_user("v1", password="v1-pw-123", role=Role.VENDOR, vendor=vendor1)
    User.objects.create_user("v2", password="v2-pw-123", role=Role.VENDOR, vendor=vendor2)
    letters = {"first_letter_on": date(2026, 2, 7), "second_letter_on": date(2026, 2, 21)}
    erika = customer_factory(vendor=vendor1, first_name="Erika", last_name="Mustermann")
    make_claim(vendor=vendor1, number="W-OPEN")
    held = make_claim(vendor=vendor1, number="W-HOLD", status=S.ON_HOLD, **letters)
    make_claim(vendor=vendor1, number="W-ERIKA", status=S.DUNNING_1, customer=erika, **letters)
    make_claim(vendor=vendor2, number="W-THEIRS", status=S.ON_HOLD, **letters)

    log_in(page, live_server.url, "v1", "v1-pw-123")
    page.locator("nav").get_by_role("button", name="Inkasso", exact=True).click()
    page.locator("nav").get_by_role("link", name="Anzeige Tafel").click()
    expect(page.locator("h1")).to_have_text("Anzeige Tafel")
    table = page.locator("#board-table")
    for number in ("W-OPEN", "W-HOLD", "W-ERIKA"):
        expect(table.locator(f"tr[data-order='{number}']")).to_be_visible()
    expect(table.locator("tr[data-order='W-THEIRS']")).to_have_count(0)

    # Filter by last name: the results are swapped in by HTMX.
    page.fill("input[name=q]", "Mustermann")
    expect(table.locator("tbody tr[data-order]")).to_have_count(1)
    expect(page.locator("#board-table tr[data-order='W-ERIKA']")).to_be_visible()
    with page.expect_download() as download:
        page.click("#download-csv")
    text = Path(download.value.path()).read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["order_id"] for r in rows] == ["W-ERIKA"]
    assert rows[0]["incasso_state"] == "blocked" and rows[0]["first_dunning_letter"] == "02/07/2026"

    # Approve the claim on hold.
    page.fill("input[name=q]", "")
    page.select_option("select[name=status]", "on_hold")
    row = page.locator("#board-table tr[data-order='W-HOLD']")
    expect(page.locator("#board-table tbody tr[data-order]")).to_have_count(1)
    row.locator("button[data-action=approve]").click()
    expect(page.locator("#messages .alert-success")).to_contain_text("W-HOLD")
    assert Claim.objects.get(pk=held.pk).status == S.SENT_FOR_COLLECTION

    # vendor2 never sees vendor1's claims.
    page.context.clear_cookies()
    log_in(page, live_server.url, "v2", "v2-pw-123")
    page.goto(f"{live_server.url}/collection/?status=all")
    expect(page.locator("#board-table tr[data-order='W-THEIRS']")).to_be_visible()
    for number in ("W-OPEN", "W-HOLD", "W-ERIKA"):
        expect(page.locator(f"#board-table tr[data-order='{number}']")).to_have_count(0)
    page.fill("input[name=q]", "W-")
    expect(page.locator("#board-table tbody tr[data-order]")).to_have_count(1)
