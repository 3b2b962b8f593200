"""The outbox as close to exactly once as SMTP allows: the row is claimed (attempt id, lease)
before it is sent, every attempt carries the row's one Message-ID, the sweeper re-sends only
rows whose lease ran out, and a late attempt whose lease was taken over records nothing."""

import threading
import time
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.mail import EmailMessage
from django.db import connection
from django.utils import timezone

from standing.customers import outbox
from standing.customers.models import Message, MessageStatus

M = MessageStatus


def ids(messages):
    return [m.extra_headers.get("Message-ID") or m.message()["Message-ID"] for m in messages]


def test_every_row_has_its_own_stable_message_id(customer):
    first = outbox.enqueue(customer, "Eins", "x")
    second = outbox.enqueue(customer, "Zwei", "x")
    assert first.message_id.startswith("<outbox.") and first.message_id.endswith(">")
    assert first.message_id != second.message_id
    assert outbox.deliver(first.pk) == "sent"
    assert ids(mail.outbox) == [first.message_id]
    assert mail.outbox[0].message()["Message-ID"] == first.message_id


def test_a_row_from_before_gets_one_message_id_once(customer):
    message = outbox.enqueue(customer, "Alt", "x")
    Message.objects.filter(pk=message.pk).update(message_id="")
    message.refresh_from_db()
    made = outbox.message_id_of(message)
    assert made and outbox.message_id_of(Message.objects.get(pk=message.pk)) == made


def test_a_crash_after_sending_resends_after_the_lease_with_the_same_message_id(customer):
    message = outbox.enqueue(customer, "Absturz", "x")
    now = timezone.now()
    sent = []

    def crash_after_sending(self, *args, **kwargs):
        sent.append(self.extra_headers["Message-ID"])
        raise SystemExit("worker killed after the mail server took the message")

    original = EmailMessage.send
    EmailMessage.send = crash_after_sending
    try:
        with pytest.raises(SystemExit):
            outbox.deliver(message.pk, now=now)
    finally:
        EmailMessage.send = original
    message.refresh_from_db()
    # Claimed, counted, not marked: "being sent" until the lease runs out.
    assert message.status == M.QUEUED and message.attempts == 1 and message.attempt_id
    assert message.locked_until == now + outbox.LEASE
    # The sweeper leaves a row alone while its lease runs, also when its attempt is due.
    due = now + outbox.GRACE
    assert outbox.sweep(due) is None
    assert outbox.deliver(message.pk, now=due) == "not queued or taken"
    # After the lease: sent again, with the same Message-ID (receivers drop the second).
    with time_machine.travel(now + outbox.LEASE + timedelta(seconds=1), tick=False):
        assert outbox.sweep(timezone.now()) == "outbox: 1 email(s) to send"
    message.refresh_from_db()
    assert message.status == M.SENT and message.attempts == 2 and message.attempt_id is None
    assert sent + ids(mail.outbox) == [message.message_id, message.message_id]


def test_a_late_attempt_whose_lease_was_taken_over_records_nothing(customer):
    message = outbox.enqueue(customer, "Langsam", "x")
    now = timezone.now()
    outcomes = []
    original = EmailMessage.send

    def slow_server(self, *args, **kwargs):
        # While the first attempt hangs past its lease, the sweeper's attempt takes the row,
        # sends and marks it.
        EmailMessage.send = original
        outcomes.append(outbox.deliver(message.pk, now=now + outbox.LEASE + timedelta(1)))
        return original(self, *args, **kwargs)

    EmailMessage.send = slow_server
    try:
        assert outbox.deliver(message.pk, now=now) == "lease lost"
    finally:
        EmailMessage.send = original
    assert outcomes == ["sent"]
    message.refresh_from_db()
    assert message.status == M.SENT and message.attempts == 2
    assert outbox.MESSAGE.history(message).count() == 1
    assert ids(mail.outbox) == [message.message_id, message.message_id]


def test_a_failure_of_a_late_attempt_does_not_reopen_a_sent_row(customer):
    message = outbox.enqueue(customer, "Spät", "x")
    now = timezone.now()
    original = EmailMessage.send

    def fails_after_takeover(self, *args, **kwargs):
        EmailMessage.send = original
        outbox.deliver(message.pk, now=now + outbox.LEASE + timedelta(1))
        raise OSError("connection reset")

    EmailMessage.send = fails_after_takeover
    try:
        assert outbox.deliver(message.pk, now=now) == "lease lost"
    finally:
        EmailMessage.send = original
    message.refresh_from_db()
    assert message.status == M.SENT and message.error == "" and message.attempt_id is None


def test_rows_interrupted_every_time_fail_instead_of_sending_forever(customer):
    message = outbox.enqueue(customer, "Nie", "x")
    now = timezone.now() + outbox.GRACE
    Message.objects.filter(pk=message.pk).update(
        attempts=outbox.MAX_ATTEMPTS, locked_until=now - timedelta(seconds=1)
    )
    assert outbox.deliver(message.pk, now=now) == "not queued or taken"
    assert outbox.sweep(now) == "outbox: 1 given up"
    message.refresh_from_db()
    assert message.status == M.FAILED and message.error == "delivery interrupted"
    assert not mail.outbox


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_workers_at_once_send_one_row_once(customer):
    # The row alone (enqueue() would send it at once on commit, in autocommit).
    message = Message.objects.create(
        customer=customer,
        to=customer.email,
        subject="Gleichzeitig",
        body="x",
        message_id=outbox.new_message_id(),
    )
    start = threading.Barrier(2)
    results, errors = [], []
    original = EmailMessage.send

    def slow_send(self, *args, **kwargs):
        time.sleep(0.3)  # the other worker tries while this one is sending
        return original(self, *args, **kwargs)

    def worker():
        try:
            start.wait(timeout=10)
            results.append(outbox.deliver(message.pk))
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    EmailMessage.send = slow_send
    try:
        threads = [threading.Thread(target=worker) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    finally:
        EmailMessage.send = original
    assert not errors, errors
    assert sorted(results) == ["not queued or taken", "sent"]
    message.refresh_from_db()
    assert message.status == M.SENT and message.attempts == 1
    assert [m.subject for m in mail.outbox] == ["Gleichzeitig"]
