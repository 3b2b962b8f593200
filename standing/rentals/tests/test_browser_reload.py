""" "Preis neu laden" asks first, in a dialog with the old and the new price."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from standing.rentals.models import Product

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_reload_price_dialog_then_confirm(
    page, support_user, order_factory, customer, vendor1, scroll_to
):
    item = order_factory(
        number="MIET-9", vendor=vendor1, customer=customer, rental=True, amount="236.00"
    ).items.get()
    Product.objects.create(
        vendor=vendor1, sku=item.sku, name=item.name, kind="rental", list_price="59.00"
    )
    page.goto("/login/")
    page.fill("#id_username", "support")
    page.fill("#id_password", "pw-support")
    page.click("form button")
    page.goto(customer.get_absolute_url())
    scroll_to("rentals")
    page.locator(f"#rentals tr[data-item='{item.pk}'] .reload-price").click()
    dialog = page.locator("#dialog #reload-price-form")
    expect(dialog.locator("#price-old")).to_contain_text("236,00")
    expect(dialog.locator("#price-new")).to_contain_text("59,00")
    expect(dialog.locator("#order-unchanged")).to_contain_text("MIET-9")
    item.refresh_from_db()
    assert item.price == Decimal("236.00")
    dialog.locator("#reload-submit").click()
    expect(page.locator("#rentals tr[data-item] td.text-end").first).to_contain_text("59,00")
    item.refresh_from_db()
    assert item.price == Decimal("59.00")
