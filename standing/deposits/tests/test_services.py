from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from standing.billing.models import CostGroup, CostType, Document
from standing.customers.lifecycle import transition
from standing.customers.models import CustomerFile, CustomerStatus
from standing.deposits import services
from standing.deposits.models import DepositOffer, OfferStatus, StaffTask, VerifiedActionRun
from standing.payments import services as payments
from standing.payments.models import LinkStatus

S = CustomerStatus


def _offer(customer, actor, **kw):
    args = {"amount": "150.00", "billing_step": "receipt", "cost_type_code": "deposit"}
    return services.offer_deposit(customer, actor, **{**args, **kw})


def test_offer_with_link_paid_by_link_verifies_with_receipt(
    denied, support, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        offer = _offer(denied, support, payment_link=True)
    assert offer.payment_link.payment_url.endswith(f"/pay/{offer.payment_link.token}/")
    assert not Document.objects.filter(customer=denied).exists()
    with django_capture_on_commit_callbacks(execute=True):
        payments.sandbox_pay(offer.payment_link, "success")
    denied.refresh_from_db()
    offer.refresh_from_db()
    assert denied.status == S.VERIFIED
    assert offer.status == OfferStatus.PAID and offer.paid_at
    receipt = Document.objects.get(customer=denied)
    assert receipt.kind == "receipt" and receipt.paid_at and receipt.pdf
    assert receipt.gross_total == Decimal("150.00") and receipt.vat_rate == 0
    assert offer.document == receipt


def test_invoice_billing_step_issues_invoice_at_offer_and_marks_it_paid(denied, support):
    offer = _offer(denied, support, billing_step="invoice")
    invoice = offer.document
    assert invoice.kind == "invoice" and invoice.paid_at is None
    assert invoice.number.startswith("RE-")
    services.verify(denied, support)
    invoice.refresh_from_db()
    assert invoice.paid_at is not None
    assert denied.status == S.VERIFIED
    assert Document.objects.filter(customer=denied).count() == 1


def test_billing_step_none_makes_no_document(denied, support):
    _offer(denied, support, billing_step="none")
    services.verify(denied, support)
    assert not Document.objects.filter(customer=denied).exists()
    assert DepositOffer.objects.get(customer=denied).status == OfferStatus.PAID


@pytest.mark.parametrize(
    "changes,field",
    [
        ({"amount": "0"}, "amount"),
        ({"amount": "-5"}, "amount"),
        ({"amount": "abc"}, "amount"),
        ({"amount": "NaN"}, "amount"),
        ({"billing_step": "cash"}, "billing_step"),
        ({"cost_type_code": "nope"}, "cost_type"),
    ],
)
def test_bad_offer_is_refused_and_changes_nothing(denied, support, changes, field):
    with pytest.raises(ValidationError) as error:
        _offer(denied, support, **changes)
    assert field in error.value.message_dict
    assert not DepositOffer.objects.exists()


def test_cost_type_outside_the_deposit_group_is_refused(denied, support):
    other = CostGroup.objects.create(name="Miete")
    CostType.objects.create(code="rent", name="Miete", group=other)
    with pytest.raises(ValidationError):
        _offer(denied, support, cost_type_code="rent")


def test_new_offer_withdraws_the_open_one_and_expires_its_link(denied, support):
    first = _offer(denied, support, payment_link=True)
    second = _offer(denied, support, amount="200")
    first.refresh_from_db()
    first.payment_link.refresh_from_db()
    assert first.status == OfferStatus.WITHDRAWN
    assert first.payment_link.status == LinkStatus.EXPIRED
    assert services.open_offer(denied) == second


def test_offer_email_has_link_and_no_reason(denied, support, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        offer = _offer(denied, support, payment_link=True)
    (email,) = mail.outbox
    assert email.to == [denied.email]
    assert offer.payment_link.payment_url in email.body
    for leak in ("denylist", "email:", "credit", "score", "reason"):
        assert leak not in (email.subject + email.body).lower()
    # The customer's language (German by default) and its notation of amounts.
    assert "150,00 €" in email.body and "EUR" not in email.body


def test_offer_only_for_denied(customer, support):
    with pytest.raises(services.WrongStatus):
        _offer(customer, support)


def test_verify_needs_an_open_offer(denied, support):
    with pytest.raises(services.WrongStatus, match="no open deposit offer"):
        services.verify(denied, support)
    denied.refresh_from_db()
    assert denied.status == S.DENIED


def test_verify_expires_the_link_so_it_cannot_be_paid_again(denied, support):
    offer = _offer(denied, support, payment_link=True)
    services.verify(denied, support)
    offer.payment_link.refresh_from_db()
    assert offer.payment_link.status == LinkStatus.EXPIRED
    with pytest.raises(payments.LinkNotOpen):
        payments.sandbox_pay(offer.payment_link, "success")


def test_failed_link_payment_leaves_customer_denied(denied, support):
    offer = _offer(denied, support, payment_link=True)
    payments.sandbox_pay(offer.payment_link, "failure")
    denied.refresh_from_db()
    offer.refresh_from_db()
    assert denied.status == S.DENIED and offer.status == OfferStatus.OFFERED


def test_accept_activate_delete(denied, customer_factory, support):
    services.accept(denied, support)
    assert denied.status == S.VERIFIED
    services.activate(denied, support)
    assert denied.status == S.ACTIVE
    with pytest.raises(services.WrongStatus):
        services.activate(denied, support)
    other = customer_factory()
    transition(other, S.DENIED, support)
    services.delete(other, support)
    other.refresh_from_db()
    assert other.status == S.DELETED


def test_delete_deactivates_the_login(denied, support, client):
    assert client.login(username="dora", password="pw-dora-123")
    client.logout()
    _offer(denied, support, payment_link=True)
    services.delete(denied, support)
    denied.refresh_from_db()
    assert denied.status == S.DELETED
    assert not denied.user.is_active
    assert not client.login(username="dora", password="pw-dora-123")
    assert DepositOffer.objects.get().status == OfferStatus.WITHDRAWN


def _runs(customer):
    return sorted(VerifiedActionRun.objects.filter(customer=customer).values_list("action", flat=1))


@pytest.mark.parametrize("path", ["screening", "accept", "verify", "link"])
def test_verified_actions_run_once_on_every_path(
    path, customer, support, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        if path == "screening":
            transition(customer, S.VERIFIED, support)
        else:
            transition(customer, S.DENIED, support)
            if path == "accept":
                services.accept(customer, support)
            elif path == "verify":
                _offer(customer, support)
                services.verify(customer, support)
            else:
                offer = _offer(customer, support, payment_link=True)
                payments.sandbox_pay(offer.payment_link, "success")
    assert _runs(customer) == ["document", "staff_task", "welcome_email"]
    assert StaffTask.objects.filter(customer=customer).count() == 1
    # The customer's language (German): "Willkommen bei …"
    welcome = [m for m in mail.outbox if m.subject == "Willkommen bei Standing Demo GmbH"]
    assert len(welcome) == 1
    mail.outbox.clear()
    assert CustomerFile.objects.filter(customer=customer, name__startswith="Bestaetigung").count()
    # Denied again after a review and verified again: nothing runs a second time.
    customer.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        transition(customer, S.DENIED, support)
        services.accept(customer, support)
    assert StaffTask.objects.filter(customer=customer).count() == 1
    assert not mail.outbox
    assert CustomerFile.objects.filter(customer=customer).count() == 1


def test_verified_actions_follow_the_setting(customer, support, settings):
    settings.VERIFIED_ACTIONS = ["staff_task"]
    transition(customer, S.VERIFIED, support)
    assert _runs(customer) == ["staff_task"]
    assert not mail.outbox


def test_auto_activation(denied, support, settings):
    settings.AUTO_ACTIVATE_VERIFIED = True
    services.accept(denied, support)
    denied.refresh_from_db()
    assert denied.status == S.ACTIVE
    actions = list(denied.activity.values_list("action", flat=True))
    assert "status.activated" in actions and "status.verified" in actions


def test_demo_step_is_idempotent(db, capsys):
    from django.core.management import call_command

    call_command("demo")
    offers = DepositOffer.objects.filter(status=OfferStatus.OFFERED)
    assert 1 <= offers.count() <= 2
    assert all(o.payment_link.provider == "sandbox" for o in offers)
    call_command("demo")
    assert DepositOffer.objects.count() == offers.count()


@pytest.mark.parametrize(
    "frm,to",
    [
        (f, t)
        for f in OfferStatus.values
        for t in OfferStatus.values
        if (f, t) not in services.TRANSITIONS
    ],
)
def test_offer_transitions_outside_the_table_are_refused(denied, support, frm, to):
    offer = _offer(denied, support)
    DepositOffer.objects.filter(pk=offer.pk).update(status=frm)
    offer.refresh_from_db()
    with pytest.raises(services.OfferNotOpen):
        services.offer_transition(offer, to, support)
    offer.refresh_from_db()
    assert offer.status == frm


@pytest.mark.parametrize(
    "frm,to",
    [
        (f, t)
        for f in LinkStatus.values
        for t in LinkStatus.values
        if (f, t) not in payments.TRANSITIONS
    ],
)
def test_link_transitions_outside_the_table_are_refused(denied, support, frm, to):
    link = _offer(denied, support, payment_link=True).payment_link
    type(link).objects.filter(pk=link.pk).update(status=frm)
    link.refresh_from_db()
    with pytest.raises(payments.LinkNotOpen):
        payments.transition(link, to, support)
    link.refresh_from_db()
    assert link.status == frm


def test_stale_offer_cannot_be_paid_twice(denied, support):
    offer = _offer(denied, support)
    stale = DepositOffer.objects.get(pk=offer.pk)
    services.offer_transition(offer, OfferStatus.PAID, support)
    with pytest.raises(services.OfferNotOpen):
        services.offer_transition(stale, OfferStatus.WITHDRAWN, support)


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("150.005", "at most two decimal places"),
        (Decimal("150.005"), "at most two decimal places"),
        ("1e2", "Enter an amount"),
        ("0", "more than 0"),
        ("-5.00", "must not be negative"),
        ("99999999999.00", "too large"),
    ],
)
def test_offer_amount_is_refused_never_rounded(denied, support, amount, message):
    with pytest.raises(ValidationError, match=message):
        _offer(denied, support, amount=amount)
    assert not DepositOffer.objects.exists()


@pytest.mark.parametrize("status", list(S.values))
def test_panel_actions_follow_the_customer_lifecycle(customer, status):
    from standing.customers.lifecycle import TRANSITIONS

    customer.status = status
    expected = {
        "offer": status == S.DENIED,
        "accept": status == S.DENIED,
        "verify": status == S.DENIED,
        "activate": status == S.VERIFIED,
        "delete": status in (S.DENIED, S.PENDING),
    }
    assert {a: services.can(customer, a) for a in services.ACTIONS} == expected
    # ... and each of them is a transition of the customer table.
    for action, (target, _start, _label) in services.ACTIONS.items():
        if expected[action]:
            assert (status, target) in TRANSITIONS


def test_amounts_in_the_email_and_the_log_follow_the_language(
    denied, support, django_capture_on_commit_callbacks, settings
):
    from django.utils import translation

    from standing.activity.models import ActivityRecord

    with django_capture_on_commit_callbacks(execute=True):
        _offer(denied, support, amount="1234.50")
    (email,) = mail.outbox
    assert "1.234,50 €" in email.body  # the customer reads German
    summaries = ActivityRecord.objects.filter(action="deposit.offered")
    assert "€1,234.50" in summaries.get().summary  # staff acted in English
    with translation.override("de"):
        services.accept(denied, support)
    withdrawn = ActivityRecord.objects.get(action="deposit.withdrawn")
    assert "1.234,50 €" in withdrawn.summary


def _work_off_the_queue():
    """Run the queued tasks as ``db_worker`` does (without its connection housekeeping, which
    would close the test's connection)."""
    from unittest import mock

    from django.core.management import call_command

    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
        call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)


def test_the_verified_actions_are_the_workers(customer, support, settings):
    """As in production: the transition queues the actions with its status (one task row),
    the worker runs them on behalf of the user who verified, and only once."""
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    transition(customer, S.VERIFIED, support)
    queued = DBTaskResult.objects.filter(task_path__endswith="run_verified_actions")
    assert queued.count() == 1 and not StaffTask.objects.exists() and not _runs(customer)
    _work_off_the_queue()
    assert _runs(customer) == ["document", "staff_task", "welcome_email"]
    assert StaffTask.objects.filter(customer=customer).count() == 1
    task = customer.activity.get(action="verified.staff_task")
    assert task.actor_label == support.label
    # Verified a second time (denied and accepted in between): queued again, nothing repeats.
    transition(customer, S.DENIED, support)
    services.accept(customer, support)
    _work_off_the_queue()
    assert StaffTask.objects.filter(customer=customer).count() == 1
    assert queued.filter(status="SUCCESSFUL").count() == 2


def test_a_customer_erased_before_the_worker_ran_gets_no_welcome(customer, support, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    from standing.customers.models import Customer

    transition(customer, S.VERIFIED, support)
    # Erased meanwhile (the privacy area's erasure leaves a DELETED tombstone).
    Customer.objects.filter(pk=customer.pk).update(status=S.DELETED)
    _work_off_the_queue()
    assert not _runs(customer) and not StaffTask.objects.exists() and not mail.outbox
