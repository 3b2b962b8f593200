import pytest

from standing.customers.lifecycle import transition
from standing.customers.models import CustomerStatus
from standing.deposits.models import DepositOffer, StaffTask

S = CustomerStatus


@pytest.fixture
def staff(client, support_user):
    client.force_login(support_user)
    return client


def test_panel_shows_actions_by_status(staff, denied):
    html = staff.get(f"/customers/{denied.number}/").content.decode()
    assert 'id="outcome"' in html
    for button in ("offer-button", "accept-button", "delete-button"):
        assert f'id="{button}"' in html
    assert 'id="verify-button"' not in html and 'id="activate-button"' not in html
    transition(denied, S.VERIFIED, None)
    html = staff.get(f"/customers/{denied.number}/").content.decode()
    assert 'id="activate-button"' in html and 'id="offer-button"' not in html


def test_panel_hidden_from_vendor(client, vendor1_user, denied):
    client.force_login(vendor1_user)
    html = client.get(f"/customers/{denied.number}/").content.decode()
    assert 'id="outcome"' not in html and 'id="billing-documents"' not in html


def test_offer_dialog_htmx(staff, denied):
    url = f"/customers/{denied.number}/deposit-offer/"
    dialog = staff.get(url, headers={"HX-Request": "true"})
    assert dialog.status_code == 200
    html = dialog.content.decode()
    assert 'id="offer-form"' in html and "<nav" not in html and 'value="deposit"' in html
    bad = staff.post(
        url,
        {"amount": "0", "billing_step": "receipt", "cost_type": "deposit"},
        headers={"HX-Request": "true"},
    )
    assert bad.status_code == 400 and "invalid-feedback" in bad.content.decode()
    assert not DepositOffer.objects.exists()
    good = staff.post(
        url,
        {
            "amount": "99.50",
            "billing_step": "receipt",
            "cost_type": "deposit",
            "payment_link": "on",
        },
        headers={"HX-Request": "true"},
    )
    assert good.status_code == 204 and good["HX-Redirect"] == denied.get_absolute_url()
    offer = DepositOffer.objects.get()
    assert str(offer.amount) == "99.50" and offer.payment_link
    html = staff.get(f"/customers/{denied.number}/").content.decode()
    assert offer.payment_link.payment_url in html and 'id="verify-button"' in html


def test_offer_page_without_htmx(staff, denied, customer):
    url = f"/customers/{denied.number}/deposit-offer/"
    assert "<nav" in staff.get(url).content.decode()
    response = staff.post(url, {"amount": "x", "billing_step": "none", "cost_type": "deposit"})
    assert response.status_code == 400
    response = staff.post(
        f"/customers/{customer.number}/deposit-offer/",
        {"amount": "10", "billing_step": "none", "cost_type": "deposit"},
    )
    assert response.status_code == 400 and "is not possible" in response.content.decode()
    assert not DepositOffer.objects.exists()


@pytest.mark.parametrize("action,status", [("accept", S.VERIFIED), ("delete", S.DELETED)])
def test_outcome_buttons(staff, denied, action, status):
    response = staff.post(f"/customers/{denied.number}/outcome/{action}/")
    assert response.status_code == 302
    denied.refresh_from_db()
    assert denied.status == status


def test_outcome_in_wrong_status_shows_message(staff, denied):
    response = staff.post(f"/customers/{denied.number}/outcome/activate/", follow=True)
    assert "Denied" in response.content.decode() or "Abgelehnt" in response.content.decode()
    denied.refresh_from_db()
    assert denied.status == S.DENIED
    assert staff.post(f"/customers/{denied.number}/outcome/explode/").status_code == 404
    assert staff.get(f"/customers/{denied.number}/outcome/accept/").status_code == 405


def test_views_refuse_other_roles(client, vendor1_user, vendor2_user, denied):
    client.force_login(vendor1_user)
    assert client.get(f"/customers/{denied.number}/deposit-offer/").status_code == 403
    assert client.post(f"/customers/{denied.number}/outcome/accept/").status_code == 403
    assert client.get("/tasks/").status_code == 403
    client.force_login(vendor2_user)
    assert client.post(f"/customers/{denied.number}/outcome/accept/").status_code in (403, 404)
    denied.refresh_from_db()
    assert denied.status == S.DENIED


def test_tasks_list_and_done(staff, denied, support):
    transition(denied, S.VERIFIED, support)
    task = StaffTask.objects.get(customer=denied)
    html = staff.get("/tasks/").content.decode()
    assert denied.number in html and task.title in html
    card = staff.get(f"/customers/{denied.number}/").content.decode()
    assert 'id="staff-tasks"' in card and task.title in card
    response = staff.post(f"/tasks/{task.pk}/done/", {"next": "https://evil.example/"})
    assert response["Location"] == "/tasks/"
    task.refresh_from_db()
    assert task.done_at and task.done_by.username == "support"
    assert task.title not in staff.get("/tasks/").content.decode()
    assert task.title in staff.get("/tasks/?done=1").content.decode()
    assert staff.post("/tasks/999999/done/").status_code == 404


def test_settings_section_shows_verified_actions(client, admin_user, settings):
    settings.AUTO_ACTIVATE_VERIFIED = True
    client.force_login(admin_user)
    html = client.get("/settings/").content.decode()
    assert 'id="verified-actions"' in html and 'id="cost-types"' in html
    assert "Welcome email" in html or "Willkommens" in html


def test_offer_from_the_denied_list_returns_to_the_list(staff, denied):
    url = f"/customers/{denied.number}/deposit-offer/"
    dialog = staff.get(
        url,
        headers={"HX-Request": "true", "HX-Current-URL": "http://testserver/denied/?q=Denied"},
    ).content.decode()
    assert 'name="next" value="/denied/?q=Denied"' in dialog
    body = {"amount": "50", "billing_step": "none", "cost_type": "deposit"}
    good = staff.post(url, {**body, "next": "/denied/?q=Denied"}, headers={"HX-Request": "true"})
    assert good.status_code == 204 and good["HX-Redirect"] == "/denied/?q=Denied"
    # Another site is never a target.
    DepositOffer.objects.all().delete()
    evil = staff.post(
        url, {**body, "next": "https://evil.example/"}, headers={"HX-Request": "true"}
    )
    assert evil["HX-Redirect"] == denied.get_absolute_url()
