from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from standing.core.tick import run_tick
from standing.payments import services
from standing.payments.models import LinkStatus


@pytest.fixture
def link(customer, support):
    return services.create_link(customer, Decimal("150.00"), "Kaution K-000001", support)


def test_page_shows_amount_and_purpose_and_pays(client, link):
    url = f"/pay/{link.token}/"
    assert link.payment_url.endswith(url)
    html = client.get(url).content.decode()
    assert "150" in html and "Kaution K-000001" in html and 'id="pay-success"' in html
    response = client.post(url, {"outcome": "success"})
    assert response.status_code == 302
    link.refresh_from_db()
    assert link.status == LinkStatus.PAID and link.paid_at
    html = client.get(url).content.decode()
    assert 'data-status="paid"' in html and 'id="pay-success"' not in html
    client.post(url, {"outcome": "success"})
    assert link.customer.activity.filter(action="payment_link.paid").count() == 1


def test_failure_and_bad_outcome(client, link):
    url = f"/pay/{link.token}/"
    client.post(url, {"outcome": "maybe"})
    link.refresh_from_db()
    assert link.status == LinkStatus.CREATED
    client.post(url, {"outcome": "failure"})
    link.refresh_from_db()
    assert link.status == LinkStatus.FAILED


def test_unknown_token_is_404(client, db):
    assert client.get("/pay/nope/").status_code == 404
    assert client.post("/pay/nope/", {"outcome": "success"}).status_code == 404


def test_expired_link_cannot_be_paid(client, link):
    with time_machine.travel(timezone.now() + timedelta(days=15)):
        html = client.get(f"/pay/{link.token}/").content.decode()
        assert 'id="pay-success"' not in html
        client.post(f"/pay/{link.token}/", {"outcome": "success"})
    link.refresh_from_db()
    assert link.status == LinkStatus.EXPIRED


def test_tick_expires_open_links_once(link):
    later = timezone.now() + timedelta(days=15)
    assert "payment links expired: 1" in run_tick(later)
    assert not any("payment links" in line for line in run_tick(later))
    link.refresh_from_db()
    assert link.status == LinkStatus.EXPIRED


def test_sandbox_page_refuses_paypal_links(client, link):
    type(link).objects.filter(pk=link.pk).update(provider="paypal")
    client.post(f"/pay/{link.token}/", {"outcome": "success"})
    link.refresh_from_db()
    assert link.status == LinkStatus.CREATED
