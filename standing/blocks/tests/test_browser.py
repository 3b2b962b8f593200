"""The card's "Sperren" and "Entsperren" dialogs in a real browser (HTMX, Bootstrap modal)."""

import pytest
from playwright.sync_api import expect

from standing.accounts.models import Role, User
from standing.blocks.models import Block, BlockStatus
from standing.customers.models import Customer

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_block_and_unblock_through_the_dialogs(page, live_server):
    User.objects.create_user("support", password="support-pw", role=Role.SUPPORT)
    customer = Customer.objects.create(number="K-000042", first_name="Anna", last_name="Weber")
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", "support")
    page.fill("input[name=password]", "support-pw")
    page.click("main form button")
    page.goto(f"{live_server.url}{customer.get_absolute_url()}")
    # The clear button asks for confirmation instead of the old double click.
    confirmations = []
    page.on("dialog", lambda d: (confirmations.append(d.message), d.accept()))

    page.click("#block-button")
    form = page.locator("#dialog #block-form")
    expect(form).to_be_visible()
    form.locator("select[name=duration]").select_option("indefinite")
    form.locator("#block-submit").click()
    # An indefinite block without a message is refused inside the dialog.
    expect(page.locator("#dialog #block-form .invalid-feedback")).to_be_visible()
    assert not Block.objects.exists()
    page.locator("#dialog textarea[name=note]").fill("Hausverbot nach Vorfall")
    page.locator("#dialog #block-submit").click()
    expect(page.locator("#block-badge.bg-danger")).to_be_visible()
    assert Block.objects.get().note == "Hausverbot nach Vorfall"
    assert any("K-000042" in message for message in confirmations)

    page.click(".lift-button")
    expect(page.locator("#dialog #lift-form")).to_be_visible()
    page.locator("#dialog textarea[name=reason]").fill("Vorfall geklärt")
    page.locator("#dialog #lift-submit").click()
    expect(page.locator("#block-badge.bg-danger")).to_have_count(0)
    assert Block.objects.get().status == BlockStatus.LIFTED


def test_block_dialog_shows_the_end_only_for_until_and_keeps_the_typed_day(page, live_server):
    User.objects.create_user(
        "support", password="support-pw", role=Role.SUPPORT, first_name="Jonas", last_name="Becker"
    )
    customer = Customer.objects.create(number="K-000043", first_name="Eva", last_name="Klein")
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", "support")
    page.fill("input[name=password]", "support-pw")
    page.click("main form button")
    page.goto(f"{live_server.url}{customer.get_absolute_url()}")
    page.on("dialog", lambda d: d.accept())

    page.click("#block-button")
    form = page.locator("#dialog #block-form")
    expect(form).to_be_visible()
    expect(form.locator("select[name=staff] option:checked")).to_have_text("Jonas Becker")
    expect(form.locator("input[name=until_date]")).to_be_hidden()
    form.locator("select[name=duration]").select_option("until")
    expect(form.locator("input[name=until_date]")).to_be_visible()
    expect(form.locator("input[name=until_time]")).to_be_visible()
    form.locator("input[name=until_date]").fill("2020-01-01")
    form.locator("#block-submit").click()
    error = page.locator("#dialog #block-form .invalid-feedback")
    expect(error).to_contain_text("01.01.2020")  # the browser asks for German
    expect(page.locator("#dialog input[name=until_date]")).to_have_value("2020-01-01")
    # The refused form keeps the chosen duration, so its end stays visible.
    expect(page.locator("#dialog input[name=until_date]")).to_be_visible()
    page.locator("#dialog select[name=duration]").select_option("5d")
    expect(page.locator("#dialog input[name=until_date]")).to_be_hidden()
    page.locator("#dialog input[name=until_date]").evaluate("el => el.value = ''")
    page.locator("#dialog #block-submit").click()
    expect(page.locator("#block-badge.bg-danger")).to_be_visible()
    assert Block.objects.get().customer == customer

    page.click(".lift-button")
    expect(page.locator("#dialog #lift-form")).to_be_visible()
    page.locator("#dialog #lift-submit").click()
    # The empty reason is refused by the server, inside the dialog.
    expect(page.locator("#dialog #lift-form .invalid-feedback")).to_be_visible()
    assert Block.objects.get().status == BlockStatus.ACTIVE
