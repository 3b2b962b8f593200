"""Letters: made after the run committed — the PDF (one page, creditor, reference, amounts,
interest pieces, deadline, payment link and GiroCode), the email with the PDF, the merged print
file; each once."""

import re
from datetime import date
from decimal import Decimal

import pytest
import segno
from django.core import mail

from standing.claims import letters
from standing.claims import run as dunning
from standing.claims.models import Claim, DeliveryState, DunningRun, Letter
from standing.core.letters import page_count
from standing.core.tests.pdftext import pdf_text, qr_matrices
from standing.payments.models import LinkStatus
from standing.payments.services import sandbox_pay

pytestmark = pytest.mark.django_db
D0 = date(2026, 1, 31)


@pytest.fixture
def lettered(collection, make_order, event, django_capture_on_commit_callbacks, vendor1):
    vendor1.legal_name = "Autovermietung Nord GmbH & Co. KG"
    vendor1.save()
    collection(first_letter_after_days=0, auto_handover=True)
    orders = [make_order(), make_order()]
    for order in orders:
        event(order, "payment_failed", D0, installment=1, fee="3.00")
    with django_capture_on_commit_callbacks(execute=True):
        outcome = dunning.run(date(2026, 3, 2))
    return outcome, [Claim.objects.get(order=o) for o in orders]


def text_of(pdf: bytes) -> str:
    return pdf_text(pdf)


def test_each_letter_is_rendered_and_emailed_once(lettered):
    outcome, claims = lettered
    assert outcome.summary["letters_1"] == 2
    letter = Letter.objects.get(claim=claims[0])
    assert letter.rendered_at and letter.pdf and letter.email_state == DeliveryState.QUEUED
    assert letter.message.status == "sent"  # through the customers' outbox
    pdf = letter.pdf.read()
    assert pdf.startswith(b"%PDF") and page_count(pdf) == 1
    # Kept on the customer card among the documents, too.
    assert claims[0].customer.files.filter(name__endswith=".pdf").count() == 1
    body = text_of(pdf)
    assert claims[0].order.number in body and "Autovermietung Nord GmbH" in body
    assert "100,00" in body  # the open principal, in the letter's language (German)
    assert len(mail.outbox) == 2
    message = next(m for m in mail.outbox if m.to == [claims[0].customer.email])
    assert message.attachments and message.attachments[0][2] == "application/pdf"
    claim = Claim.objects.select_related("offer_link").get(pk=claims[0].pk)
    assert claim.offer_link and claim.offer_link.amount == letter.total
    assert claim.offer_link.payment_url in message.body
    # Both QR codes on the page carry exactly the link and the GiroCode of the total.
    epc = letters.din.epc_payload(
        letters.creditor(claim)["letterhead"], letter.total, letters.reference(claim)
    )
    assert qr_matrices(pdf) == [
        tuple(bytes(row) for row in code.matrix)
        for code in (
            segno.make(
                claim.offer_link.payment_url, error="l", micro=False, boost_error=False, mask=0
            ),
            segno.make(epc, error="m", micro=False, boost_error=False, mask=0),
        )
    ]
    # Running the tasks again makes nothing twice.
    letters.deliver_letters.call([letter.pk])
    assert len(mail.outbox) == 2


def test_the_run_writes_one_merged_print_file(lettered):
    outcome, _claims = lettered
    run = DunningRun.objects.get(pk=outcome.run.pk)
    assert run.print_file
    merged = run.print_file.read()
    assert merged.startswith(b"%PDF") and merged.rstrip().endswith(b"%%EOF")
    assert len(re.findall(rb"/Type /Page\b", merged)) == 2
    assert re.search(rb"/Type /Pages /Count 2", merged)


def test_paying_the_link_closes_the_claim(lettered):
    _outcome, claims = lettered
    claim = Claim.objects.select_related("offer_link").get(pk=claims[0].pk)
    sandbox_pay(claim.offer_link, "success")
    claim.refresh_from_db()
    assert claim.offer_link.status == LinkStatus.PAID
    assert claim.status == "paid"
    # Principal went to the order as an idempotent payment event; costs and interest to the ledger.
    assert claim.order.events.filter(type="payment_received").count() == 1
    assert claim.entries.filter(kind="paid_costs").get().amount == Decimal("-3.00")


def test_a_partial_payment_goes_to_costs_then_interest_then_principal(lettered):
    from standing.claims.amounts import amounts_of
    from standing.claims.services import apply_claim_payment

    _outcome, claims = lettered
    claim = claims[1]
    before = amounts_of(claim, date(2026, 3, 5))
    apply_claim_payment(claim, Decimal("10.00"), on=date(2026, 3, 5), actor=None, reference="p1")
    apply_claim_payment(claim, Decimal("10.00"), on=date(2026, 3, 5), actor=None, reference="p1")
    after = amounts_of(claim, date(2026, 3, 5))
    assert after.open_costs == 0 and after.open_interest == 0
    assert after.principal == before.principal - (
        Decimal("10.00") - Decimal("3.00") - before.interest
    )
    claim.refresh_from_db()
    assert claim.status == "dunning_1"  # no level is skipped by a partial payment


def test_english_speaking_customers_get_english_letters(
    collection, make_order, event, customer_factory, vendor1, django_capture_on_commit_callbacks
):
    collection(first_letter_after_days=0, auto_handover=True)
    order = make_order(customer=customer_factory(vendor=vendor1, language="en"))
    event(order, "payment_failed", D0, installment=1)
    with django_capture_on_commit_callbacks(execute=True):
        dunning.run(date(2026, 2, 2))
    letter = Letter.objects.get(claim__order=order)
    assert letter.language == "en"
    body = text_of(letter.pdf.read())
    assert "Payment reminder" in body and "100.00" in body


def test_admins_change_the_words_with_a_preview(admin_user, support_user, lettered):
    from django.test import Client

    client = Client()
    client.force_login(admin_user)
    url = "/claims/letters/1/de/"
    page = client.get(url)
    assert page.status_code == 200 and "{order}" in page.content.decode()
    preview = client.post(
        url,
        {
            "subject": "Erinnerung {order}",
            "intro": "Offen seit {since}:",
            "closing": "Danke.",
            "preview": "1",
        },
    )
    assert preview["Content-Type"] == "application/pdf" and b"Erinnerung C-" in preview.content
    refused = client.post(url, {"subject": "{unknown}", "intro": "x", "closing": "y"})
    assert refused.status_code == 400 and "{order}" in refused.content.decode()
    saved = client.post(
        url, {"subject": "Erinnerung {order}", "intro": "Offen:", "closing": "Danke."}
    )
    assert saved.status_code == 302
    claim = lettered[1][0]
    letter = Letter.objects.get(claim=claim)
    assert letters.letter_text(letter)["subject"] == f"Erinnerung {claim.order.number}"
    support = Client()
    support.force_login(support_user)
    assert support.get(url).status_code == 403


def test_the_merged_file_has_a_correct_cross_reference_table(lettered):
    """Every object the xref lists starts exactly where it says (a PDF reader relies on it)."""
    import io

    from standing.claims.printfile import merge_into

    pdfs = [letter.pdf.read() for letter in Letter.objects.all()]
    out = io.BytesIO()
    assert merge_into(out, pdfs * 3) == len(pdfs) * 3
    data = out.getvalue()
    start = int(data.rsplit(b"startxref\n", 1)[1].split(b"\n")[0])
    lines = data[start:].split(b"\n")
    assert lines[0] == b"xref"
    number, checked, i = None, 0, 1
    while not lines[i].startswith(b"trailer"):
        parts = lines[i].split()
        if len(parts) == 2:
            number = int(parts[0])
        else:
            offset, _gen, kind = parts
            if kind == b"n":
                assert data[int(offset) :].startswith(b"%d 0 obj" % number)
                checked += 1
            number += 1
        i += 1
    size = int(re.search(rb"/Size (\d+)", data[start:]).group(1))
    assert number == size and checked > len(pdfs) * 3 * 5


def test_interest_on_days_without_a_published_base_rate_is_marked_provisional(
    collection, make_order, event, django_capture_on_commit_callbacks
):
    """The shipped base-rate table ends with 2026-H1: interest for days from 2026-07-01 uses
    the last known rate, and the letter says so next to the figure."""
    collection(first_letter_after_days=0, auto_handover=True)
    order = make_order(first_due=date(2026, 6, 1))
    event(order, "payment_failed", date(2026, 6, 1), installment=1)
    with django_capture_on_commit_callbacks(execute=True):
        dunning.run(date(2026, 8, 31))
    letter = Letter.objects.get(claim__order=order)
    assert letter.interest > 0
    text = text_of(letter.pdf.read())
    assert "Verzugszinsen (§ 288 BGB), vorläufig*" in text, text
    assert "Basiszinssatz ab 01.07.2026" in text and "noch nicht veröffentlicht" in text
    # The interest table's dates fit their columns (DejaVu is wider than Helvetica was: they
    # broke as "19.08.202" over "6").
    assert not re.search(r"\b\d\d\.\d\d\.\d{1,3}\s*\n", text), text
    assert "01.07.2026" in text.split("Zinssatz", 1)[1]
    # The email says it too.
    assert "Basiszinssatz ab 01.07.2026" in mail.outbox[-1].body


def test_interest_within_the_published_table_is_not_marked(lettered):
    letter = Letter.objects.filter(claim=lettered[1][0]).get()
    assert letter.interest > 0
    text = text_of(letter.pdf.read())
    assert "Verzugszinsen (§ 288 BGB)" in text and "vorläufig" not in text


def test_a_vendor_with_address_and_iban_is_the_creditor(
    collection, make_order, event, vendor1, django_capture_on_commit_callbacks
):
    from standing.vendors import services as vendors

    vendors.save(
        {
            "legal_name": "Rad & Tat GmbH",
            "street": "Hafenstraße 5",
            "postal_code": "20457",
            "city": "Hamburg",
            "iban": "DE02 1203 0000 0000 2020 51",
            "bic": "BYLADEM1001",
        },
        vendor1,
    )
    collection(first_letter_after_days=0, auto_handover=True)
    order = make_order()
    event(order, "payment_failed", D0, installment=1)
    with django_capture_on_commit_callbacks(execute=True):
        dunning.run(date(2026, 3, 2))
    letter = Letter.objects.get(claim__order=order)
    cred = letters.creditor(letter.claim)
    assert cred["name"] == cred["collector"] == "Rad & Tat GmbH" and not cred["on_behalf"]
    assert cred["letterhead"].iban == "DE02120300000000202051"
    text = text_of(letter.pdf.read())
    assert "Rad & Tat GmbH · Hafenstraße 5 · 20457 Hamburg" in text  # the return line
    assert "IBAN DE02 1203 0000 0000 2020 51" in text and "Standing Demo GmbH" not in text
    assert "im Auftrag" not in text
    # The GiroCode pays the vendor.
    payload = letters.din.epc_payload(
        cred["letterhead"], letter.total, letters.reference(letter.claim)
    )
    assert b"DE02120300000000202051" in payload and b"Rad & Tat GmbH" in payload


def test_a_vendor_without_bank_account_is_written_for_by_the_operator(lettered):
    claim = lettered[1][0]
    cred = letters.creditor(claim)
    assert cred["on_behalf"] and cred["collector"] == "Standing Demo GmbH"
    assert cred["name"] == "Autovermietung Nord GmbH & Co. KG"
    text = text_of(Letter.objects.get(claim=claim).pdf.read())
    assert "Standing Demo GmbH im Auftrag von Autovermietung Nord GmbH & Co. KG" in text


def test_the_print_file_carries_each_font_program_once(lettered):
    """The letters' embedded font subsets are the same: the merged file writes each once and
    every page still reads (the later pages refer to the first letter's font)."""
    import io

    from pypdf import PdfReader

    from standing.claims.printfile import merge_into

    letter = Letter.objects.first()
    pdf = letter.pdf.read()
    out = io.BytesIO()
    assert merge_into(out, [pdf] * 5) == 5
    merged = out.getvalue()
    assert merged.count(b"/Length1") == pdf.count(b"/Length1") == 2  # regular and bold
    assert len(merged) < 2 * len(pdf)
    reader = PdfReader(io.BytesIO(merged))
    name = letter.claim.customer.full_name
    assert all(name in page.extract_text() for page in reader.pages)
