from datetime import date

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from standing.activity.models import ActivityRecord
from standing.customers import services
from standing.customers.models import CustomerGroup, MessageStatus


def test_numbers_are_sequential_and_human_friendly(customer_factory):
    a, b = customer_factory(), customer_factory()
    assert a.number.startswith("K-") and len(a.number) == 8
    assert int(b.number[2:]) == int(a.number[2:]) + 1


def test_master_data_is_normalised(customer, support):
    services.update_customer(
        customer, support, {"phone": "0171 / 765 4321", "iban": "de89 3704 0044 0532 0130 00"}
    )
    customer.refresh_from_db()
    assert customer.phone == "+491717654321"
    assert customer.iban == "DE89370400440532013000"


@pytest.mark.parametrize(
    "field,value",
    [
        ("phone", "12"),
        ("iban", "DE00 1234"),
        ("postal_code", "1011"),
        ("first_name", " "),
        ("birth_date", date(2999, 1, 1)),
    ],
)
def test_invalid_master_data_is_refused_and_changes_nothing(customer, support, field, value):
    before = ActivityRecord.objects.count()
    with pytest.raises(ValidationError) as error:
        services.update_customer(customer, support, {field: value})
    assert field in error.value.message_dict
    customer.refresh_from_db()
    assert getattr(customer, field) != value
    assert ActivityRecord.objects.count() == before


def test_update_logs_before_and_after_of_changed_fields_only(customer, support):
    services.update_customer(customer, support, {"city": "Hamburg", "postal_code": "10115"})
    record = ActivityRecord.objects.filter(action="customer.updated").get()
    assert record.before == {"city": "Berlin"}
    assert record.after == {"city": "Hamburg"}


def test_permissions_resolve_settings_group_customer(customer, support, settings):
    settings.DEFAULT_PERMISSIONS = {"reserve": True, "book": True, "pay_by_invoice": False}
    assert services.effective_permissions(customer) == {
        "reserve": True,
        "book": True,
        "pay_by_invoice": False,
    }
    customer.group = CustomerGroup.objects.create(
        name="Stammkunden", permissions={"pay_by_invoice": "allow", "book": "deny"}
    )
    customer.save()
    assert services.effective_permissions(customer)["pay_by_invoice"] is True
    assert services.effective_permissions(customer)["book"] is False
    services.set_permissions(customer, support, {"book": "allow", "pay_by_invoice": "inherit"})
    assert services.effective_permissions(customer) == {
        "reserve": True,
        "book": True,
        "pay_by_invoice": True,
    }
    services.set_permissions(customer, support, {"reserve": "deny"})
    assert services.effective_permissions(customer)["reserve"] is False
    with pytest.raises(ValidationError):
        services.set_permissions(customer, support, {"fly": "allow"})


@translation.override("en")
def test_upload_limits(customer, support, settings):
    settings.UPLOAD_MAX_BYTES = 100
    with pytest.raises(ValidationError, match="not accepted"):
        services.upload_file(customer, support, SimpleUploadedFile("x.exe", b"MZ..."))
    with pytest.raises(ValidationError, match="larger"):
        services.upload_file(customer, support, SimpleUploadedFile("x.pdf", b"%PDF" + b"0" * 200))
    with pytest.raises(ValidationError, match="does not match"):
        services.upload_file(customer, support, SimpleUploadedFile("x.pdf", b"MZ not a pdf"))
    stored = services.upload_file(customer, support, SimpleUploadedFile("Ausweis.pdf", b"%PDF-1.4"))
    assert stored.size == 8 and stored.content_type == "application/pdf"
    assert customer.files.count() == 1


def test_message_is_sent_with_attachment_and_logged(
    customer, support, django_capture_on_commit_callbacks
):
    doc = services.upload_file(customer, support, SimpleUploadedFile("Vertrag.pdf", b"%PDF-1.4"))
    with django_capture_on_commit_callbacks(execute=True):
        message = services.send_message(customer, support, "Ihr Vertrag", "Anbei.", [doc.pk])
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [customer.email]
    assert mail.outbox[0].attachments[0][0] == "Vertrag.pdf"
    actions = set(ActivityRecord.objects.values_list("action", flat=True))
    assert {"message.queued", "message.sent"} <= actions


def test_message_refused_without_email_or_with_foreign_attachment(customer_factory, support):
    no_mail = customer_factory(email="")
    with pytest.raises(ValidationError) as error:
        services.send_message(no_mail, support, "Hallo", "Text")
    assert "to" in error.value.message_dict
    other = customer_factory()
    doc = services.upload_file(other, support, SimpleUploadedFile("a.txt", b"hallo"))
    with pytest.raises(ValidationError):
        services.send_message(customer_factory(), support, "Hallo", "Text", [doc.pk])
    assert not mail.outbox
