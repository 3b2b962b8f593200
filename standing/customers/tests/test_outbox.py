"""The outbox: one row per email, sent by a task after commit, retried with backoff, swept
by the tick when a crash left it queued, its state on the row (and so on the card)."""

import uuid
from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail import EmailMessage
from django.utils import timezone

from standing.activity.models import ActivityRecord
from standing.core import tick
from standing.customers import access, outbox
from standing.customers.models import Message, MessageStatus

M = MessageStatus


@pytest.fixture
def broken_mail(monkeypatch):
    def fail(self, *args, **kwargs):
        raise OSError("mail server unreachable")

    monkeypatch.setattr(EmailMessage, "send", fail)


def test_an_email_is_one_row_sent_after_commit(
    customer, support, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        message = outbox.enqueue(customer, "Hallo", "Text", actor=support)
    assert Message.objects.get(pk=message.pk).status == M.QUEUED and not mail.outbox
    for callback in callbacks:
        callback()
    message.refresh_from_db()
    assert message.status == M.SENT and message.attempts == 1 and message.sent_at
    assert [m.subject for m in mail.outbox] == ["Hallo"]
    assert [(t.from_state, t.to_state) for t in outbox.MESSAGE.history(message)] == [
        ("queued", "sent")
    ]
    assert ActivityRecord.objects.filter(customer=customer, action="message.sent").exists()
    assert outbox.deliver(message.pk) == "not queued or taken"  # a second task: nothing
    assert len(mail.outbox) == 1


def test_failures_retry_with_backoff_then_fail(customer, broken_mail, monkeypatch):
    message = outbox.enqueue(customer, "Hallo", "Text")  # no commit in this test: not sent yet
    now = timezone.now()
    waits = []
    for attempt in range(1, outbox.MAX_ATTEMPTS):
        assert outbox.deliver(message.pk, now=now) == "retry"
        message.refresh_from_db()
        assert (message.status, message.attempts) == (M.QUEUED, attempt)
        assert "mail server unreachable" in message.error and message.locked_until is None
        waits.append(message.next_attempt_at - now)
        now = message.next_attempt_at
    assert waits == [timedelta(minutes=m) for m in outbox.BACKOFF_MINUTES]
    assert outbox.deliver(message.pk, now=now) == "failed"
    message.refresh_from_db()
    assert message.status == M.FAILED and message.attempts == outbox.MAX_ATTEMPTS
    assert ActivityRecord.objects.filter(action="message.failed").count() == 1


def test_the_sweeper_sends_what_a_crash_left_queued(customer, monkeypatch):
    # A row whose task was lost (the worker died before it ran): only the row exists.
    message = Message.objects.create(
        customer=customer,
        to=customer.email,
        subject="Verloren",
        body="x",
        next_attempt_at=timezone.now() + outbox.GRACE,
    )
    assert outbox.sweep(timezone.now()) is None  # still within its grace time
    line = outbox.sweep(timezone.now() + outbox.GRACE)
    assert line == "outbox: 1 email(s) to send"
    message.refresh_from_db()
    assert message.status == M.SENT and [m.subject for m in mail.outbox] == ["Verloren"]
    assert outbox.sweep in tick.TICK_JOBS


def test_a_lease_keeps_two_workers_from_sending_one_row(customer):
    message = outbox.enqueue(customer, "Einmal", "x")
    now = timezone.now()
    assert outbox._claim(message.pk, uuid.uuid4(), now)
    assert not outbox._claim(message.pk, uuid.uuid4(), now)
    assert outbox.deliver(message.pk, now=now) == "not queued or taken"
    # A lease a crashed worker left behind runs out.
    assert outbox.deliver(message.pk, now=now + outbox.LEASE + timedelta(seconds=1)) == "sent"
    assert len(mail.outbox) == 1


def test_staff_send_a_failed_message_again(
    customer, support, broken_mail, monkeypatch, django_capture_on_commit_callbacks
):
    message = outbox.enqueue(customer, "Nochmal", "x")
    Message.objects.filter(pk=message.pk).update(status=M.FAILED, attempts=6)
    message.refresh_from_db()
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        outbox.send_again(message, support)
    message.refresh_from_db()
    assert message.status == M.SENT and message.attempts == 1
    with pytest.raises(outbox.MessageNotQueued):
        outbox.send_again(message, support)


def test_the_invitation_is_made_when_sent_and_its_link_never_stored(
    customer, support, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        access.invite(customer, support)
    message = Message.objects.get(customer=customer, kind="invitation")
    assert message.status == M.SENT and message.body == ""
    [sent] = mail.outbox
    assert sent.subject == "Ihr Kundenzugang" and customer.number in sent.body
    link = next(word for word in sent.body.split() if word.startswith("http"))
    assert link not in Message.objects.values_list("body", flat=True)


def test_an_unknown_kind_is_a_programming_error(customer):
    with pytest.raises(ValueError):
        outbox.enqueue(customer, "x", kind="nope")


def test_the_card_shows_a_failing_email(client, support_user, customer, broken_mail, card_panel):
    message = outbox.enqueue(customer, "Wichtig", "x")
    outbox.deliver(message.pk)
    client.force_login(support_user)
    page = card_panel(client, customer, "messages-panel")
    assert 'data-outbox="queued"' in page and "Attempt 1 failed" in page
    assert "mail server unreachable" in page


def test_staff_resend_a_failed_email_from_the_card(
    client, support_user, vendor1_user, customer, django_capture_on_commit_callbacks, card_panel
):
    message = outbox.enqueue(customer, "Gescheitert", "x")
    Message.objects.filter(pk=message.pk).update(status=M.FAILED, attempts=6, error="550")
    client.force_login(support_user)
    page = card_panel(client, customer, "messages-panel")
    url = f"/customers/{customer.number}/messages/{message.pk}/resend/"
    assert url in page
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url).status_code == 302
    message.refresh_from_db()
    assert message.status == M.SENT
    client.post(url)  # not failed any more: refused with a message, nothing changes
    message.refresh_from_db()
    assert message.status == M.SENT and len(mail.outbox) == 1
    assert client.post(f"/customers/{customer.number}/messages/999999/resend/").status_code == 404
    client.force_login(vendor1_user)
    assert client.post(url).status_code in (403, 404)
