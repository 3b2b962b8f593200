"""Erasure: irreversible, refused while a payment is pending (or another app's blocker says
no), personal data gone from every table and the media folder, bookkeeping records kept
pseudonymised until their retention ends, then deleted by the tick."""

import contextlib
import re
import zlib
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.db import connection
from pypdf.errors import PdfReadError

from standing.activity.models import ActivityRecord
from standing.billing.models import Document
from standing.claims.models import Claim, ClaimStatus, Letter
from standing.core.tests.pdftext import pdf_text
from standing.core.tick import run_tick
from standing.customers import records
from standing.customers.models import Customer, CustomerStatus
from standing.deposits import services as deposits
from standing.orders.models import Order
from standing.payments.models import PaymentLink
from standing.privacy import erasure
from standing.privacy.erasure import ErasureRefused
from standing.privacy.models import Erasure, RetainedRecord
from standing.rentals.models import DamageCase

from .rich import NEEDLES


def _pdf_texts(data: bytes):
    """The raw bytes, every inflated content stream and, for a PDF, its text as a reader
    extracts it (letters embed a font subset: their text is glyph ids in the stream)."""
    yield data
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            yield zlib.decompress(stream)
        except zlib.error:
            continue
    if data.startswith(b"%PDF"):
        with contextlib.suppress(PdfReadError):  # a stand-in that only starts like a PDF
            text = pdf_text(data)
            yield text.encode()


def found_in_database(needles):
    hits = []
    lowered = [n.lower() for n in needles]
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            for row in cursor.fetchall():
                text = " ".join(str(v) for v in row).lower()
                hits += [(table, n) for n in lowered if n in text]
    return hits


def found_in_media(needles):
    hits = []
    root = Path(settings.MEDIA_ROOT)
    lowered = [n.lower().encode() for n in needles]
    for path in root.rglob("*") if root.exists() else []:
        if not path.is_file():
            continue
        texts = [str(path.relative_to(root)).lower().encode()]
        texts += [t.lower() for t in _pdf_texts(path.read_bytes())]
        hits += [(str(path), n) for n in lowered for t in texts if n in t]
    return hits


def test_erasure_leaves_no_personal_data_anywhere(rich, api_as, support_user):
    customer = rich.customer
    # Before: the needles are everywhere (this test would find a leak).
    assert {n for _t, n in found_in_database(NEEDLES)} >= {"zwirbelmeier", "1979-03-14"}
    assert found_in_media(NEEDLES)
    kept_documents = list(Document.objects.filter(customer=customer).values_list("pk", flat=True))
    response = api_as(support_user).post(f"/customers/{customer.number}/erase")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "deleted" and body["number"] == customer.number
    assert body["retention_until"] == "2036-12-31"  # the order: books, 10 years from 2026
    assert found_in_database(NEEDLES) == []
    assert found_in_media(NEEDLES) == []
    # Bookkeeping stays, pseudonymised, with the end of its retention.
    customer.refresh_from_db()
    assert customer.status == CustomerStatus.DELETED and customer.user is None
    assert Order.objects.filter(customer=customer).count() == 1
    assert set(Document.objects.filter(customer=customer).values_list("pk", flat=True)) == set(
        kept_documents
    )
    until = dict(RetainedRecord.objects.values_list("model", "retain_until").distinct())
    assert until["orders.order"] == date(2036, 12, 31)
    assert until["rentals.damagecase"] == date(2032, 12, 31)
    assert until["billing.document"] == date(2034, 12, 31)
    assert until["payments.paymentlink"] == date(2034, 12, 31)
    assert until["claims.claim"] == date(2036, 12, 31)
    # The claim stays with its amounts; its letters' PDFs and comments are gone.
    assert Claim.objects.filter(pk=rich.claim.pk).exists()
    assert not Letter.objects.filter(claim=rich.claim).exclude(pdf="").exists()
    # The fact of the erasure stays in the log, without personal data.
    fact = ActivityRecord.objects.get(customer=customer, action="customer.erased")
    assert fact.actor_label == "support" and "2036-12-31" in fact.summary
    assert Erasure.objects.get(customer=customer).kept


def test_the_tick_deletes_what_is_due_and_finally_the_customer(rich, support):
    customer = rich.customer
    erasure.erase(customer, support)
    berlin = ZoneInfo("Europe/Berlin")
    with time_machine.travel(datetime(2032, 12, 31, 12, tzinfo=berlin), tick=False):
        run_tick()  # the last day of the damage case's retention: it is still kept
        assert DamageCase.objects.filter(customer=customer).exists()
    with time_machine.travel(datetime(2033, 1, 1, 1, tzinfo=berlin), tick=False):
        run_tick()
        assert not DamageCase.objects.filter(customer=customer).exists()
        assert Order.objects.filter(customer=customer).exists()
        assert run_tick() == []  # idempotent
    with time_machine.travel(datetime(2035, 1, 1, 1, tzinfo=berlin), tick=False):
        run_tick()
        assert not Document.objects.filter(customer=customer).exists()
        assert not PaymentLink.objects.filter(customer=customer).exists()
        assert Order.objects.filter(customer=customer).exists()
    with time_machine.travel(datetime(2037, 1, 1, 1, tzinfo=berlin), tick=False):
        lines = run_tick()
        assert any("1 customer(s) finished" in line for line in lines)
    assert not Customer.objects.filter(pk=customer.pk).exists()
    assert not RetainedRecord.objects.exists()
    done = Erasure.objects.get(number=customer.number)
    assert done.customer is None and done.finished_at is not None
    assert ActivityRecord.objects.filter(action="customer.erasure_finished").count() == 1


@pytest.fixture
def pending(customer_factory, support, django_capture_on_commit_callbacks):
    from standing.customers.lifecycle import transition

    customer = customer_factory(first_name="Paula", last_name="Pending")
    transition(customer, CustomerStatus.DENIED, support)
    with django_capture_on_commit_callbacks(execute=True):
        deposits.offer_deposit(customer, support, "50.00", "none", "deposit", payment_link=True)
    return customer


def test_a_pending_payment_refuses_and_changes_nothing(pending, api_as, support_user, support):
    response = api_as(support_user).post(f"/customers/{pending.number}/erase")
    assert response.status_code == 409
    assert "payment link" in response.json()["detail"]
    pending.refresh_from_db()
    assert pending.last_name == "Pending" and pending.status == CustomerStatus.DENIED
    assert not Erasure.objects.exists()
    plan = api_as(support_user).get(f"/customers/{pending.number}/erase").json()
    assert plan["blockers"] and plan["keep"][0]["label"]


@pytest.mark.parametrize(
    "status,needle",
    [
        (ClaimStatus.SENT_FOR_COLLECTION, "with the collection agency"),
        (ClaimStatus.DUNNING_1, "still being collected"),
    ],
)
def test_a_claim_being_collected_refuses(rich, support, status, needle):
    Claim.objects.filter(pk=rich.claim.pk).update(status=status, cancel_reason="")
    with pytest.raises(ErasureRefused, match=needle):
        erasure.erase(rich.customer, support)
    assert Customer.objects.get(pk=rich.customer.pk).last_name == "Zwirbelmeier"


def test_another_apps_blocker_refuses(customer, support):
    blocker = lambda c: "A claim is with the collection agency."  # noqa: E731
    with (
        records.ERASURE_BLOCKERS.temporarily(blocker, key="test"),
        pytest.raises(ErasureRefused, match="collection agency"),
    ):
        erasure.erase(customer, support)
    customer.refresh_from_db()
    assert customer.last_name == "Müller"


def test_tombstones_and_erased_customers_cannot_be_erased(person_pair, support):
    from standing.duplicates import merge

    first, second = person_pair
    merge.merge(first, second, support)
    second.refresh_from_db()
    with pytest.raises(ErasureRefused, match="merged into"):
        erasure.erase(second, support)
    erasure.erase(first, support)
    with pytest.raises(ErasureRefused, match="erased already"):
        erasure.erase(first, support)


@pytest.fixture
def person_pair(customer_factory):
    return customer_factory(phone="+49 171 5550101"), customer_factory(phone="+49 171 5550102")


def test_confirmation_page_names_what_is_kept(rich, client, support_user, vendor1_user):
    number = rich.customer.number
    client.force_login(support_user)
    page = client.get(f"/privacy/{number}/erase/")
    assert page.status_code == 200
    assert 'id="erase-kept"' in page.text and "31.12.2036" in page.text
    refused = client.post(f"/privacy/{number}/erase/")
    assert refused.status_code == 400
    assert Customer.objects.get(number=number).last_name == "Zwirbelmeier"
    done = client.post(f"/privacy/{number}/erase/", {"confirm": "yes"})
    assert done.status_code == 302
    card = client.get(f"/customers/{number}/").text
    assert 'id="erased-note"' in card and "Zwirbelmeier" not in card
    client.force_login(vendor1_user)
    assert client.get(f"/privacy/{number}/erase/").status_code == 403


def test_api_roles(customer_factory, vendor1, api_as, vendor1_user, vendor2_user):
    customer = customer_factory(vendor=vendor1)
    assert api_as(vendor1_user).post(f"/customers/{customer.number}/erase").status_code == 403
    assert api_as(vendor2_user).post(f"/customers/{customer.number}/erase").status_code == 404
    assert api_as(vendor1_user).get("/customers/K-999999/erase").status_code == 404


def test_only_the_erasure_deletes_a_verified_customer(customer, support):
    from standing.customers.lifecycle import TransitionNotAllowed, allowed_transitions, transition

    transition(customer, CustomerStatus.VERIFIED, support)
    assert CustomerStatus.DELETED not in allowed_transitions(customer, support)
    assert CustomerStatus.MERGED not in allowed_transitions(customer, support)
    with pytest.raises(TransitionNotAllowed, match="erasing their data"):
        transition(customer, CustomerStatus.DELETED, support)
    erasure.erase(customer, support)
    customer.refresh_from_db()
    assert customer.status == CustomerStatus.DELETED
