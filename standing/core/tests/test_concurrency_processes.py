"""Issue 9, item 7: concurrency with several processes. Each case starts forked processes,
each with its own database connection, that wait at a barrier and then act at the same
moment: exactly one effect, and nobody is left hanging (every process ends in time).

They run on PostgreSQL and on SQLite's file-based test database (the settings' default):
SQLite runs write transactions one at a time (IMMEDIATE), which is also correct. Only an
in-memory SQLite database cannot host them (it is not shared between processes).
"""

import json
import multiprocessing
import os
from decimal import Decimal

import pytest
from django.db import connection, connections
from django.test import Client

from standing.accounts.models import Role, User
from standing.accounts.scoping import Actor
from standing.activity.models import ActivityRecord
from standing.blocks import services as blocks
from standing.blocks.models import Block
from standing.customers.lifecycle import transition
from standing.customers.models import CustomerStatus
from standing.deposits import services as deposits
from standing.deposits.models import DepositOffer, OfferStatus
from standing.payments.models import LinkStatus, WebhookEvent
from standing.payments.tests.fake_paypal import GOOD_SIGNATURE, FakePayPal

# serialized_rollback: the data the migrations made (cost types, reasons) survives the flush.
# Threads of this process (the fake PayPal server, earlier tests' servers) are never used by
# the forked children, which only use their own database connection and HTTP: fork's warning
# about threads does not apply.
pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.filterwarnings("ignore:This process .* is multi-threaded:DeprecationWarning"),
]
TIMEOUT = 60


@pytest.fixture(autouse=True)
def _shared_database(transactional_db):
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("processes need PostgreSQL or a file-based SQLite test database")


def at_once(*jobs):
    """Run ``jobs`` in forked processes that start together; their results in job order.
    Fails if a process hangs (a deadlock left waiting) or dies."""
    context = multiprocessing.get_context("fork")
    barrier = context.Barrier(len(jobs))
    # SimpleQueue writes at once (a Queue's feeder thread would die with os._exit).
    queue = context.SimpleQueue()
    connections.close_all()

    def child(index, job):
        code = 0
        try:
            barrier.wait(TIMEOUT)
            queue.put((index, "ok", job()))
        except BaseException as error:  # reported to the parent, which fails the test
            queue.put((index, "error", repr(error)))
            code = 1
        finally:
            connections.close_all()
            os._exit(code)

    processes = [context.Process(target=child, args=(i, job)) for i, job in enumerate(jobs)]
    for process in processes:
        process.start()
    for process in processes:
        process.join(TIMEOUT)
        assert not process.is_alive(), "a process hangs"
    results = {}
    while not queue.empty():
        index, kind, value = queue.get()
        assert kind == "ok", value
        results[index] = value
    assert len(results) == len(jobs), results
    return [results[i] for i in range(len(jobs))]


@pytest.fixture
def denied(customer_factory, vendor1, support):
    customer = customer_factory(vendor=vendor1, first_name="Dora", last_name="Denied")
    customer.user = User.objects.create_user("dora", password="pw-dora-123", role=Role.CUSTOMER)
    customer.save(update_fields=["user"])
    transition(customer, CustomerStatus.DENIED, support, details={"reason": "denylist: email"})
    return customer


@pytest.fixture
def paypal(settings):
    fake = FakePayPal().start()
    settings.PAYPAL = {
        "client_id": "client",
        "secret": "secret",
        "base_url": fake.base_url,
        "webhook_id": "WH-TEST",
    }
    settings.PAYMENT_PROVIDER = "paypal"
    yield fake
    fake.stop()


def test_the_same_paypal_webhook_twice_at_once(denied, support, paypal):
    offer = deposits.offer_deposit(denied, support, Decimal("150.00"), "none", "deposit", True)
    link = offer.payment_link
    event = {
        "id": "WH-CONCURRENT",
        "event_type": "PAYMENT.CAPTURE.COMPLETED",
        "resource": {
            "id": "CAPTURE1",
            "status": "COMPLETED",
            "custom_id": link.token,
            "amount": {"currency_code": "EUR", "value": "150.00"},
            "supplementary_data": {"related_ids": {"order_id": link.provider_reference}},
        },
    }
    headers = {
        "PAYPAL-AUTH-ALGO": "SHA256withRSA",
        "PAYPAL-CERT-URL": "https://api.paypal.test/cert.pem",
        "PAYPAL-TRANSMISSION-ID": "t-1",
        "PAYPAL-TRANSMISSION-SIG": GOOD_SIGNATURE,
        "PAYPAL-TRANSMISSION-TIME": "2026-11-23T20:00:00Z",
    }

    def deliver():
        response = Client().post(
            "/webhooks/paypal", json.dumps(event), content_type="application/json", headers=headers
        )
        return response.status_code, response.json()["status"]

    results = at_once(deliver, deliver)
    assert sorted(results) == [(200, "duplicate"), (200, "paid")]
    link.refresh_from_db()
    denied.refresh_from_db()
    assert link.status == LinkStatus.PAID and WebhookEvent.objects.count() == 1
    assert denied.status == CustomerStatus.VERIFIED
    assert DepositOffer.objects.get().status == OfferStatus.PAID
    # Denied once (the fixture), verified once: the second delivery changed nothing.
    statuses = ActivityRecord.objects.filter(customer=denied, action__startswith="status.")
    assert statuses.count() == 2


def test_a_double_submitted_deposit_offer_is_made_once(denied, support_user):
    def submit():
        client = Client()
        client.force_login(support_user)
        response = client.post(
            f"/customers/{denied.number}/deposit-offer/",
            {"amount": "150.00", "billing_step": "invoice", "cost_type": "deposit"},
        )
        return response.status_code

    results = at_once(submit, submit)
    assert all(code < 400 for code in results), results
    offer = DepositOffer.objects.get()
    assert offer.status == OfferStatus.OFFERED and offer.document is not None
    assert ActivityRecord.objects.filter(customer=denied, action="deposit.offered").count() == 1


def test_a_double_submitted_block_is_made_once(customer, support_user):
    def submit():
        client = Client()
        client.force_login(support_user)
        response = client.post(
            f"/blocks/customer/{customer.number}/",
            {"staff": "support", "reason": "other", "duration": "14d", "note": "Ausweis"},
        )
        return response.status_code

    results = at_once(submit, submit)
    assert all(code < 400 for code in results), results
    assert Block.objects.filter(customer=customer).count() == 1
    assert ActivityRecord.objects.filter(customer=customer, action="block.created").count() == 1


def test_block_and_lift_at_once(customer, support_user):
    actor = Actor.of(support_user)
    first = blocks.block_customer(customer, actor, reason="other", duration="5d", note="a")

    def block():
        again = blocks.block_customer(
            customer, actor, reason="misconduct", duration="indefinite", note="b"
        )
        return again.pk

    def lift():
        target = Block.objects.get(pk=first.pk)
        return blocks.lift_block(target, actor, reason="geklärt").pk

    new_pk, lifted_pk = at_once(block, lift)
    assert lifted_pk == first.pk and new_pk != first.pk
    first.refresh_from_db()
    assert first.lifted_at is not None
    assert Block.objects.get(pk=new_pk).lifted_at is None
    assert ActivityRecord.objects.filter(customer=customer, action="block.created").count() == 2
    # Lifting twice at once lifts once: the second is refused or finds it lifted already.
    target = Block.objects.get(pk=new_pk)

    def lift_new():
        try:
            blocks.lift_block(Block.objects.get(pk=target.pk), actor, reason="ok")
            return "lifted"
        except Exception as error:
            return type(error).__name__

    outcomes = at_once(lift_new, lift_new)
    assert outcomes.count("lifted") == 1, outcomes


def test_the_same_registration_twice_at_once_is_one_customer(integration_user, settings):
    from standing.accounts.models import ApiToken
    from standing.customers.models import Customer

    settings.SCREENING_CREDIT_PROVIDER = "sandbox"
    token = ApiToken.issue(integration_user)[1]
    body = {
        "first_name": "Jana",
        "last_name": "Zweimal",
        "birth_date": "1990-03-14",
        "email": "jana.zweimal@example.de",
        "phone": "0171 2345678",
        "address": {"street": "Lindenstraße 5", "postal_code": "20095", "city": "Hamburg"},
    }

    def register():
        response = Client().post(
            "/api/v1/registrations",
            body,
            content_type="application/json",
            headers={"Authorization": f"Bearer {token}"},
        )
        return response.status_code, response.json()["number"]

    first, second = at_once(register, register)
    assert first == second and first[0] == 201
    assert Customer.objects.count() == 1
