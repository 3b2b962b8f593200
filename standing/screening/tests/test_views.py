import csv
import io
from datetime import date

import pytest

from standing.activity.models import ActivityRecord
from standing.customers.models import Customer
from standing.screening import services
from standing.screening.models import DenyEntry, Finding, FindingState, Trigger


@pytest.fixture
def denied(customer_factory, support, listed):
    customer = customer_factory(
        first_name="Max", last_name="Betrüger", birth_date=date(1980, 5, 17)
    )
    services.screen(customer, support, Trigger.MANUAL)
    customer.refresh_from_db()
    assert customer.status == "denied"
    return customer


def test_register_page_is_public_and_german_by_default(client, db, settings):
    settings.LANGUAGE_CODE = "de"
    response = client.get("/register/")
    assert response.status_code == 200
    assert 'id="registration-form"' in response.content.decode()
    assert response.headers["Content-Language"] == "de"


def test_register_page_shows_field_errors(client, db):
    response = client.post("/register/", {"first_name": "A", "phone": "1", "birth_date": "x"})
    assert response.status_code == 400
    assert "invalid-feedback" in response.content.decode()
    assert not Customer.objects.exists()


def test_register_page_service_errors_land_on_the_form(client, db):
    form = {
        "first_name": "Jana",
        "last_name": "Neu",
        "birth_date": "1990-01-01",
        "email": "jana@example.de",
        "phone": "12",
        "street": "Weg 1",
        "postal_code": "1234",
        "city": "Berlin",
        "country": "DE",
    }
    response = client.post("/register/", form)
    assert response.status_code == 400
    assert not Customer.objects.exists()


def test_denied_page_lists_reasons_and_filters(staff_client, denied, customer_factory, support):
    poor = customer_factory(last_name="Ablehnung", birth_date=date(1990, 1, 1))
    services.screen(poor, support, Trigger.MANUAL)
    customer_factory(last_name="Zufrieden")
    html = staff_client.get("/denied/").content.decode()
    assert denied.number in html and poor.number in html and "Zufrieden" not in html
    assert "Deny list: name + birth date" in html and "Credit rating: Score 312 &lt; 400" in html
    only_credit = staff_client.get("/denied/", {"kind": "credit"}).content.decode()
    assert poor.number in only_credit and denied.number not in only_credit
    searched = staff_client.get("/denied/", {"q": "betrueger"}, headers={"HX-Request": "true"})
    assert (
        denied.number in searched.content.decode() and poor.number not in searched.content.decode()
    )
    assert '<nav class="navbar' not in searched.content.decode()
    assert staff_client.get("/denied/", {"kind": "x'--", "page": "-1"}).status_code == 200


def test_review_tab_lists_hits_to_review(
    staff_client, customer_factory, support, entry, django_capture_on_commit_callbacks
):
    customer = customer_factory(email="neu@web.de", birth_date=date(1990, 1, 1))
    services.screen(customer, support, Trigger.REGISTRATION)
    with django_capture_on_commit_callbacks(execute=True):
        entry(email="neu@web.de")
    html = staff_client.get("/denied/", {"tab": "review"}).content.decode()
    assert customer.number in html and "Deny list: email" in html


def test_card_panel_shows_evidence_and_actions(staff_client, denied, card_panel):
    html = card_panel(staff_client, denied, "screening")
    assert 'id="screening"' in html and "Deny list: name + birth date" in html
    assert "Not a match" in html or "Kein Treffer" in html or "rerun-screening" in html


def test_rerun_clear_and_confirm_from_the_card(staff_client, denied, listed):
    card = f"/customers/{denied.number}/"
    response = staff_client.post(f"/screening/{denied.number}/rerun/", {"next": card})
    assert response.status_code == 302 and response.url == card
    finding = Finding.objects.get(customer=denied, kind="denylist")
    response = staff_client.post(
        f"/screening/findings/{finding.pk}/clear/", {"next": "https://evil.example/"}
    )
    assert response.url == card
    assert Finding.objects.get(pk=finding.pk).state == FindingState.CLEARED
    again = staff_client.post(f"/screening/findings/{finding.pk}/confirm/", follow=True)
    assert again.status_code == 200
    assert staff_client.post("/screening/findings/999999/clear/").status_code == 404
    assert staff_client.post("/screening/K-999999/rerun/").status_code == 404
    assert staff_client.get(f"/screening/{denied.number}/rerun/").status_code == 405


def test_staff_pages_refuse_vendors(client, vendor1_user, denied):
    client.force_login(vendor1_user)
    finding = Finding.objects.filter(customer=denied).first()
    for path in ["/denied/", "/denylist/", "/denylist/new/", "/denylist/export.csv"]:
        assert client.get(path).status_code == 403, path
    for path in [f"/screening/{denied.number}/rerun/", f"/screening/findings/{finding.pk}/clear/"]:
        assert client.post(path).status_code == 403, path
    assert Finding.objects.get(pk=finding.pk).state == FindingState.ACTIVE


def test_anonymous_is_sent_to_login(client):
    assert client.get("/denied/").status_code == 302


def test_deny_list_add_edit_remove_are_logged(staff_client):
    response = staff_client.post(
        "/denylist/new/",
        {"first_name": "Paula", "last_name": "Prell", "email": "P.Prell@web.de", "country": "DE"},
    )
    assert response.status_code == 302
    entry = DenyEntry.objects.get()
    assert entry.email_key == "p.prell@web.de" and entry.added_by_label == "support"
    page = staff_client.get("/denylist/", {"q": "prell"}).content.decode()
    assert "Paula" in page
    response = staff_client.post(
        f"/denylist/{entry.pk}/", {"last_name": "Prell", "phone": "0171 2345678"}
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.phone_key == "+491712345678" and entry.email == ""
    assert staff_client.post(f"/denylist/{entry.pk}/delete/").status_code == 302
    assert not DenyEntry.objects.exists()
    actions = set(ActivityRecord.objects.filter(internal=True).values_list("action", flat=True))
    assert {"denylist.added", "denylist.changed", "denylist.removed"} <= actions


def test_deny_list_form_refuses_bad_or_empty_entries(staff_client):
    for data in [
        {},
        {"note": "only a note"},
        {"phone": "12"},
        {"iban": "DE00"},
        {"email": "x@"},
        {"last_name": "X", "country": "Deutschland"},
    ]:
        response = staff_client.post("/denylist/new/", data)
        assert response.status_code == 400, data
    assert not DenyEntry.objects.exists()
    assert staff_client.get("/denylist/999/").status_code == 404


def test_export_streams_csv(staff_client, listed, entry):
    entry(email="second@web.de")
    response = staff_client.get("/denylist/export.csv")
    assert response.status_code == 200 and response.streaming
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [r["email"] for r in rows] == ["max.betrueger@gmail.com", "second@web.de"]
    assert rows[0]["birth_date"] == "1980-05-17" and rows[0]["iban"] == "DE89370400440532013000"


def test_navigation_and_settings_section(client, admin_user, support_user):
    client.force_login(admin_user)
    html = client.get("/settings/").content.decode()
    assert 'id="screening-settings"' in html and "Ablehnung" in html and "s3cret" not in html
    assert 'href="/denied/"' in html
    client.force_login(support_user)
    assert 'href="/denylist/"' in client.get("/customers/").content.decode()


def test_review_tab_lists_customers_held_by_a_silent_bureau(
    staff_client, customer_factory, support
):
    held = customer_factory(last_name="Fehler", birth_date=date(1990, 1, 1))
    services.screen(held, support, Trigger.REGISTRATION)
    html = staff_client.get("/denied/", {"tab": "review"}).content.decode()
    assert held.number in html and 'class="badge text-bg-secondary me-1 held"' in html
    assert (
        held.number
        not in staff_client.get("/denied/", {"tab": "review", "kind": "denylist"}).content.decode()
    )
    assert held.number not in staff_client.get("/denied/").content.decode()


def test_searches_survive_nul_characters(staff_client, listed):
    for path in ["/denylist/", "/denylist/export.csv", "/denied/"]:
        assert staff_client.get(path, {"q": "a\x00b"}).status_code == 400  # never a 500


def test_not_a_match_from_the_denied_page(staff_client, denied):
    finding = Finding.objects.get(customer=denied, kind="denylist")
    html = staff_client.get("/denied/").content.decode()
    assert f'action="/screening/findings/{finding.pk}/clear/"' in html
    response = staff_client.post(f"/screening/findings/{finding.pk}/clear/", {"next": "/denied/"})
    assert response.url == "/denied/"
    assert Finding.objects.get(pk=finding.pk).state == FindingState.CLEARED


@pytest.mark.parametrize(
    "q",
    [
        "betrueger",
        "Max Betrüger",
        "Max.Betrueger@GMail.com",
        "DE89 3704 0044 0532 0130 00",
        "0151 23456789",
        "DE89370400440532013000",
        "L01X00T47",
    ],
)
def test_deny_list_search_by_name_and_identifiers(staff_client, listed, entry, q):
    entry(first_name="Other", last_name="Person", email="other@web.de")
    html = staff_client.get("/denylist/", {"q": q}, headers={"HX-Request": "true"}).content.decode()
    assert "max.betrueger@gmail.com" in html and "other@web.de" not in html


def test_denied_page_offers_the_outcome_actions_and_stays_there(staff_client, denied):
    html = staff_client.get("/denied/").content.decode()
    assert f'hx-get="/customers/{denied.number}/deposit-offer/"' in html
    assert f'action="/customers/{denied.number}/outcome/accept/"' in html
    dialog = staff_client.get(
        f"/customers/{denied.number}/deposit-offer/", headers={"HX-Request": "true"}
    ).content.decode()
    assert "<nav" not in dialog and "amount" in dialog
    response = staff_client.post(
        f"/customers/{denied.number}/outcome/accept/", {"next": "/denied/?q=x"}
    )
    assert response.status_code == 302 and response["Location"] == "/denied/?q=x"
    denied.refresh_from_db()
    assert denied.status == "verified"
    evil = staff_client.post(
        f"/customers/{denied.number}/outcome/activate/", {"next": "https://evil.example/"}
    )
    assert evil["Location"] == denied.get_absolute_url()


def test_reasons_read_in_german_for_german_staff(
    staff_client, denied, customer_factory, support, settings
):
    poor = customer_factory(last_name="Ablehnung", birth_date=date(1990, 1, 1))
    services.screen(poor, support, Trigger.MANUAL)
    settings.LANGUAGE_CODE = "de"
    html = staff_client.get("/denied/").content.decode()
    assert "Bonität: Score 312 &lt; 400" in html
    assert "Abgelehnt-Liste: Name + Geburtsdatum" in html
    assert "credit: score" not in html and "denylist:" not in html


def test_denied_list_buttons_are_labelled(staff_client, denied):
    html = staff_client.get("/denied/").content.decode()
    row = html.split(denied.number, 1)[1].split("</tr>", 1)[0]
    for label in ("Offer deposit", "Accept", "Delete", "Card"):
        assert f"</i> {label}</" in row, label
    assert "onsubmit" not in row and "data-confirm=" in row


def test_after_the_only_hit_is_cleared_a_clean_rerun_verifies(
    staff_client, customer_factory, listed, support, card_panel
):
    from standing.customers.models import CustomerStatus
    from standing.screening.models import FindingState

    customer = customer_factory(
        first_name="Erika", last_name="Sauber", birth_date=date(1985, 1, 1), email=listed.email
    )
    services.screen(customer, support, Trigger.REGISTRATION)
    customer.refresh_from_db()
    assert customer.status == CustomerStatus.DENIED
    (finding,) = customer.findings.filter(state=FindingState.ACTIVE)
    services.clear_finding(finding, support)
    assert 'id="no-reason-left"' in card_panel(staff_client, customer, "screening")
    staff_client.post(f"/screening/{customer.number}/rerun/", {})
    customer.refresh_from_db()
    assert customer.status == CustomerStatus.VERIFIED
    assert 'id="no-reason-left"' not in card_panel(staff_client, customer, "screening")


def test_rerun_of_a_customer_still_denied_for_credit_changes_nothing(
    staff_client, customer_factory, support
):
    from standing.customers.models import CustomerStatus

    poor = customer_factory(last_name="Ablehnung", birth_date=date(1990, 1, 1))
    services.screen(poor, support, Trigger.REGISTRATION)
    services.screen(poor, support, Trigger.MANUAL)
    poor.refresh_from_db()
    assert poor.status == CustomerStatus.DENIED


def test_denylist_csv_upload_imports_and_reports_on_the_page(staff_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from standing.screening.denylist import COLUMNS
    from standing.screening.models import DenyEntry

    header = ",".join(COLUMNS)
    good = f"{header}\nErika,Muster,1980-01-02,erika@example.org,,,,,,,,Testeintrag\n"
    response = staff_client.post(
        "/denylist/import/", {"file": SimpleUploadedFile("liste.csv", good.encode("utf-8-sig"))}
    )
    html = response.content.decode()
    assert response.status_code == 200 and 'id="import-report"' in html
    assert "liste.csv: 1 entry imported" in html and DenyEntry.objects.count() == 1

    bad = f"{header}\nMax,Muster,02.01.1980,,,,,,,,,\nEva,Muster,1980-01-02,kein-at,,,,,,,,\n"
    response = staff_client.post(
        "/denylist/import/", {"file": SimpleUploadedFile("fehler.csv", bad.encode())}
    )
    html = response.content.decode()
    assert response.status_code == 400 and "nothing was imported" in html
    assert "line 2: birth_date" in html and "line 3: email" in html
    assert DenyEntry.objects.count() == 1

    assert staff_client.post("/denylist/import/", {}).status_code == 400
    assert staff_client.get("/denylist/import/?page=2")["Location"] == "/denylist/?page=2"


def test_denylist_import_is_for_staff_only(client, vendor1_user):
    client.force_login(vendor1_user)
    assert client.post("/denylist/import/", {}).status_code == 403
