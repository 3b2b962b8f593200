"""Order pages and the card's order panels, for staff, vendors and roles without access."""

from datetime import date

import pytest
import time_machine

from standing.orders.models import Order, PaymentEvent


@pytest.fixture
def two_orders(order_factory, customer, vendor1, vendor2, deliver):
    nord = order_factory(
        number="NORD-1", vendor=vendor1, customer=customer, amount="300.00", count=3
    )
    sued = order_factory(number="SUED-1", vendor=vendor2, customer=customer, amount="45.00")
    deliver(nord, "payment_received", amount="100.00")
    deliver(nord, "payment_failed", installment=2)
    return nord, sued


def test_list_filters_and_fragment(login, support_user, two_orders, vendor2):
    client = login(support_user)
    html = client.get("/orders/").content.decode()
    assert "NORD-1" in html and "SUED-1" in html
    html = client.get("/orders/", {"vendor": vendor2.pk}).content.decode()
    assert "SUED-1" in html and "NORD-1" not in html
    html = client.get("/orders/", {"q": "nord"}).content.decode()
    assert "NORD-1" in html and "SUED-1" not in html
    with time_machine.travel(date(2026, 3, 5)):
        html = client.get("/orders/", {"overdue": "1"}, headers={"HX-Request": "true"})
    html = html.content.decode()
    assert "NORD-1" in html and "SUED-1" in html and "<form" not in html
    assert "€100.00 overdue since 28.02.2026" in html
    response = client.get("/orders/", {"status": "x'--", "vendor": "abc", "page": "-1"})
    assert response.status_code == 200


def test_vendor_sees_only_its_orders(login, vendor1_user, two_orders):
    client = login(vendor1_user)
    html = client.get("/orders/").content.decode()
    assert "NORD-1" in html and "SUED-1" not in html
    assert client.get("/orders/SUED-1/").status_code == 404
    assert client.post("/orders/SUED-1/events/", {"type": "refund"}).status_code == 404
    assert client.get("/orders/NORD-1/").status_code == 200


def test_roles_without_access(login, integration_user, two_orders):
    client = login(integration_user)
    assert client.get("/orders/").status_code == 403
    assert client.get("/orders/NORD-1/").status_code == 403


def test_detail_shows_installments_and_timeline(login, support_user, two_orders):
    html = login(support_user).get("/orders/NORD-1/").content.decode()
    assert "Installments" in html and "Payment received" in html and "Payment failed" in html
    assert "€100.00" in html and "€200.00" in html


def test_record_an_event_by_hand(login, support_user, two_orders):
    client = login(support_user)
    form = {
        "type": "payment_received",
        "date": "2026-02-10",
        "amount": "100.00",
        "installment": "2",
    }
    response = client.post("/orders/NORD-1/events/", form)
    assert response.status_code == 302
    order = Order.objects.get(number="NORD-1")
    assert str(order.paid_amount) == "200.00"
    assert PaymentEvent.objects.filter(order=order, event_id__startswith="manual-").count() == 1
    # Too much: refused with the reason on the page, nothing changed.
    too_much = {**form, "amount": "500.00"}
    response = client.post("/orders/NORD-1/events/", too_much)
    assert response.status_code == 400 and "more than" in response.content.decode()
    bad = client.post("/orders/NORD-1/events/", {"type": "nonsense", "date": "x"})
    assert bad.status_code == 400
    assert Order.objects.get(number="NORD-1").paid_amount == order.paid_amount


def test_card_panels_follow_the_vendor_scope(
    login, support_user, vendor2_user, customer, two_orders, card_panel
):
    def panels(client):
        return card_panel(client, customer, "orders") + card_panel(
            client, customer, "open_payments"
        )

    with time_machine.travel(date(2026, 3, 5)):
        staff = panels(login(support_user))
        assert 'id="orders"' in staff and 'id="open-payments"' in staff
        assert "NORD-1" in staff and "SUED-1" in staff
        # Installment 2 failed (due 28.02.), 5 days old.
        assert "28.02.2026" in staff and '<td class="text-end">5</td>' in staff
        vendor = panels(login(vendor2_user))
    assert "SUED-1" in vendor and "NORD-1" not in vendor
