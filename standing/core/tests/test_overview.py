"""The staff start page ("Übersicht"): what waits, each with its count and its page."""

from standing.accounts.scoping import Actor
from standing.blocks import services as blocks
from standing.core import overview
from standing.customers.lifecycle import transition
from standing.customers.models import CustomerStatus
from standing.deposits.models import StaffTask


def test_staff_see_what_waits(client, support_user, customer_factory, settings):
    settings.LANGUAGE_CODE = "de"
    actor = Actor.of(support_user)
    denied = customer_factory(last_name="Abgelehnt")
    transition(denied, CustomerStatus.DENIED, actor)
    soon = customer_factory(last_name="Baldfrei")
    blocks.block_customer(soon, actor, reason="missing_data", duration="5d")
    later = customer_factory(last_name="Spaeter")
    blocks.block_customer(later, actor, reason="missing_data", duration="1m")
    StaffTask.objects.create(customer=denied, title="Begrüßen")
    client.force_login(support_user)
    html = client.get("/").content.decode()
    assert '<h1 class="h4 mb-3">Übersicht</h1>' in html
    sections = {
        key: html.split(f'data-section="{key}"', 1)[1].split("</div></div>", 1)[0]
        for key in ("review", "denied", "blocks-ending", "tasks")
    }
    assert 'data-count="1"' in sections["denied"] and denied.number in sections["denied"]
    assert (
        'data-count="1"' in sections["blocks-ending"] and soon.number in sections["blocks-ending"]
    )
    assert later.number not in sections["blocks-ending"]
    assert 'data-count="1"' in sections["tasks"] and "Begrüßen" in sections["tasks"]
    assert (
        'data-count="0"' in sections["review"]
        and 'href="/denied/?tab=review"' in sections["review"]
    )


def test_vendor_users_go_to_the_customer_list(client, vendor1_user):
    client.force_login(vendor1_user)
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == "/customers/"


def test_other_apps_add_sections(client, admin_user):
    section = overview.Waiting(
        "test-claims", lambda actor: {"title": "Claims", "count": 3, "url": "/"}
    )
    with overview.SECTIONS.temporarily(section):
        client.force_login(admin_user)
        assert 'data-section="test-claims"' in client.get("/").content.decode()
    assert overview.SECTIONS.get("test-claims") is None


def test_the_overview_is_only_active_on_itself(client, admin_user):
    client.force_login(admin_user)
    html = client.get("/customers/").content.decode()
    assert 'nav-link active" href="/customers/"' in html
    assert 'nav-link active" href="/"' not in html
