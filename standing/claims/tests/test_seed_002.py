"""Seed 002 end to end, replayed with ``standing dunning run --date``: a missed installment →
the vendor's review ("verfolgen", the yellow mark) → first letter → second letter → on hold
(the vendor is asked for approval) → "Freigabe" → handed over to the agency. The shop's events
and the vendor's actions go through the API, the runs through the CLI."""

from datetime import date
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from standing.claims.models import Claim, ClaimStatus, Letter
from standing.core.letters import page_count
from standing.core.models import StateTransition

pytestmark = pytest.mark.django_db
S = ClaimStatus


def dunning_run(day):
    out = StringIO()
    call_command("dunning", "run", "--date", day.isoformat(), stdout=out)
    return out.getvalue()


def test_seed_002_from_missed_installment_to_handover(
    api_as,
    integration_user,
    vendor1_user,
    vendor1,
    customer,
    collection,
    django_capture_on_commit_callbacks,
):
    vendor1.email = "forderungen@autovermietung-nord.example"
    vendor1.save()
    collection(first_letter_after_days=7, second_letter_after_days=14, handover_after_days=14)
    shop, vendor = api_as(integration_user), api_as(vendor1_user)
    created = shop.post(
        "/orders",
        {
            "number": "AN-2026-0042",
            "vendor": vendor1.pk,
            "customer": customer.number,
            "product": {"sku": "MITGL-12", "name": "Mitgliedschaft 12 Monate"},
            "amount": "599.88",
            "payment_method": "sepa_direct_debit",
            "created_at": "2026-01-05T10:00:00+01:00",
            "payment_plan": {"kind": "installments", "count": 12, "first_due": "2026-02-01"},
        },
    )
    assert created.status_code == 201, created.json()
    # The first installment is collected; the second one fails ("cancelled installment").
    for body in (
        {"id": "sepa-1", "type": "payment_received", "date": "2026-02-01", "amount": "49.99"},
        {
            "id": "sepa-2",
            "type": "payment_failed",
            "date": "2026-03-01",
            "installment": 2,
            "fee": "3.00",
        },
    ):
        assert shop.post("/orders/AN-2026-0042/events", body).status_code in (200, 201)
    claim = Claim.objects.get(order__number="AN-2026-0042")
    assert claim.status == S.OPEN and claim.waits_for_review

    # Without the vendor's review nothing is sent.
    assert "first letters                      0" in dunning_run(date(2026, 3, 10))
    listed = vendor.get("/claims", status="waiting").json()["items"]
    assert [c["order"] for c in listed] == ["AN-2026-0042"]
    # The vendor marks it yellow: pursue. (An action today counts for runs on later days.)
    from standing.accounts.scoping import Actor
    from standing.claims import services

    services.start_dunning(claim, Actor.of(vendor1_user), on=date(2026, 3, 11))

    with django_capture_on_commit_callbacks(execute=True):
        output = dunning_run(date(2026, 3, 11))
    assert "first letters                      1" in output
    with django_capture_on_commit_callbacks(execute=True):
        assert "second letters                     0" in dunning_run(date(2026, 3, 24))
        assert "second letters                     1" in dunning_run(date(2026, 3, 25))
    with django_capture_on_commit_callbacks(execute=True):
        output = dunning_run(date(2026, 4, 8))
    assert "on hold (vendor approval)          1" in output
    claim.refresh_from_db()
    assert claim.status == S.ON_HOLD
    assert any(m.to == [vendor1.email] for m in mail.outbox)  # asked for approval

    approved = vendor.post(f"/claims/{claim.pk}/approve")
    assert approved.status_code == 200, approved.json()
    claim.refresh_from_db()
    assert claim.status == S.SENT_FOR_COLLECTION
    assert claim.first_letter_on == date(2026, 3, 11)
    assert claim.second_letter_on == date(2026, 3, 25)
    assert claim.incasso_on >= claim.second_letter_on
    # Later runs send nothing more for a claim with the agency.
    dunning_run(date(2026, 6, 1))
    assert Letter.objects.filter(claim=claim).count() == 2
    for letter in Letter.objects.filter(claim=claim):
        assert letter.rendered_at and page_count(letter.pdf.read()) == 1  # one page each
    assert list(
        StateTransition.objects.filter(lifecycle="claim", object_id=str(claim.pk))
        .order_by("pk")
        .values_list("to_state", flat=True)
    ) == [S.DUNNING_1, S.DUNNING_2, S.ON_HOLD, S.SENT_FOR_COLLECTION]
