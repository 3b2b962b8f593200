"""Every page of the navigation, and every panel of a few real cards, answers without a server
error for every role, on the demo data."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from standing.accounts.models import User
from standing.customers.models import Customer
from standing.orders.models import Order

PAGES = [
    "/customers/",
    "/blocks/",
    "/denied/",
    "/denied/?tab=review",
    "/denylist/",
    "/orders/",
    "/interest/",
    "/interest/?principal=1000.00&debtor=business&from=2025-01-01&to=2026-12-31",
    "/tasks/",
    "/settings/",
    "/me/",
    "/register/",
    "/password/",
]


@pytest.fixture
def demo(db):
    call_command("demo", stdout=io.StringIO())


@pytest.mark.parametrize("username", ["admin", "support", "vendor1", "vendor2"])
def test_pages_and_cards_answer_for_every_role(client, demo, username):
    client.force_login(User.objects.get(username=username))
    for path in PAGES:
        response = client.get(path)
        assert response.status_code in (200, 302, 403, 404), (path, response.status_code)
    cards = [c.get_absolute_url() for c in Customer.objects.order_by("?")[:12]]
    orders = [reverse("orders:detail", args=[o.number]) for o in Order.objects.all()[:5]]
    for path in cards + orders:
        response = client.get(path)
        assert response.status_code in (200, 404), (path, response.status_code)
    if username in ("admin", "support"):
        assert all(client.get(path).status_code == 200 for path in cards)
