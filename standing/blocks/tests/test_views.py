"""The card's blocks panel and dialogs, the blocks page, and the reason list in the settings."""

from datetime import timedelta

import pytest
import time_machine

from standing.activity.models import ActivityRecord
from standing.blocks import services
from standing.blocks.models import Block, BlockReason, BlockStatus

from .conftest import berlin

NOW = berlin(2026, 11, 23, 10, 0)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _form(**values):
    return {"staff": "support", "reason": "missing_documents", "duration": "14d", **values}


def test_card_panel_shows_current_and_past_blocks(staff_client, customer, support, block):
    current = block(customer, "indefinite", note="Hausverbot")
    past = block(customer, "5d", reason="missing_data")
    services.lift_block(past, support, reason="Daten sind da")
    html = staff_client.get(customer.get_absolute_url()).content.decode()
    assert 'id="blocks"' in html and 'id="block-button"' in html
    panel = html.split('id="current-blocks"')[1].split('id="past-blocks"')[0]
    assert f'data-block="{current.pk}"' in panel and "Hausverbot" in panel
    assert f'data-block="{past.pk}"' not in panel
    assert "Daten sind da" in html.split('id="past-blocks"')[1]
    assert "bi-lock-fill" in html.split('id="block-badge"')[1][:100]


def test_vendor_sees_the_badge_but_no_panel(client, vendor1_user, vendor1, customer_factory, block):
    own = customer_factory(vendor=vendor1)
    block(own, "5d")
    client.force_login(vendor1_user)
    html = client.get(own.get_absolute_url()).content.decode()
    assert 'id="block-badge"' in html and "bi-lock-fill" in html
    assert 'id="blocks"' not in html and "block-button" not in html


def test_block_dialog_opens_and_blocks(staff_client, customer):
    url = f"/blocks/customer/{customer.number}/"
    dialog = staff_client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert 'id="block-form"' in dialog and "<nav" not in dialog and "hx-confirm" in dialog
    assert 'value="support" selected' in dialog  # the acting user is preselected
    response = staff_client.post(url, _form(note="Ausweis"), headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response["HX-Redirect"] == f"{customer.get_absolute_url()}#blocks"
    block = Block.objects.get()
    assert block.ends_at == NOW + timedelta(days=14) and block.note == "Ausweis"
    card = staff_client.get(customer.get_absolute_url()).content.decode()
    assert "is blocked" in card or "ist gesperrt" in card


def test_block_until_date_and_time_without_htmx(staff_client, customer):
    url = f"/blocks/customer/{customer.number}/"
    response = staff_client.post(
        url,
        _form(reason="payment_deferral", duration="until", until_date="2026-12-20"),
    )
    assert response.status_code == 302
    response = staff_client.post(
        url,
        _form(duration="until", until_date="2026-12-20", until_time="14:30"),
    )
    assert response.status_code == 302
    ends = sorted(Block.objects.values_list("ends_at", flat=True))
    assert ends == [berlin(2026, 12, 20, 14, 30), berlin(2026, 12, 21)]


@pytest.mark.parametrize(
    "values,field",
    [
        ({"duration": "indefinite", "note": ""}, "note"),
        ({"duration": "until"}, "until_date"),
        ({"duration": "until", "until_date": "2026-01-01"}, "until_date"),
        ({"duration": "3w"}, "duration"),
        ({"reason": "nope"}, "reason"),
        ({"staff": "nobody"}, "staff"),
    ],
)
def test_block_dialog_shows_errors_and_changes_nothing(staff_client, customer, values, field):
    url = f"/blocks/customer/{customer.number}/"
    page = staff_client.post(url, _form(**values))
    assert page.status_code == 400
    assert f'id="id_{field}"' in page.content.decode()
    assert "invalid-feedback" in page.content.decode()
    fragment = staff_client.post(url, _form(**values), headers={"HX-Request": "true"})
    assert fragment.status_code == 200 and "<nav" not in fragment.content.decode()
    assert "invalid-feedback" in fragment.content.decode()
    assert not Block.objects.exists()


def test_a_date_for_another_duration_is_ignored_by_the_form(staff_client, customer):
    staff_client.post(
        f"/blocks/customer/{customer.number}/", _form(duration="5d", until_date="2027-01-01")
    )
    assert Block.objects.get().ends_at == NOW + timedelta(days=5)


def test_lift_dialog_requires_a_reason(staff_client, customer, block):
    current = block(customer, "indefinite")
    url = f"/blocks/customer/{customer.number}/{current.pk}/lift/"
    dialog = staff_client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert 'id="lift-form"' in dialog
    response = staff_client.post(url, {"staff": "support", "reason": ""})
    assert response.status_code == 400
    current.refresh_from_db()
    assert current.status == BlockStatus.ACTIVE
    response = staff_client.post(
        url, {"staff": "support", "reason": "Geklärt"}, headers={"HX-Request": "true"}
    )
    assert response["HX-Redirect"].endswith("#blocks")
    current.refresh_from_db()
    assert current.status == BlockStatus.LIFTED and current.lift_reason == "Geklärt"
    # Sent from the card itself, the answer reloads the card.
    other = block(customer, "5d")
    response = staff_client.post(
        f"/blocks/customer/{customer.number}/{other.pk}/lift/",
        {"staff": "support", "reason": "Auch geklärt"},
        headers={
            "HX-Request": "true",
            "HX-Current-URL": f"http://testserver{customer.get_absolute_url()}",
        },
    )
    assert response["HX-Refresh"] == "true" and "HX-Redirect" not in response
    again = staff_client.post(url, {"staff": "support", "reason": "nochmal"})
    assert again.status_code == 400 and "lifted" in again.content.decode()


def test_lift_of_another_customers_block_is_404(staff_client, customer, customer_factory, block):
    foreign = block(customer_factory(), "5d")
    url = f"/blocks/customer/{customer.number}/{foreign.pk}/lift/"
    assert staff_client.post(url, {"staff": "support", "reason": "x"}).status_code == 404
    assert staff_client.get("/blocks/customer/K-999999/").status_code == 404


def test_dialogs_and_page_refuse_vendors(client, vendor1_user, vendor1, customer_factory, block):
    own = customer_factory(vendor=vendor1)
    current = block(own, "5d")
    client.force_login(vendor1_user)
    assert client.get(f"/blocks/customer/{own.number}/").status_code == 403
    assert client.post(f"/blocks/customer/{own.number}/", _form()).status_code == 403
    lift = client.post(f"/blocks/customer/{own.number}/{current.pk}/lift/", {"reason": "x"})
    assert lift.status_code == 403
    assert client.get("/blocks/").status_code == 403
    assert "/blocks/" not in client.get("/customers/").content.decode()
    assert Block.objects.get().status == BlockStatus.ACTIVE


def test_anonymous_is_sent_to_login(client, customer):
    assert client.get("/blocks/").status_code == 302
    assert client.post(f"/blocks/customer/{customer.number}/", _form()).status_code == 302
    assert not Block.objects.exists()


def test_blocks_page_sections_and_filters(
    staff_client, customer_factory, support, admin_user, block
):
    soon = block(customer_factory(last_name="Bald"), "5d")
    later = block(customer_factory(last_name="Später"), "1m", reason="missing_data")
    forever = block(customer_factory(last_name="Immer"), "indefinite", staff="admin")
    lifted = block(customer_factory(last_name="Frei"), "14d")
    services.lift_block(lifted, support, reason="Erledigt")
    with time_machine.travel(NOW - timedelta(days=30), tick=False):
        expired = block(customer_factory(last_name="Abgelaufen"), "5d")
    html = staff_client.get("/blocks/").content.decode()
    assert "<nav" in html and "/blocks/" in html.split("<nav")[1].split("</nav>")[0]

    def section(name, page=html):
        return page.split(f'id="blocks-{name}"')[1].split('class="card mb-4"')[0]

    for b in (soon, later, forever):
        assert f'data-block="{b.pk}"' in section("active")
    assert f'data-block="{soon.pk}"' in section("ending")
    assert f'data-block="{later.pk}"' not in section("ending")
    for b in (lifted, expired):
        assert f'data-block="{b.pk}"' in section("history")
        assert f'data-block="{b.pk}"' not in section("active")
    by_reason = staff_client.get("/blocks/", {"reason": "missing_data"}).content.decode()
    assert f'data-block="{later.pk}"' in by_reason and f'data-block="{soon.pk}"' not in by_reason
    by_staff = staff_client.get(
        "/blocks/", {"staff": "admin"}, headers={"HX-Request": "true"}
    ).content.decode()
    assert "<nav" not in by_staff
    assert f'data-block="{forever.pk}"' in by_staff and f'data-block="{soon.pk}"' not in by_staff
    assert staff_client.get("/blocks/", {"staff": "x'--", "page": "abc"}).status_code == 200


def test_settings_section_adds_renames_and_deactivates(client, admin_user, support_user, customer):
    client.force_login(admin_user)
    html = client.get("/settings/").content.decode()
    assert 'id="block-reasons"' in html and 'data-reason="payment_deferral"' in html
    client.post("/blocks/reasons/", {"code": "fraud", "label": "Betrugsverdacht"})
    reason = BlockReason.objects.get(code="fraud")
    client.post(f"/blocks/reasons/{reason.pk}/", {"label": "Verdacht auf Betrug"})
    reason.refresh_from_db()
    assert reason.label == "Verdacht auf Betrug" and reason.active is False
    response = client.post("/blocks/reasons/", {"code": "fraud", "label": "doppelt"}, follow=True)
    assert "exists already" in response.content.decode() or "existiert" in response.content.decode()
    assert BlockReason.objects.filter(code="fraud").count() == 1
    assert client.post(f"/blocks/reasons/{reason.pk}/", {"label": ""}).status_code == 302
    reason.refresh_from_db()
    assert reason.label == "Verdacht auf Betrug"
    client.force_login(support_user)
    assert client.post("/blocks/reasons/", {"code": "x", "label": "y"}).status_code == 403
    assert client.post(f"/blocks/reasons/{reason.pk}/", {"label": "z"}).status_code == 403
    dialog = client.get(f"/blocks/customer/{customer.number}/").content.decode()
    assert 'value="fraud"' not in dialog and 'value="missing_data"' in dialog


def test_block_activity_is_internal(client, vendor1_user, vendor1, customer_factory, block):
    own = customer_factory(vendor=vendor1)
    block(own, "indefinite", note="Geheime Notiz")
    assert ActivityRecord.objects.get(action="block.created").internal
    client.force_login(vendor1_user)
    assert "Geheime Notiz" not in client.get(own.get_absolute_url()).content.decode()


def test_past_end_day_is_named_as_typed(staff_client, customer, settings):
    settings.LANGUAGE_CODE = "de"
    url = f"/blocks/customer/{customer.number}/"
    response = staff_client.post(
        url,
        _form(duration="until", until_date="2020-01-01", reason="payment_deferral"),
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert "01.01.2020" in html and "02.01.2020" not in html
    assert 'value="2020-01-01"' in html
    assert not Block.objects.exists()


def test_staff_are_listed_by_name(staff_client, customer, support_user):
    support_user.first_name, support_user.last_name = "Jonas", "Becker"
    support_user.save()
    dialog = staff_client.get(f"/blocks/customer/{customer.number}/").content.decode()
    assert ">Jonas Becker</option>" in dialog and ">support</option>" not in dialog
    assert 'data-show-when="duration:until"' in dialog and "novalidate" in dialog


def test_lift_without_reason_is_refused_by_the_server_in_the_dialog(staff_client, customer, block):
    target = block(customer, "5d")
    response = staff_client.post(
        f"/blocks/customer/{customer.number}/{target.pk}/lift/",
        {"staff": "support", "reason": "  "},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert 'id="lift-form"' in html and "invalid-feedback" in html and "novalidate" in html
    target.refresh_from_db()
    assert target.status == BlockStatus.ACTIVE
