"""The data export: a ZIP with customer.json (validated against the committed schema) and the
customer's files; streamed; from the card, the API, the CLI and the customer's own page."""

import io
import json
import random
import string
import tracemalloc
from datetime import timedelta

import jsonschema
import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.utils import timezone

from standing.accounts.scoping import Actor
from standing.customers.models import Note
from standing.privacy import export, services
from standing.privacy.models import ExportRequest

from .conftest import read_zip

SCHEMA = json.loads(export.SCHEMA_FILE.read_text())


def validate(document):
    jsonschema.validate(document, SCHEMA, format_checker=jsonschema.FormatChecker())


def zip_of(customer, include_evidence):
    return b"".join(export.stream_zip(customer, include_evidence))


def test_staff_export_holds_every_fact_and_every_file(rich):
    data, files = read_zip(zip_of(rich.customer, include_evidence=True))
    validate(data)
    assert data["customer"]["last_name"] == "Zwirbelmeier"
    assert data["customer"]["iban"] == "DE02120300000000202051"
    assert data["screening_evidence"] == "included"
    records = data["records"]
    for section in [
        "orders",
        "order_items",
        "installments",
        "payment_events",
        "payment_links",
        "documents",
        "document_lines",
        "deposit_offers",
        "blocks",
        "notes",
        "files",
        "messages",
        "damage_cases",
        "vouchers",
        "screenings",
        "screening_findings",
        "cleared_matches",
        "activity",
        "claims",
        "claim_entries",
        "claim_letters",
        "claim_comments",
    ]:
        assert records[section], section
    assert len(records["claim_comments"]) == 2
    assert records["orders"][0]["paid_amount"] == "100.00"
    assert {f["attribute"] for f in records["screening_findings"]} >= {"document_number"}
    names = set(files)
    assert any(n.endswith("-ausweis-zwirbelmeier.pdf") for n in names)
    assert any(n.startswith("files/documents/") and n.endswith(".pdf") for n in names)
    assert files[next(n for n in names if "ausweis" in n)].startswith(b"%PDF")


def test_customers_own_export_never_shows_a_screening_reason(rich):
    data, _files = read_zip(zip_of(rich.customer, include_evidence=False))
    validate(data)
    assert data["screening_evidence"] == "not_included"
    for section in ("screenings", "screening_findings", "cleared_matches"):
        assert data["records"][section] == []
    assert data["records"]["activity"] and all(
        not a["internal"] for a in data["records"]["activity"]
    )
    assert not [a for a in data["records"]["activity"] if a["action"].startswith("screening")]
    assert "denylist" not in json.dumps(data["records"]["activity"])
    # The vendor's comment on the claim, never the internal support comment.
    assert [c["visibility"] for c in data["records"]["claim_comments"]] == ["vendor"]


def test_a_legal_restriction_withholds_the_evidence(rich, admin_user):
    services.restrict_evidence(rich.customer, Actor.of(admin_user), "§ 34 Abs. 1 BDSG")
    data, _files = read_zip(zip_of(rich.customer, include_evidence=True))
    validate(data)
    assert data["screening_evidence"] == "withheld"
    assert data["records"]["screening_findings"] == []
    assert data["records"]["evidence_restrictions"][0]["reason"] == "§ 34 Abs. 1 BDSG"
    # The customer's own export shows neither the evidence nor the operator's restriction.
    own, _files = read_zip(zip_of(rich.customer, include_evidence=False))
    assert own["records"]["evidence_restrictions"] == [] and own["records"]["screenings"] == []


def test_memory_stays_flat_for_thousands_of_records(customer, support_user):
    rng = random.Random(14)
    Note.objects.bulk_create(
        Note(customer=customer, text="".join(rng.choices(string.ascii_letters, k=1000)))
        for _ in range(6000)
    )
    tracemalloc.start()
    total, largest = 0, 0
    try:
        for chunk in export.stream_zip(customer, include_evidence=True):
            total += len(chunk)
            largest = max(largest, len(chunk))
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # About 6 MB of JSON (4.5 MB compressed) went through; memory held far less at any time.
    assert total > 4_000_000
    assert largest < 300_000
    assert peak < 3_000_000, peak


def test_cli_writes_the_zip(rich, tmp_path, capsys):
    target = tmp_path / "export.zip"
    call_command("customer", "export", rich.customer.number, "-o", str(target))
    data, _files = read_zip(target.read_bytes())
    validate(data)
    assert data["screening_evidence"] == "included"
    assert rich.customer.number in capsys.readouterr().out
    with pytest.raises(CommandError, match="No customer"):
        call_command("customer", "export", "K-999999", "-o", str(target))
    with pytest.raises(CommandError, match="no such directory"):
        call_command("customer", "export", rich.customer.number, "-o", "/nonexistent/x.zip")


def test_cli_schema_matches_the_committed_file(capsys):
    call_command("customer", "schema")
    assert json.loads(capsys.readouterr().out) == SCHEMA


def test_api_export_by_role(rich, api_as, support_user, vendor1_user, vendor2_user):
    number = rich.customer.number
    response = api_as(support_user).get(f"/customers/{number}/export")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response.streaming and f"{number}-" in response["Content-Disposition"]
    data, _files = read_zip(b"".join(response.streaming_content))
    validate(data)
    assert api_as(vendor1_user).get(f"/customers/{number}/export").status_code == 403
    assert api_as(vendor2_user).get(f"/customers/{number}/export").status_code == 404
    own = api_as(rich.customer.user).get(f"/customers/{number}/export")
    assert own.status_code == 200
    data, _files = read_zip(b"".join(own.streaming_content))
    assert data["screening_evidence"] == "not_included"


def test_card_export_and_restriction(rich, client, support_user, admin_user, vendor1_user):
    number = rich.customer.number
    client.force_login(support_user)
    card = client.get(rich.customer.get_absolute_url()).text
    assert 'id="card-actions"' in card and f"/privacy/{number}/export/" in card
    response = client.get(f"/privacy/{number}/export/")
    assert response.status_code == 200
    data, _files = read_zip(b"".join(response.streaming_content))
    assert data["screening_evidence"] == "included"
    assert client.post(f"/privacy/{number}/restriction/", {"reason": "x"}).status_code == 403
    client.force_login(admin_user)
    assert client.post(f"/privacy/{number}/restriction/", {"reason": ""}).status_code == 302
    client.post(f"/privacy/{number}/restriction/", {"reason": "§ 34 BDSG"})
    data, _files = read_zip(b"".join(client.get(f"/privacy/{number}/export/").streaming_content))
    assert data["screening_evidence"] == "withheld"
    client.post(f"/privacy/{number}/restriction/", {"action": "lift"})
    data, _files = read_zip(b"".join(client.get(f"/privacy/{number}/export/").streaming_content))
    assert data["screening_evidence"] == "included"
    client.force_login(vendor1_user)
    assert client.get(f"/privacy/{number}/export/").status_code == 403


def test_portal_request_and_expiring_link(rich, customer_login, customer_factory):
    client = customer_login(rich.customer)
    page = client.get("/me/")
    assert page.status_code == 200 and 'id="request-export"' in page.text
    assert 'id="my-letters"' in page.text and "Ihr Ausweis, Frau Zwirbelmeier" in page.text
    assert client.post("/me/export/").status_code == 302
    request = ExportRequest.objects.get(customer=rich.customer)
    page = client.get("/me/").text
    assert f"/me/export/{request.token}/" in page
    # Never a screening reason on the page.
    assert "denylist" not in page and "deny list" not in page.lower()
    response = client.get(f"/me/export/{request.token}/")
    assert response.status_code == 200
    data, _files = read_zip(b"".join(response.streaming_content))
    validate(data)
    assert data["screening_evidence"] == "not_included"
    assert client.get("/me/export/not-a-token/").status_code == 404
    with time_machine.travel(timezone.now() + timedelta(days=4)):
        expired = client.get(f"/me/export/{request.token}/")
        assert expired.status_code == 302
        assert "expired" in client.get("/me/").text


def test_staff_cannot_use_the_portal_link(rich, client, support_user):
    request = services.request_export(rich.customer, Actor.of(rich.customer.user))
    client.force_login(support_user)
    assert client.get(f"/me/export/{request.token}/").status_code == 404


def test_schema_rejects_what_it_does_not_describe(customer):
    data, _files = read_zip(zip_of(customer, include_evidence=True))
    validate(data)
    data["unexpected"] = 1
    with pytest.raises(jsonschema.ValidationError):
        validate(data)
    del data["unexpected"]
    data["records"]["orders"] = [{"id": "not an integer"}]
    with pytest.raises(jsonschema.ValidationError):
        validate(data)
    assert io.BytesIO  # the ZIP was read from memory above


def test_portal_shows_payment_links_and_own_belege_only(
    rich, customer_login, customer_factory, support
):
    from standing.billing.models import CostType, Document
    from standing.billing.services import issue_document
    from standing.payments.models import PaymentLink

    def open_link(customer, purpose):
        return PaymentLink.objects.create(
            customer=customer,
            amount="5.00",
            purpose=purpose,
            provider="sandbox",
            payment_url=f"http://testserver/pay/{purpose}/",
            expires_at=timezone.now() + timedelta(days=1),
        )

    stranger = customer_factory()
    open_link(rich.customer, "Rate Februar")
    open_link(stranger, "Fremde Rate")
    foreign = issue_document(
        stranger, "invoice", CostType.objects.get(code="deposit"), [("Kaution", 1, 10)], support
    )
    client = customer_login(rich.customer)
    page = client.get("/me/").text
    assert "Rate Februar" in page and "http://testserver/pay/Rate Februar/" in page
    assert "Fremde Rate" not in page and foreign.number not in page
    own = Document.objects.filter(customer=rich.customer).exclude(pdf="").first()
    assert own.number in page
    response = client.get(f"/me/documents/{own.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert client.get(f"/me/documents/{foreign.pk}/").status_code == 404
    assert client.get("/me/documents/999999/").status_code == 404
