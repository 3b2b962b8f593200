"""The § 13a RDG handover data: the record (hand-checked interest), the streamed CSV and JSON,
the CLI, the API (scoped) and the claim's page."""

import csv
import io
import json
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.test import Client

from standing.claims import run as dunning
from standing.claims import services
from standing.claims.handover import (
    CSV_HEADER,
    handed_over,
    handover_record,
    prefetched,
    write_handover_csv,
    write_handover_json,
)
from standing.claims.models import Claim, ClaimStatus

pytestmark = pytest.mark.django_db
S = ClaimStatus


@pytest.fixture
def handed(collection, make_order, event, customer_factory):
    """A claim of 1,000.00 EUR (the first of three installments, due 2025-05-31, failed), dunned
    automatically and handed over on 2025-07-21, across the base-rate change of 2025-07-01."""

    def make(vendor=None, debtor="consumer", fee=None, handover_on=date(2025, 7, 21)):
        vendor_row = collection(
            vendor,
            auto_handover=True,
            auto_handover_chargebacks=True,
            first_letter_after_days=7,
            second_letter_after_days=14,
            handover_after_days=30,
        )
        extra = {"kind": "business", "company_name": "Bau GmbH"} if debtor == "business" else {}
        customer = customer_factory(vendor=vendor_row.vendor, **extra)
        order = make_order(
            vendor=vendor_row.vendor,
            customer=customer,
            amount="3000.00",
            count=3,
            first_due=date(2025, 5, 31),
            created=date(2025, 4, 30),
            sku="E-BIKE",
        )
        if fee:
            event(order, "payment_received", date(2025, 5, 31), installment=1, amount="1000.00")
            event(order, "chargeback", date(2025, 5, 31), installment=1, fee=fee)
        else:
            event(order, "payment_failed", date(2025, 5, 31), installment=1)
        dunning.run(date(2025, 6, 7), vendor=vendor_row.vendor)
        dunning.run(date(2025, 6, 21), vendor=vendor_row.vendor)
        dunning.run(handover_on, vendor=vendor_row.vendor)
        claim = Claim.objects.get(order=order)
        assert claim.status == S.SENT_FOR_COLLECTION, claim.status
        return prefetched(Claim.objects.filter(pk=claim.pk)).get()

    return make


def test_the_record_of_a_consumer_claim_hand_checked(handed, vendor1):
    claim = handed()
    record = handover_record(claim)
    assert record["claim_id"] == claim.pk and record["preview"] is False
    assert record["incasso_date"] == "2025-07-21" and record["as_of"] == "2025-07-21"
    assert record["creditor"]["name"] == vendor1.name
    assert record["contract"]["date"] == "2025-04-30"
    assert record["contract"]["subject"] == "Produkt E-BIKE (E-BIKE)"
    assert record["contract"]["products"] == [{"sku": "E-BIKE", "name": "Produkt E-BIKE"}]
    assert record["principal"] == "1000.00"
    # Default from 2025-06-01 (the day after the calendar due date) through the handover day,
    # cut at 2025-07-01 (base rate 2.27 % → 1.27 %, consumer + 5 points), act/365:
    #   1000.00 × 7.27 % × 30/365 = 5.975342…
    #   1000.00 × 6.27 % × 21/365 = 3.607397…
    #   sum 9.582739… → 9.58 (rounded once).
    interest = record["interest"]
    assert interest["source"] == "ledger" and interest["through"] == "2025-07-21"
    assert [
        (p["from"], p["to"], p["days"], p["rate"], p["principal"], p["amount"])
        for p in interest["pieces"]
    ] == [
        ("2025-06-01", "2025-06-30", 30, "7.27", "1000.00", "5.98"),
        ("2025-07-01", "2025-07-21", 21, "6.27", "1000.00", "3.61"),
    ]
    assert (interest["total"], interest["paid"], interest["open"]) == ("9.58", "0.00", "9.58")
    assert interest["provisional"] is False and interest["rate_above_statutory"] is False
    # A consumer owes no flat fee, and the dunning fees are 0.00 by default: no cost item.
    assert record["costs"] == [] and record["costs_total"] == "0.00"
    assert record["vat_on_costs_claimed"] is False
    assert record["debtor"]["address_researched"] is False
    assert record["debtor"]["kind"] == "consumer"
    assert record["total"] == "1009.58"


def test_business_debtor_flat_fee_and_chargeback_costs(handed):
    claim = handed(debtor="business", fee="3.50")
    record = handover_record(claim)
    kinds = [(c["kind"], c["amount"]) for c in record["costs"]]
    assert kinds == [("chargeback_costs", "3.50"), ("flat_fee", "40.00")] or kinds == [
        ("flat_fee", "40.00"),
        ("chargeback_costs", "3.50"),
    ]
    assert all(c["reason"] for c in record["costs"])
    flat = next(c for c in record["costs"] if c["kind"] == "flat_fee")
    assert "288" in flat["reason"]
    # Business rate: base + 9 points.
    assert [p["rate"] for p in record["interest"]["pieces"]] == ["11.27", "10.27"]
    # 1000 × 11.27 % × 30/365 + 1000 × 10.27 % × 21/365 = 9.263013… + 5.908767… = 15.17
    assert record["interest"]["total"] == "15.17"
    assert record["costs_total"] == "43.50"
    assert record["total"] == str(Decimal("1000.00") + Decimal("15.17") + Decimal("43.50"))


def test_interest_after_the_table_is_marked_provisional(handed):
    # The shipped table ends with the half-year from 2026-01-01: days from 2026-07-01 on use
    # the last known rate, provisionally.
    claim = handed(handover_on=date(2026, 7, 10))
    interest = handover_record(claim)["interest"]
    assert interest["provisional"] is True
    assert interest["pieces"][-1]["from"] == "2026-07-01"
    assert interest["pieces"][-1]["provisional"] is True
    assert interest["pieces"][0]["provisional"] is False


def test_a_claim_waiting_for_approval_is_a_preview_computed_by_the_law_module(
    collection, make_order, event
):
    collection(auto_handover=False, first_letter_after_days=7, handover_after_days=10)
    order = make_order(amount="300.00", first_due=date(2026, 1, 31))
    event(order, "payment_failed", date(2026, 1, 31), installment=1)
    claim = Claim.objects.get(order=order)
    claim.status = S.ON_HOLD
    claim.save(update_fields=["status"])
    record = handover_record(claim, as_of=date(2026, 3, 7))
    assert record["preview"] is True and record["interest"]["source"] == "computed"
    # 100.00 × 6.27 % × 35/365 (2026-02-01 … 2026-03-07) = 0.601232… → 0.60
    assert [(p["from"], p["to"], p["days"]) for p in record["interest"]["pieces"]] == [
        ("2026-02-01", "2026-03-07", 35)
    ]
    assert record["interest"]["total"] == "0.60"


def test_streamed_csv_and_json(handed, vendor1, vendor2):
    first = handed()
    second = handed(vendor=vendor2, debtor="business", fee="2.00")
    claims = handed_over(Claim.objects.all())
    out = io.StringIO()
    assert write_handover_json(claims, out) == 2
    data = json.loads(out.getvalue())
    assert [r["claim_id"] for r in data] == [first.pk, second.pk]
    out = io.StringIO()
    assert write_handover_csv(claims, out) == 2
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert list(rows[0].keys()) == CSV_HEADER
    mine = [r for r in rows if r["claim_id"] == str(first.pk)]
    assert [r["line"] for r in mine] == [
        "principal",
        "interest_piece",
        "interest_piece",
        "interest_total",
        "total",
    ]
    assert [r["amount"] for r in mine] == ["1000.00", "5.98", "3.61", "9.58", "1009.58"]
    assert mine[1]["rate"] == "7.27" and mine[1]["days"] == "30"
    assert {r["vat_on_costs_claimed"] for r in rows} == {"False"}
    theirs = [r for r in rows if r["claim_id"] == str(second.pk)]
    assert {r["kind"] for r in theirs if r["line"] == "cost"} == {"flat_fee", "chargeback_costs"}
    # The exports are German whatever the active language.
    flat = next(r for r in theirs if r["kind"] == "flat_fee")
    assert "Pauschale" in flat["reason"] or "pauschale" in flat["reason"]


def test_the_cli_writes_both_files(handed, vendor1, tmp_path):
    claim = handed()
    out = io.StringIO()
    call_command(
        "dunning", "handover", "--vendor", str(vendor1.pk), "-o", str(tmp_path), stdout=out
    )
    files = sorted(p.name for p in tmp_path.iterdir())
    assert len(files) == 2 and files[0].startswith(f"handover-{vendor1.pk}-")
    assert files[0].endswith(".csv") and files[1].endswith(".json")
    data = json.loads((tmp_path / files[1]).read_text(encoding="utf-8"))
    assert [r["claim_id"] for r in data] == [claim.pk]
    assert "1 claims" in out.getvalue()


def test_the_cli_refuses_an_unknown_vendor_and_directory(tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("dunning", "handover", "--vendor", "999", "-o", str(tmp_path))
    with pytest.raises(CommandError):
        call_command("dunning", "handover", "--vendor", "x")


def test_the_api_is_vendor_scoped(handed, vendor1, vendor2, vendor1_user, vendor2_user, api_as):
    claim = handed()
    theirs = handed(vendor=vendor2)
    api = api_as(vendor1_user)
    answer = api.get(f"/claims/{claim.pk}/handover")
    assert answer.status_code == 200
    assert answer.json()["interest"]["total"] == "9.58"
    assert api.get(f"/claims/{theirs.pk}/handover").status_code == 404
    listed = api.get("/claims/handover.json")
    assert listed.status_code == 200
    assert [r["claim_id"] for r in json.loads(b"".join(listed.streaming_content))] == [claim.pk]
    # Another vendor's id in the filter gives nothing of theirs.
    listed = api.get("/claims/handover.json", vendor=vendor2.pk)
    assert json.loads(b"".join(listed.streaming_content)) == []
    assert api.get("/claims/handover.json", vendor="x").status_code == 422


def test_staff_see_every_vendor_and_filter(handed, vendor2, support_user, api_as):
    handed()
    theirs = handed(vendor=vendor2)
    api = api_as(support_user)
    listed = api.get("/claims/handover.json", vendor=vendor2.pk)
    assert [r["claim_id"] for r in json.loads(b"".join(listed.streaming_content))] == [theirs.pk]
    listed = api.get("/claims/handover.json")
    assert len(json.loads(b"".join(listed.streaming_content))) == 2


def test_the_claims_page_shows_the_section(handed, vendor1_user, settings):
    settings.LANGUAGE_CODE = "de"
    claim = handed()
    client = Client()
    client.force_login(vendor1_user)
    page = client.get(f"/claims/{claim.pk}/").content.decode()
    assert 'id="handover"' in page and 'id="handover-pieces"' in page
    assert 'id="handover-interest">9,58 €' in page and "Übergabedaten (§ 13a RDG)" in page
    assert "21.07.2025" in page and "01.06.2025" in page


def test_no_section_for_a_claim_still_with_us(collection, make_order, event, vendor1_user):
    order = make_order()
    event(order, "payment_failed", date(2026, 1, 31), installment=1)
    claim = Claim.objects.get(order=order)
    client = Client()
    client.force_login(vendor1_user)
    assert 'id="handover"' not in client.get(f"/claims/{claim.pk}/").content.decode()
    assert services.settings_for(order.vendor).enabled
