"""The claim pages in a real browser: support finds a claim, sees its timeline, letters and
ledger, pauses it with a date and a reason, comments internally and for the vendor, and
downloads a letter; the vendor sees its comment but never the internal one."""

from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from standing.claims import run as dunning
from standing.claims.models import Claim, ClaimComment, Letter

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def login(page, username):
    page.context.clear_cookies()
    page.goto("/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", f"pw-{username}")
    page.click("main form button")


def test_support_works_a_claim_and_the_vendor_sees_only_its_comment(
    page, collection, make_order, event, customer_factory, vendor1, support_user, vendor1_user
):
    collection(first_letter_after_days=0, auto_handover=True)
    customer = customer_factory(vendor=vendor1, first_name="Ayşe", last_name="Łukasz")
    order = make_order(customer=customer)
    event(order, "payment_failed", date(2026, 1, 31), installment=1, fee="3.00")
    dunning.run(date(2026, 3, 2))  # commits: the letter is rendered after the run
    claim = Claim.objects.get(order=order)
    letter = Letter.objects.get(claim=claim)
    assert letter.pdf

    login(page, "support")
    page.goto("/claims/?status=all")
    page.get_by_role("link", name="Ayşe Łukasz").click()
    expect(page).to_have_url(f"{page.url.split('/claims/')[0]}/claims/{claim.pk}/")
    expect(page.locator("h1")).to_contain_text(order.number)
    expect(page.locator("#timeline li")).not_to_have_count(0)
    expect(page.locator("#letters tbody tr")).to_have_count(1)
    expect(page.locator("#ledger tbody").first).to_contain_text("02.03.2026")

    # Pause with a date and a reason (a payment deferral).
    until = date.today() + timedelta(days=14)
    page.click("summary[data-action=pause]")
    pause = page.locator("form[action$='/actions/pause/']")
    pause.locator("input[name=until]").fill(until.isoformat())
    pause.locator("input[name=reason]").fill("Stundung vereinbart")
    pause.locator("button").click()
    expect(page.locator("main")).to_contain_text("Stundung vereinbart")
    claim.refresh_from_db()
    assert claim.paused_until == until and claim.pause_reason == "Stundung vereinbart"

    # Two comments: one internal, one for the vendor.
    comments = page.locator("#comments form")
    comments.locator("textarea[name=text]").fill("Intern: Kundin rief an")
    comments.locator("select[name=visibility]").select_option("internal")
    comments.locator("button").click()
    expect(page.locator("#comments")).to_contain_text("Intern: Kundin rief an")
    comments = page.locator("#comments form")
    comments.locator("textarea[name=text]").fill("Für den Händler: Ratenzahlung vereinbart")
    comments.locator("select[name=visibility]").select_option("vendor")
    comments.locator("button").click()
    expect(page.locator("#comments")).to_contain_text("Ratenzahlung vereinbart")
    assert ClaimComment.objects.filter(claim=claim).count() == 2

    # The letter's PDF, with the session of the browser.
    href = page.locator("#letters a", has_text="PDF").get_attribute("href")
    response = page.context.request.get(href)
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")

    login(page, "vendor1")
    page.goto(f"/claims/{claim.pk}/")
    expect(page.locator("#comments")).to_contain_text("Ratenzahlung vereinbart")
    expect(page.locator("#comments")).not_to_contain_text("Intern: Kundin rief an")
