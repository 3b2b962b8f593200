"""The card's take-back and the order page's manual payment, in a real browser."""

from datetime import date

import pytest

from standing.orders.models import Order, OrderItem

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_take_back_and_record_a_payment(
    page, live_server, support_user, order_factory, customer, scroll_to
):
    support_user.language = "en"
    support_user.save()
    order = order_factory(number="MIET-7", customer=customer, rental=True, amount="210.00")
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "support")
    page.fill("#id_password", "pw-support")
    page.click("form button")
    page.wait_for_selector("#overview")  # staff land on the start page
    page.goto(f"{live_server.url}{customer.get_absolute_url()}")
    scroll_to("rentals")
    row = page.locator("#rentals tr[data-item]")
    row.wait_for()
    assert "Kleinwagen" in row.inner_text()
    row.locator("input[name=returned_on]").fill("2026-01-09")
    row.get_by_role("button", name="Take back").click()
    page.wait_for_selector("#rentals .badge.bg-success")
    assert OrderItem.objects.get(order=order).returned_on == date(2026, 1, 9)

    page.goto(f"{live_server.url}/orders/MIET-7/")
    page.select_option("#id_type", "payment_received")
    page.fill("#id_date", "2026-01-15")
    page.fill("#id_amount", "210.00")
    page.get_by_role("button", name="Record").click()
    page.wait_for_selector("#events .list-group-item >> text=Payment received")
    assert Order.objects.get(number="MIET-7").status == "paid"
    assert "€210.00" in page.locator("[data-field=paid]").inner_text()
