"""The customer's own page shows their due payments and an open deposit with its pay link."""

from decimal import Decimal

from standing.accounts.models import Role, User
from standing.customers.lifecycle import transition
from standing.customers.models import CustomerStatus
from standing.deposits import services as deposits


def _login_as_customer(client, customer):
    user = User.objects.create_user(customer.number, password="pw", role=Role.CUSTOMER)
    customer.user = user
    customer.save(update_fields=["user"])
    client.force_login(user)


def test_me_shows_own_open_payments_and_deposit_link(
    client, order_factory, customer_factory, support
):
    mine = customer_factory()
    order_factory(customer=mine, number="MEIN-1", amount="120.00")
    order_factory(number="FREMD-1")  # another customer's order
    transition(mine, CustomerStatus.DENIED, support)
    offer = deposits.offer_deposit(mine, support, Decimal("150.00"), "receipt", "deposit", True)
    _login_as_customer(client, mine)
    html = client.get("/me/").content.decode()
    assert "MEIN-1" in html and "FREMD-1" not in html
    assert 'id="my-payment-link"' in html and offer.payment_link.payment_url in html
    assert "credit:" not in html and "denylist:" not in html and "score" not in html


def test_staff_panels_are_not_on_the_customer_page(client, customer_factory):
    customer = customer_factory()
    _login_as_customer(client, customer)
    html = client.get("/me/").content.decode()
    assert 'id="open-payments"' not in html and 'id="my-open-payments"' in html
