"""Letters: made after the run committed — the PDF (one page, creditor, reference, amounts,
interest pieces, deadline, payment link and GiroCode), the email with the PDF, the merged print
file; each once."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.core import mail

from standing.claims import letters
from standing.claims import run as dunning
from standing.claims.models import Claim, DeliveryState, DunningRun, Letter
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
    return pdf.decode("latin-1")


def test_each_letter_is_rendered_and_emailed_once(lettered):
    outcome, claims = lettered
    assert outcome.summary["letters_1"] == 2
    letter = Letter.objects.get(claim=claims[0])
    assert letter.rendered_at and letter.pdf and letter.email_state == DeliveryState.SENT
    pdf = letter.pdf.read()
    assert pdf.startswith(b"%PDF") and len(re.findall(rb"/Type /Page\b", pdf)) == 1
    body = text_of(pdf)
    assert claims[0].order.number in body and "Autovermietung Nord GmbH" in body
    assert "100,00" in body  # the open principal, in the letter's language (German)
    assert len(mail.outbox) == 2
    message = next(m for m in mail.outbox if m.to == [claims[0].customer.email])
    assert message.attachments and message.attachments[0][2] == "application/pdf"
    claim = Claim.objects.select_related("offer_link").get(pk=claims[0].pk)
    assert claim.offer_link and claim.offer_link.amount == letter.total
    assert claim.offer_link.payment_url in message.body
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


def test_the_epc_payload_follows_the_girocode_layout():
    payload = letters.epc_payload(
        name="Standing Demo GmbH",
        iban="DE89 3704 0044 0532 0130 00",
        bic="COBADEFFXXX",
        amount=Decimal("103.52"),
        text="F12 AN-2026-0004",
    ).split("\n")
    assert payload[:4] == ["BCD", "002", "1", "SCT"]
    assert payload[5:8] == ["Standing Demo GmbH", "DE89370400440532013000", "EUR103.52"]
    assert payload[10] == "F12 AN-2026-0004" and len(payload) == 11


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
