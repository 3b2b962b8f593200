"""A denied customer is offered a deposit through the card's dialog, pays on the sandbox page,
and the card shows VERIFIED with the receipt among the documents ("Belege")."""

import pytest
from playwright.sync_api import expect

from standing.accounts.models import Role, User
from standing.customers.lifecycle import transition
from standing.customers.models import CustomerStatus


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_deposit_offer_paid_on_sandbox_page_verifies(
    page, live_server, customer_factory, scroll_to
):
    User.objects.create_user("agent", password="agent-pw-2026", role=Role.SUPPORT)
    customer = customer_factory(first_name="Dora", last_name="Denied")
    transition(customer, CustomerStatus.DENIED, None)

    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "agent")
    page.fill("#id_password", "agent-pw-2026")
    page.locator("form button.btn-primary").click()
    page.wait_for_selector("#overview")  # staff land on the start page

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
    scroll_to("documents-billing")  # the lazy panel's placeholder
    documents = page.locator("#billing-documents")
    expect(documents).to_contain_text("QU-")
    expect(documents.locator("a[href$='/pdf/']")).to_have_count(1)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_deposit_dialog_from_the_denied_list_returns_to_the_list(
    page, live_server, customer_factory
):
    from standing.deposits.models import DepositOffer

    User.objects.create_user("agent", password="agent-pw-2026", role=Role.SUPPORT)
    customer = customer_factory(first_name="Dora", last_name="Denied")
    transition(customer, CustomerStatus.DENIED, None)
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "agent")
    page.fill("#id_password", "agent-pw-2026")
    page.locator("form button.btn-primary").click()

    page.goto(f"{live_server.url}/denied/?q=Denied")
    row = page.locator("#denied-table tbody tr", has_text=customer.number)
    offer = row.locator("[data-action=offer]")
    expect(offer).to_have_text("Kaution anbieten")  # labelled, in the browser's German
    offer.click()
    form = page.locator("#dialog #offer-form")
    expect(form).to_be_visible()
    form.locator("#id_amount").fill("0")
    form.locator("#offer-submit").click()
    expect(page.locator("#dialog #offer-form .invalid-feedback")).to_be_visible()
    page.locator("#dialog #id_amount").fill("80.00")
    page.locator("#dialog #offer-submit").click()
    page.wait_for_url(f"{live_server.url}/denied/?q=Denied")
    expect(page.locator("#messages .alert-success")).to_be_visible()
    assert DepositOffer.objects.get().customer == customer
