"""The vendor's settings "Inkasso (Beta)": ``GET/PUT /api/v1/vendors/{id}/collection-settings``
(SPEC §10) and the page ``/claims/settings/<vendor>/``, with the 30-day rule, scoping and the
change history."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client

from standing.activity.models import ActivityRecord
from standing.claims import services

pytestmark = pytest.mark.django_db

BODY = {
    "enabled": True,
    "dunning_option": "a",
    "auto_handover": False,
    "auto_handover_chargebacks": True,
    "excluded_products": ["GUTSCHEIN"],
    "first_letter_after_days": 7,
    "second_letter_after_days": 14,
    "handover_after_days": 10,
}


def path(vendor):
    return f"/vendors/{vendor.pk}/collection-settings"


def test_read_the_defaults(vendor1, vendor1_user, api_as):
    answer = api_as(vendor1_user).get(path(vendor1))
    assert answer.status_code == 200
    data = answer.json()
    assert {k: data[k] for k in BODY} == {
        "enabled": False,
        "dunning_option": "a",
        "auto_handover": False,
        "auto_handover_chargebacks": False,
        "excluded_products": [],
        "first_letter_after_days": 7,
        "second_letter_after_days": 14,
        "handover_after_days": 14,
    }
    assert data["fee_first_letter"] == "0.00" and data["next_change_allowed"] is None
    assert data["updated_at"] and data["vendor"] == vendor1.pk


def test_put_changes_and_logs_who_and_when(vendor1, vendor1_user, api_as):
    answer = api_as(vendor1_user).put(path(vendor1), {**BODY, "fee_second_letter": "0.85"})
    assert answer.status_code == 200, answer.content
    data = answer.json()
    assert data["enabled"] is True and data["excluded_products"] == ["GUTSCHEIN"]
    assert data["handover_after_days"] == 10 and data["fee_second_letter"] == "0.85"
    row = services.settings_for(vendor1)
    assert row.enabled and row.auto_handover_chargebacks and row.handover_after_days == 10
    entry = ActivityRecord.objects.get(action="collection.settings_changed")
    assert entry.actor == vendor1_user and entry.vendor_id == vendor1.pk
    assert entry.before["handover_after_days"] == "14"
    assert entry.after["handover_after_days"] == "10"
    # Unchanged fields are not logged.
    assert "dunning_option" not in entry.after
    history = services.settings_history(vendor1)
    assert history[0]["who"] == "vendor1"
    assert {"field": "enabled", "before": False, "after": True} in history[0]["changes"]


def test_the_dunning_option_within_30_days_answers_409(vendor1, vendor1_user, api_as):
    api = api_as(vendor1_user)
    with time_machine.travel("2026-03-01 10:00 +01:00", tick=False):
        first = api.put(path(vendor1), {**BODY, "dunning_option": "b"})
        assert first.status_code == 200 and first.json()["next_change_allowed"] == "2026-03-31"
    with time_machine.travel("2026-03-30 10:00 +02:00", tick=False):
        refused = api.put(path(vendor1), {**BODY, "dunning_option": "a", "enabled": False})
        assert refused.status_code == 409
        body = refused.json()
        assert body["next_change_allowed"] == "2026-03-31"
        assert "31" in body["detail"] and "2026" in body["detail"]
        # Nothing changed, not even the other fields of the refused request.
        row = services.settings_for(vendor1)
        assert (row.dunning_option, row.enabled) == ("b", True)
        # The same option again is no change; other settings change at any time.
        assert api.put(path(vendor1), {**BODY, "dunning_option": "b"}).status_code == 200
    with time_machine.travel("2026-03-31 10:00 +02:00", tick=False):
        assert api.put(path(vendor1), {**BODY, "dunning_option": "a"}).status_code == 200


def test_another_vendors_id_answers_404(vendor1, vendor2, vendor1_user, api_as):
    api = api_as(vendor1_user)
    assert api.get(path(vendor2)).status_code == 404
    assert api.put(path(vendor2), BODY).status_code == 404
    assert api.get("/vendors/99999/collection-settings").status_code == 404
    assert services.settings_for(vendor2).enabled is False


def test_admin_reaches_every_vendor_and_support_is_refused(
    vendor1, vendor2, admin_user, support_user, api_as
):
    assert api_as(admin_user).put(path(vendor2), BODY).status_code == 200
    assert services.settings_for(vendor2).enabled is True
    assert api_as(support_user).get(path(vendor1)).status_code == 403


@pytest.mark.parametrize(
    "change",
    [
        {"dunning_option": "c"},
        {"enabled": "yes"},
        {"enabled": 1},
        {"first_letter_after_days": -1},
        {"second_letter_after_days": 366},
        {"handover_after_days": "14"},
        {"handover_after_days": 1.5},
        {"excluded_products": "SKU"},
        {"excluded_products": [""]},
        {"excluded_products": [3]},
        {"fee_first_letter": "1.234"},
        {"fee_first_letter": "-1.00"},
        {"fee_first_letter": 2.5},
    ],
)
def test_bad_input_answers_422_and_changes_nothing(vendor1, vendor1_user, api_as, change):
    answer = api_as(vendor1_user).put(path(vendor1), {**BODY, **change})
    assert answer.status_code == 422, answer.content
    assert answer.json()["detail"]
    assert services.settings_for(vendor1).enabled is False


def test_a_missing_field_answers_422(vendor1, vendor1_user, api_as):
    body = dict(BODY)
    del body["handover_after_days"]
    assert api_as(vendor1_user).put(path(vendor1), body).status_code == 422


def test_openapi_declares_the_409(client):
    from standing.api import api

    schema = api.get_openapi_schema()
    put = schema["paths"]["/api/v1/vendors/{vendor_id}/collection-settings"]["put"]
    assert {"200", "404", "409", "422"} <= {str(code) for code in put["responses"]}
    refused = {str(k): v for k, v in put["responses"].items()}["409"]["content"][
        "application/json"
    ]["schema"]
    assert "next_change_allowed" in str(refused) or "$ref" in refused


# --- the page ---------------------------------------------------------------------------


def form(**changes):
    data = {
        "enabled": "on",
        "dunning_option": "a",
        "first_letter_after_days": "7",
        "second_letter_after_days": "14",
        "handover_after_days": "14",
        "fee_first_letter": "0.00",
        "fee_second_letter": "0.00",
        "other_products": "",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_the_vendor_user_is_sent_to_its_own_settings(vendor1, vendor1_user):
    client = Client()
    client.force_login(vendor1_user)
    assert client.get("/claims/settings/").url == f"/claims/settings/{vendor1.pk}/"
    page = client.get(f"/claims/settings/{vendor1.pk}/")
    assert page.status_code == 200
    assert 'id="collection-settings"' in page.content.decode()


def test_the_page_saves_and_refuses_a_second_option_change(
    vendor1, vendor1_user, make_order, settings
):
    settings.LANGUAGE_CODE = "de"
    make_order(vendor=vendor1, sku="E-BIKE")
    client = Client()
    client.force_login(vendor1_user)
    url = f"/claims/settings/{vendor1.pk}/"
    assert "E-BIKE" in client.get(url).content.decode()  # picked from the ordered products
    answer = client.post(url, form(dunning_option="b", excluded_products="E-BIKE"))
    assert answer.status_code == 302
    row = services.settings_for(vendor1)
    assert row.dunning_option == "b" and row.excluded_products == ["E-BIKE"]
    refused = client.post(url, form(dunning_option="a"))
    assert refused.status_code == 409
    allowed = services.today() + timedelta(days=30)
    text = refused.content.decode()
    assert 'id="option-refused"' in text
    assert str(allowed.year) in text and str(allowed.day) in text
    assert services.settings_for(vendor1).dunning_option == "b"
    # The history names who changed what.
    page = client.get(url).content.decode()
    assert 'id="settings-history"' in page and "vendor1" in page


def test_bad_input_on_the_page(vendor1, vendor1_user):
    client = Client()
    client.force_login(vendor1_user)
    answer = client.post(f"/claims/settings/{vendor1.pk}/", form(fee_first_letter="abc"))
    assert answer.status_code == 400
    answer = client.post(f"/claims/settings/{vendor1.pk}/", form(handover_after_days="999"))
    assert answer.status_code == 400
    assert services.settings_for(vendor1).enabled is False


def test_another_vendors_page_is_not_found(vendor1, vendor2, vendor2_user, support_user):
    client = Client()
    client.force_login(vendor2_user)
    assert client.get(f"/claims/settings/{vendor1.pk}/").status_code == 404
    assert client.post(f"/claims/settings/{vendor1.pk}/", form()).status_code == 404
    assert services.settings_for(vendor1).enabled is False
    client.force_login(support_user)
    assert client.get(f"/claims/settings/{vendor1.pk}/").status_code == 403


def test_admins_pick_the_vendor(vendor1, vendor2, admin_user):
    client = Client()
    client.force_login(admin_user)
    page = client.get("/claims/settings/").content.decode()
    assert f"/claims/settings/{vendor2.pk}/" in page
    assert f"/claims/settings/{vendor1.pk}/" in client.get("/settings/").content.decode()
    assert client.post(f"/claims/settings/{vendor2.pk}/", form()).status_code == 302
    assert services.settings_for(vendor2).enabled is True


def test_the_navigation_names_it_for_vendor_users(vendor1_user):
    client = Client()
    client.force_login(vendor1_user)
    page = client.get("/claims/").content.decode()
    assert 'href="/claims/settings/"' in page and 'href="/claims/statistics/"' in page


def test_the_date_of_a_change_is_kept(vendor1, vendor1_user, api_as):
    api_as(vendor1_user).put(path(vendor1), {**BODY, "dunning_option": "b"})
    assert services.settings_for(vendor1).dunning_option_changed_on == services.today()
