import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from standing.activity.models import ActivityRecord


@pytest.fixture
def staff_client(client, support_user):
    client.force_login(support_user)
    return client


def test_list_search_and_htmx_fragment(staff_client, customer_factory):
    customer_factory(first_name="Jürgen", last_name="Schäfer")
    customer_factory(first_name="Anna", last_name="Weber")
    page = staff_client.get("/customers/", {"q": "schaefer"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "Schäfer" in html and "Weber" not in html and "<nav" in html
    fragment = staff_client.get("/customers/", {"q": "weber"}, headers={"HX-Request": "true"})
    assert "Weber" in fragment.content.decode() and "<nav" not in fragment.content.decode()


def test_list_filters_ignore_garbage(staff_client, customer):
    response = staff_client.get("/customers/", {"status": "x'--", "group": "abc", "page": "-3"})
    assert response.status_code == 200
    assert customer.number in response.content.decode()


def test_card_shows_every_foundation_panel(staff_client, customer):
    html = staff_client.get(f"/customers/{customer.number}/").content.decode()
    for anchor in ["card-header", "masterdata", "documents", "permissions", "notes", "activity"]:
        assert f'id="{anchor}"' in html
    assert "Müller" in html


def test_edit_master_data_inline_and_activity(staff_client, customer, card_panel):
    response = staff_client.post(
        f"/customers/{customer.number}/edit/",
        {**_form(customer), "city": "Hamburg", "postal_code": "20095"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert response["HX-Trigger"] == "activityChanged"
    assert "Hamburg" in response.content.decode()
    activity = card_panel(staff_client, customer, "activity")
    assert "Hamburg" in activity and "Berlin" in activity


def test_edit_with_bad_phone_shows_error_and_changes_nothing(staff_client, customer):
    response = staff_client.post(
        f"/customers/{customer.number}/edit/", {**_form(customer), "phone": "12"}
    )
    assert response.status_code == 400
    assert "is-invalid" in response.content.decode()
    customer.refresh_from_db()
    assert customer.phone == "+491711234567"


def test_activity_expands_to_all(staff_client, customer, support, card_panel):
    from standing.customers import services

    for i in range(12):
        services.add_note(customer, support, f"Notiz {i}")
    html = card_panel(staff_client, customer, "activity")
    assert 'id="activity-all"' in html and "Notiz 11" in html and "Notiz 0" not in html
    full = card_panel(staff_client, customer, "activity", "?activity=all")
    assert "Notiz 0" in full and "Notiz 11" in full and 'id="activity-all"' not in full


def test_upload_download_delete(staff_client, customer):
    url = f"/customers/{customer.number}/files/"
    staff_client.post(url, {"file": SimpleUploadedFile("Ausweis.png", b"\x89PNG....")})
    stored = customer.files.get()
    download = staff_client.get(f"{url}{stored.pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"\x89PNG...."
    bad = staff_client.post(url, {"file": SimpleUploadedFile("virus.exe", b"MZ")}, follow=True)
    assert "not accepted" in bad.content.decode() or "nicht akzeptiert" in bad.content.decode()
    staff_client.post(f"{url}{stored.pk}/delete/")
    assert not customer.files.exists()
    assert ActivityRecord.objects.filter(action="file.deleted").exists()


def test_message_form(staff_client, customer, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            f"/customers/{customer.number}/message/", {"subject": "Hallo", "body": "Guten Tag"}
        )
    assert response.status_code == 302
    assert mailoutbox[0].subject == "Hallo"
    empty = staff_client.post(f"/customers/{customer.number}/message/", {"subject": ""})
    assert empty.status_code == 400


def test_permissions_form(staff_client, customer):
    staff_client.post(
        f"/customers/{customer.number}/permissions/",
        {"reserve": "deny", "book": "inherit", "pay_by_invoice": "allow"},
    )
    customer.refresh_from_db()
    assert customer.permissions == {"reserve": "deny", "pay_by_invoice": "allow"}


def test_vendor_user_sees_own_customer_read_only_and_not_others(
    client, vendor1_user, customer_factory, vendor1, vendor2
):
    mine, theirs = customer_factory(vendor=vendor1), customer_factory(vendor=vendor2)
    client.force_login(vendor1_user)
    html = client.get(f"/customers/{mine.number}/").content.decode()
    assert 'id="edit-button"' not in html and 'id="documents"' not in html
    assert client.get(f"/customers/{theirs.number}/").status_code == 404
    assert client.get(f"/customers/{mine.number}/edit/").status_code == 403
    listing = client.get("/customers/").content.decode()
    assert mine.number in listing and theirs.number not in listing


def test_anonymous_is_sent_to_login(client, customer):
    response = client.get(f"/customers/{customer.number}/")
    assert response.status_code == 302 and "/login/" in response["Location"]


def _form(customer):
    return {
        "kind": customer.kind,
        "first_name": customer.first_name,
        "last_name": customer.last_name,
        "company_name": "",
        "birth_date": "1985-04-12",
        "email": customer.email,
        "phone": customer.phone,
        "iban": "",
        "street": customer.street,
        "postal_code": customer.postal_code,
        "city": customer.city,
        "country": "DE",
        "group": "",
        "language": "de",
        "general_info": "",
    }


def test_message_dialog_is_an_htmx_fragment(staff_client, customer):
    fragment = staff_client.get(
        f"/customers/{customer.number}/message/", headers={"HX-Request": "true"}
    ).content.decode()
    assert 'id="message-form"' in fragment and "<nav" not in fragment
    page = staff_client.get(f"/customers/{customer.number}/message/").content.decode()
    assert 'id="message-form"' in page and "<nav" in page


def test_list_pages_with_count(staff_client, customer_factory):
    for _ in range(26):
        customer_factory()
    html = staff_client.get("/customers/").content.decode()
    assert "26 customers" in html and "1 / 2" in html and "page=2" in html
    second = staff_client.get("/customers/", {"page": 2}).content.decode()
    assert "2 / 2" in second and "page=1" in second


def test_list_rows_come_newest_first_with_their_link_group_and_status(
    staff_client, customer_factory, settings
):
    """The rows come newest first, each with its link, group and translated status."""
    from standing.customers.models import CustomerGroup, CustomerStatus

    settings.LANGUAGE_CODE = "de"
    group = CustomerGroup.objects.create(name="Stammkunden")
    made = [customer_factory(last_name="Reihenfolge") for _ in range(27)]
    made[-1].group = group
    made[-1].status = CustomerStatus.DENIED
    made[-1].save()
    html = staff_client.get("/customers/", {"q": "reihenfolge"}).content.decode()
    newest = [c.number for c in reversed(made)][:25]
    shown = [n for n in (c.number for c in made) if f'">{n}</a>' in html]
    assert sorted(shown, key=html.index) == newest
    row = html.split(f'href="/customers/{made[-1].number}/">', 1)[1].split("</tr>", 1)[0]
    assert "<td>Stammkunden</td>" in row
    assert 'data-status="denied">Abgelehnt</span>' in row
    second = staff_client.get("/customers/", {"q": "reihenfolge", "page": 2}).content.decode()
    assert made[1].number in second and made[0].number in second
    assert made[2].number not in second


def test_list_shows_the_block_and_the_blocked_filter_keeps_it(
    staff_client, customer_factory, support, settings
):
    from standing.blocks import services as blocks

    settings.LANGUAGE_CODE = "de"
    blocked = customer_factory(last_name="Gesperrt")
    free = customer_factory(last_name="Frei")
    blocks.block_customer(blocked, support, reason="missing_data", duration="5d")
    html = staff_client.get("/customers/").content.decode()
    row = html.split(blocked.number, 1)[1].split("</tr>", 1)[0]
    assert "gesperrt bis" in row and "bi-lock-fill" in row
    assert "gesperrt" not in html.split(free.number, 1)[1].split("</tr>", 1)[0]
    filtered = staff_client.get("/customers/", {"blocked": "1"}).content.decode()
    assert blocked.number in filtered and free.number not in filtered
    assert "gesperrt bis" in filtered


def test_deleted_customer_card_offers_no_edit_and_no_block(staff_client, customer, support):
    from standing.customers.lifecycle import transition
    from standing.customers.models import CustomerStatus

    transition(customer, CustomerStatus.DELETED, support)
    html = staff_client.get(customer.get_absolute_url()).content.decode()
    assert 'id="edit-button"' not in html and 'id="block-button"' not in html
    from standing.customers.forms import MasterDataForm

    data = {k: v for k, v in MasterDataForm(instance=customer).initial.items() if v is not None}
    response = staff_client.post(f"/customers/{customer.number}/edit/", {**data, "city": "Ulm"})
    assert response.status_code == 400 and "is deleted" in response.content.decode()
    customer.refresh_from_db()
    assert customer.city == "Berlin"
