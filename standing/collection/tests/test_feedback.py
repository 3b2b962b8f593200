"""The agency's feedback import (SPEC §7): atomic, every bad row with line, column and reason,
exit 1; an accepted file changes states through the lifecycle and pays through idempotent
payment events; a re-import is a no-op; each import is kept and can be opened."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from standing.accounts.scoping import Actor
from standing.claims.amounts import amounts_of
from standing.claims.models import Claim, ClaimComment, ClaimStatus, Visibility
from standing.collection.exchange import HEADER
from standing.collection.feedback import import_feedback
from standing.collection.models import FeedbackImport, Outcome
from standing.core.models import StateTransition
from standing.orders.models import PaymentEvent

pytestmark = pytest.mark.django_db
S = ClaimStatus


def row(
    claim,
    state,
    *,
    first="02/07/2026",
    second="02/21/2026",
    incasso="",
    comment="",
    vendor=None,
    order=None,
    reopened="False",
    invalid="False",
):
    return [
        str(vendor if vendor is not None else claim.vendor_id),
        order or claim.order.number,
        first,
        second,
        incasso,
        comment,
        "ignored",  # status_support is ours and not read
        "",
        state,
        reopened,
        "",
        invalid,
    ]


def csv_bytes(rows, sep=",", encoding="utf-8"):
    lines = [sep.join(HEADER)] + [sep.join(r) for r in rows]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


@pytest.fixture
def claims(vendor1, make_claim):
    letters = {"first_letter_on": date(2026, 2, 7), "second_letter_on": date(2026, 2, 21)}
    return {
        "held": make_claim(vendor=vendor1, number="FB-HOLD", status=S.ON_HOLD, **letters),
        "agency": make_claim(
            vendor=vendor1,
            number="FB-AGENCY",
            status=S.SENT_FOR_COLLECTION,
            incasso_on=date(2026, 3, 7),
            **letters,
        ),
        "second": make_claim(vendor=vendor1, number="FB-SECOND", status=S.DUNNING_2, **letters),
        "paid": make_claim(vendor=vendor1, number="FB-PAID", status=S.PAID, **letters),
    }


def snapshot():
    return (
        sorted(Claim.objects.values_list("pk", "status", "incasso_on", "closed_on")),
        PaymentEvent.objects.count(),
        ClaimComment.objects.count(),
        StateTransition.objects.count(),
    )


def good_file(claims):
    return csv_bytes(
        [
            row(claims["held"], "sent_for_collection", incasso="03/10/2026"),
            row(claims["agency"], "paid", incasso="03/07/2026", comment="Zahlung über Inkasso"),
            row(claims["second"], "blocked"),  # already "blocked" for the agency: no change
            row(claims["paid"], "paid"),
        ]
    )


def test_a_bad_file_changes_nothing_and_names_every_bad_row(
    claims, support_user, tmp_path, vendor2, make_claim
):
    theirs = make_claim(vendor=vendor2, number="FB-THEIRS", status=S.ON_HOLD)
    before = snapshot()
    bad = csv_bytes(
        [
            row(claims["held"], "sent_for_collection", incasso="03/10/2026"),  # fine
            row(claims["agency"], "payed"),  # unknown state
            row(claims["second"], "blocked", vendor="77"),  # unknown vendor
            row(claims["second"], "blocked", order="NOPE-1"),  # unknown order
            row(claims["second"], "blocked", first="2026-02-07"),  # wrong date format
            row(claims["second"], "blocked", first="03/01/2026"),  # dates out of order
            row(claims["paid"], "sent_for_collection"),  # the lifecycle forbids it
            row(claims["held"], "canceled"),  # the same order twice
            row(theirs, "blocked", vendor=str(claims["held"].vendor_id)),  # not vendor1's order
            row(claims["second"], "blocked", reopened="ja"),
        ]
    )
    path = tmp_path / "rueckmeldung.csv"
    path.write_bytes(bad)
    err = io.StringIO()
    with pytest.raises(CommandError) as refused:
        call_command("collection", "import", str(path), stderr=err)
    assert "nothing was imported" in str(refused.value)
    report = err.getvalue()
    for expected in (
        "3: incasso_state:",
        "4: vendor_id:",
        "5: order_id:",
        "6: first_dunning_letter:",
        "7: second_dunning_letter:",
        "8: incasso_state:",
        "9: order_id:",
        "10: order_id:",
        "11: reopened:",
    ):
        assert expected in report, expected
    assert "2:" not in report.replace("12:", "")
    assert snapshot() == before
    record = FeedbackImport.objects.get()
    assert record.outcome == Outcome.REFUSED and record.applied == 0 and record.rows == 10
    problems = {(p["line"], p["column"]) for p in record.report["problems"]}
    assert (3, "incasso_state") in problems and (8, "incasso_state") in problems
    assert record.file.read() == bad


def test_an_accepted_file_applies_and_a_reimport_changes_nothing(claims, support_user):
    staff = Actor.of(support_user)
    record = import_feedback(good_file(claims), "feedback.csv", staff)
    assert record.outcome == Outcome.APPLIED, record.report
    assert (record.rows, record.applied, record.changed) == (4, 4, 2)
    held = Claim.objects.get(pk=claims["held"].pk)
    assert held.status == S.SENT_FOR_COLLECTION and held.incasso_on == date(2026, 3, 10)
    agency = Claim.objects.get(pk=claims["agency"].pk)
    assert agency.status == S.PAID
    payment = PaymentEvent.objects.get(order=agency.order, event_id__startswith="claim-incasso:")
    # The agency's "paid" means paid in full: the claim's open amount (the failed installment
    # of 100.00; the order's later installments are not part of the claim).
    assert payment.type == "payment_received" and payment.amount == Decimal("100.00")
    assert amounts_of(agency, date(2026, 12, 1)).open_total == 0
    assert ClaimComment.objects.filter(
        claim=agency, visibility=Visibility.VENDOR, text="Zahlung über Inkasso"
    ).exists()
    assert Claim.objects.get(pk=claims["second"].pk).status == S.DUNNING_2
    state = snapshot()
    again = import_feedback(good_file(claims), "feedback.csv", staff)
    assert again.outcome == Outcome.APPLIED and again.changed == 0
    assert snapshot() == state
    assert FeedbackImport.objects.count() == 2


def test_latin1_semicolons_and_bom(claims, support_user):
    data = csv_bytes(
        [row(claims["held"], "canceled", comment="Schuldnerin verzogen, Adresse unbekannt (ä)")],
        sep=";",
        encoding="latin-1",
    )
    record = import_feedback(data, "export.csv", Actor.of(support_user))
    assert record.outcome == Outcome.APPLIED, record.report
    assert (
        record.report["delimiter"]
        and "Latin" in record.report["encoding"]
        or "1252" in (record.report["encoding"])
    )
    held = Claim.objects.get(pk=claims["held"].pk)
    assert held.status == S.CANCELED and held.cancel_reason
    bom = b"\xef\xbb\xbf" + csv_bytes([row(claims["second"], "on_hold")])
    assert import_feedback(bom, "bom.csv", Actor.of(support_user)).outcome == Outcome.APPLIED
    assert Claim.objects.get(pk=claims["second"].pk).status == S.ON_HOLD


def test_a_wrong_header_is_refused(support_user):
    record = import_feedback(b"order;amount\r\nX;1\r\n", "x.csv", Actor.of(support_user))
    assert record.outcome == Outcome.REFUSED and "vendor_id" in record.report["error"]


def test_cli_import_prints_the_changes(claims, tmp_path):
    path = tmp_path / "ok.csv"
    path.write_bytes(good_file(claims))
    out = io.StringIO()
    call_command("collection", "import", str(path), stdout=out)
    assert "FB-HOLD" in out.getvalue() and "4 rows applied, 2 claims changed" in out.getvalue()


def test_upload_and_records_are_for_operator_staff(claims, support_user, vendor1_user):
    client = Client()
    client.force_login(support_user)
    upload = io.BytesIO(good_file(claims))
    upload.name = "agentur.csv"
    response = client.post("/collection/imports/", {"file": upload})
    record = FeedbackImport.objects.get()
    assert response.status_code == 302 and response["Location"] == record.get_absolute_url()
    assert record.actor == support_user and record.file_name == "agentur.csv"
    listing = client.get("/collection/imports/").content.decode()
    assert "agentur.csv" in listing
    page = client.get(record.get_absolute_url()).content.decode()
    assert 'data-outcome="applied"' in page and "FB-HOLD" in page
    assert client.get(f"/collection/imports/{record.pk}/file").status_code == 200
    bad = io.BytesIO(csv_bytes([row(claims["paid"], "payed")]))
    bad.name = "kaputt.csv"
    response = client.post("/collection/imports/", {"file": bad}, follow=True)
    assert 'data-outcome="refused"' in response.content.decode()
    assert "payed" in response.content.decode()
    assert client.post("/collection/imports/", {}).status_code == 302
    vendor = Client()
    vendor.force_login(vendor1_user)
    assert vendor.get("/collection/imports/").status_code == 403
    assert vendor.get(record.get_absolute_url()).status_code == 403
    assert vendor.post("/collection/imports/", {"file": upload}).status_code == 403
