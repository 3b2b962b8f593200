"""Deny by default for vendor users: card panels only when a panel says so, activity only
about their own orders and the customer's standing."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from standing.accounts.scoping import Actor, scoped
from standing.activity.models import ActivityRecord
from standing.customers import services
from standing.customers.lifecycle import transition
from standing.customers.panels import PANELS, Panel, register
from standing.orders import services as orders
from standing.orders.models import ItemKind, PaymentMethod, PlanKind


def _order(actor, vendor, customer, number):
    return orders.create_order(
        actor,
        number=number,
        vendor=vendor,
        customer=customer,
        amount=Decimal("50.00"),
        payment_method=PaymentMethod.INVOICE,
        created_at=timezone.now(),
        plan_kind=PlanKind.ONE_TIME,
        due=date(2026, 2, 1),
        items=[{"kind": ItemKind.SALE, "sku": "X", "name": "Helm", "price": Decimal("50.00")}],
    )


@pytest.fixture
def shared_customer(customer_factory, vendor1, vendor2, support):
    """A customer of both vendors, with a document, a status change and an order of each."""
    from standing.customers.models import CustomerVendor

    customer = customer_factory(vendor=vendor1)
    CustomerVendor.objects.create(customer=customer, vendor=vendor2)
    services.upload_file(
        customer, support, SimpleUploadedFile("Personalausweis_Rueckseite.pdf", b"%PDF-")
    )
    services.add_note(customer, support, "Ruft oft an.")
    transition(customer, "verified", support)
    _order(support, vendor1, customer, "V1-1")
    _order(support, vendor2, customer, "V2-1")
    return customer


def test_vendor_activity_is_their_orders_and_the_standing(
    shared_customer, vendor1_user, vendor1, support
):
    entries = scoped(shared_customer.activity.all(), Actor.of(vendor1_user))
    actions = set(entries.values_list("action", flat=True))
    assert "status.screening_passed" in actions  # the standing
    assert "order.created" in actions  # their own order
    assert not {a for a in actions if a.startswith(("file.", "note.", "message.", "login."))}
    assert all(e.vendor_id in (None, vendor1.pk) for e in entries)
    assert not entries.filter(after__order="V2-1").exists()
    # Staff see everything.
    assert scoped(shared_customer.activity.all(), Actor.of(support.user)).count() == (
        ActivityRecord.objects.filter(customer=shared_customer).count()
    )


def test_the_card_shows_a_vendor_no_document_upload(
    client, shared_customer, vendor1_user, card_panel
):
    client.force_login(vendor1_user)
    html = client.get(shared_customer.get_absolute_url()).content.decode()
    html += card_panel(client, shared_customer, "activity", "?activity=all")
    html += card_panel(client, shared_customer, "orders")
    assert "Personalausweis_Rueckseite.pdf" not in html
    assert "V1-1" in html and "V2-1" not in html


def test_panels_are_staff_only_unless_they_say_otherwise():
    panel = Panel("secret", "x.html", lambda *a: {}, column="side", order=99)
    assert panel.roles == {"admin", "support"}
    with PANELS.replaced():
        register(panel)
        with pytest.raises(ValueError, match="registered twice"):
            register(panel)
        with pytest.raises(ValueError, match="both want place 99"):
            register(Panel("other", "y.html", lambda *a: {}, column="side", order=99))


def test_each_card_panel_has_its_own_url(
    client, support_user, vendor1_user, vendor2_user, customer_factory, vendor1
):
    customer = customer_factory(vendor=vendor1)
    client.force_login(support_user)
    card_panels = [p for p in PANELS if p.column != "portal"]
    assert card_panels
    for panel in card_panels:
        url = f"/customers/{customer.number}/panels/{panel.key}/"
        assert client.get(url).status_code == 200, panel.key
    assert client.get(f"/customers/{customer.number}/panels/nope/").status_code == 404
    assert client.get(f"/customers/{customer.number}/panels/my-deposit/").status_code == 404
    # Deny by default: a vendor user reaches only the panels that name vendors, and only for
    # customers of their own.
    client.force_login(vendor1_user)
    for panel in card_panels:
        url = f"/customers/{customer.number}/panels/{panel.key}/"
        expected = 200 if "vendor" in panel.roles else 404
        assert client.get(url).status_code == expected, panel.key
    client.force_login(vendor2_user)
    assert client.get(f"/customers/{customer.number}/panels/orders/").status_code == 404
