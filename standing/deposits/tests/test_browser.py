"""A denied customer is offered a deposit through the card's dialog, pays on the sandbox page,
and the card shows VERIFIED with the receipt among the documents ("Belege")."""

import pytest
from playwright.sync_api import expect, sync_playwright

from standing.accounts.models import Role, User
from standing.customers.lifecycle import transition
from standing.customers.models import CustomerStatus

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def browser_page(live_server, settings, monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True
    settings.SITE_URL = live_server.url
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS
        )
        page = browser.new_page()
        page.set_default_timeout(8000)
        yield page
        browser.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_deposit_offer_paid_on_sandbox_page_verifies(browser_page, live_server, customer_factory):
    User.objects.create_user("agent", password="agent-pw-2026", role=Role.SUPPORT)
    customer = customer_factory(first_name="Dora", last_name="Denied")
    transition(customer, CustomerStatus.DENIED, None)
    page = browser_page

    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "agent")
    page.fill("#id_password", "agent-pw-2026")
    page.locator("form button.btn-primary").click()
    page.wait_for_url(f"{live_server.url}/customers/")

    page.goto(f"{live_server.url}/customers/{customer.number}/")
    page.click("#offer-button")
    form = page.locator("#dialog #offer-form")
    expect(form).to_be_visible()
    form.locator("#id_amount").fill("150.00")
    form.locator("#id_billing_step").select_option("receipt")
    form.locator("#id_cost_type").select_option("deposit")
    expect(form.locator("#id_payment_link")).to_be_checked()
    form.locator("#offer-submit").click()

    link = page.locator("#payment-link")
    expect(link).to_be_visible()
    page.goto(link.get_attribute("href"))
    expect(page.locator("#amount")).to_contain_text("150")
    page.click("#pay-success")
    expect(page.locator("#payment-status")).to_have_attribute("data-status", "paid")

    page.goto(f"{live_server.url}/customers/{customer.number}/")
    expect(page.locator("#card-header [data-status]")).to_have_attribute("data-status", "verified")
    documents = page.locator("#billing-documents")
    expect(documents).to_contain_text("QU-")
    expect(documents.locator("a[href$='/pdf/']")).to_have_count(1)
