from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import transaction

from standing.billing import services
from standing.billing.models import CostGroup, CostType, Document
from standing.core.models import Sequence
from standing.core.tests.pdftext import pdf_text


@pytest.fixture
def deposit(db):
    return CostType.objects.get(code="deposit")


def test_kaution_group_with_deposit_exists_from_the_first_migration(deposit):
    assert deposit.group.name == "Kaution"


def _issue(customer, kind, cost_type, actor, amount="150.00", **kw):
    return services.issue_document(
        customer, kind, cost_type, [("Kaution", 1, Decimal(amount))], actor, **kw
    )


def test_numbers_are_gapless_per_kind_and_year(customer, deposit, support):
    at = datetime(2026, 12, 31, 23, 30, tzinfo=ZoneInfo("Europe/Berlin"))
    with time_machine.travel(at, tick=False):
        assert _issue(customer, "invoice", deposit, support).number == "RE-2026-00001"
        assert _issue(customer, "receipt", deposit, support).number == "QU-2026-00001"
        assert _issue(customer, "invoice", deposit, support).number == "RE-2026-00002"
    with time_machine.travel(datetime(2027, 1, 1, 0, 30, tzinfo=ZoneInfo("Europe/Berlin"))):
        assert _issue(customer, "invoice", deposit, support).number == "RE-2027-00001"


def test_rolled_back_document_gives_its_number_back(customer, deposit, support):
    year = datetime.now().year
    with pytest.raises(RuntimeError), transaction.atomic():
        _issue(customer, "invoice", deposit, support)
        raise RuntimeError
    assert _issue(customer, "invoice", deposit, support).number == f"RE-{year}-00001"
    assert Sequence.objects.get(key=f"invoice-{year}").last == 1


def test_totals_and_vat(customer, deposit, support):
    doc = services.issue_document(
        customer,
        "invoice",
        deposit,
        [("A", 2, Decimal("10.005")), ("B", 1, Decimal("5"))],
        support,
        vat_rate=Decimal("19"),
    )
    assert doc.net_total == Decimal("25.02")
    assert doc.vat_total == Decimal("4.75")
    assert doc.gross_total == Decimal("29.77")
    assert [line.position for line in doc.lines.all()] == [1, 2]
    deposit_doc = _issue(customer, "receipt", deposit, support)
    assert deposit_doc.vat_rate == 0 and deposit_doc.gross_total == Decimal("150.00")


@pytest.mark.parametrize(
    "kind,lines,vat",
    [("bill", [("A", 1, 1)], 0), ("invoice", [], 0), ("invoice", [("A", 1, 1)], -1)],
)
def test_bad_documents_are_refused(customer, deposit, support, kind, lines, vat):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.issue_document(customer, kind, deposit, lines, support, vat_rate=vat)
    assert not Document.objects.exists()


def test_pdf_is_rendered_on_commit_as_din_5008_letter(
    customer, deposit, support, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        doc = _issue(customer, "invoice", deposit, support, amount="1234.50")
    doc.refresh_from_db()
    assert doc.pdf.name.endswith(f"{doc.number}.pdf")
    raw = doc.pdf.read()
    assert raw.startswith(b"%PDF")
    for text in [
        doc.number,
        customer.number,
        "Standing Demo GmbH · Friedrichstraße",  # the return line above the address window
        "10115 Berlin",
        "DE89 3704 0044 0532 0130 00",
        "COBADEFFXXX",
        "HRB 123456 B",
        "USt-IdNr. DE123456789",
        "Geschäftsführung: Erika Mustermann",
        "1.234,50",
    ]:
        assert text in pdf_text(raw), text


def test_mark_paid_once(customer, deposit, support):
    doc = _issue(customer, "invoice", deposit, support)
    services.mark_paid(doc, support)
    first = doc.paid_at
    services.mark_paid(doc, support)
    doc.refresh_from_db()
    assert doc.paid_at == first
    assert customer.activity.filter(action="document.paid").count() == 1


def test_download_and_panel(
    client, support_user, customer, deposit, support, vendor1_user, card_panel
):
    doc = _issue(customer, "receipt", deposit, support)
    client.force_login(support_user)
    card = card_panel(client, customer, "documents-billing")
    assert 'id="billing-documents"' in card and doc.number in card
    response = client.get(f"/billing/documents/{doc.pk}/pdf/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert client.get("/billing/documents/999999/pdf/").status_code == 404
    client.force_login(vendor1_user)
    assert client.get(f"/billing/documents/{doc.pk}/pdf/").status_code == 403


def test_cost_type_settings(client, admin_user, support_user, deposit):
    client.force_login(admin_user)
    html = client.get("/settings/").content.decode()
    assert 'data-cost-type="deposit"' in html
    client.post("/billing/cost-groups/", {"name": "Miete"})
    miete = CostGroup.objects.get(name="Miete")
    client.post("/billing/cost-groups/", {"name": "miete"})
    assert CostGroup.objects.filter(name__iexact="miete").count() == 1
    client.post("/billing/cost-types/", {"code": "rent", "name": "Miete", "group": miete.pk})
    assert CostType.objects.get(code="rent").group == miete
    response = client.post(
        "/billing/cost-types/", {"code": "rent", "name": "X", "group": miete.pk}, follow=True
    )
    assert "exists already" in response.content.decode()
    client.post("/billing/cost-types/", {"code": "bad code!", "name": "X", "group": miete.pk})
    assert not CostType.objects.filter(name="X").exists()
    kaution = CostGroup.objects.get(name="Kaution")
    client.post(
        f"/billing/cost-types/{CostType.objects.get(code='rent').pk}/",
        {"name": "Mietkaution", "group": kaution.pk},
    )
    rent = CostType.objects.get(code="rent")
    assert rent.name == "Mietkaution" and rent.group == kaution
    client.force_login(support_user)
    assert client.post("/billing/cost-groups/", {"name": "Y"}).status_code == 403
    assert client.post("/billing/cost-types/", {"code": "y", "name": "Y"}).status_code == 403


def test_letter_shows_iban_in_groups_and_the_phone_readable(
    customer, deposit, support, settings, django_capture_on_commit_callbacks
):
    settings.COMPANY = {
        **settings.COMPANY,
        "iban": "DE89370400440532013000",
        "phone": "+49301234567",
    }
    with django_capture_on_commit_callbacks(execute=True):
        doc = _issue(customer, "invoice", deposit, support, amount="10.00")
    doc.refresh_from_db()
    text = pdf_text(doc.pdf.read())
    assert "DE89 3704 0044 0532 0130 00" in text and "+49 30 1234567" in text
