"""The outbox: every email to a customer is one ``Message`` row, written in the transaction
that decided to send it; a task sends it after commit, outside any transaction.

- ``enqueue()`` writes the row (QUEUED) and, on commit, enqueues ``deliver_message``.
- ``deliver()`` takes a short lease on the row (a conditional UPDATE, so two workers never
  send the same row at once), sends, and moves it through the message lifecycle:
  QUEUED → SENT, or after ``MAX_ATTEMPTS`` failed attempts QUEUED → FAILED. Between attempts
  the row stays QUEUED with its error and the time of the next attempt (backoff).
- ``sweep()`` is a tick job: it re-enqueues rows a crash left QUEUED and rows whose next
  attempt is due. Delivery is at least once: a crash after the mail server accepted a message
  but before the row was marked SENT sends it again when the lease has run out.
- Staff may send a FAILED message again (FAILED → QUEUED).

Messages of a ``kind`` with a renderer (``RENDERERS``) make their subject and body when they
are sent, so nothing secret (an invitation's password link) is ever stored.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from standing.core import lifecycle

from .models import Message, MessageStatus

log = logging.getLogger(__name__)
M = MessageStatus

# Minutes to wait after the 1st, 2nd, … failed attempt; after the last one the row FAILED.
BACKOFF_MINUTES = [1, 5, 30, 120, 720]
MAX_ATTEMPTS = len(BACKOFF_MINUTES) + 1
LEASE = timedelta(minutes=5)
# A new row the immediate task has not taken within this time is taken by the sweeper.
GRACE = timedelta(minutes=2)

# kind -> callable(message) -> (subject, body), for messages whose text is made when sent.
RENDERERS: dict = {}


def renderer(kind):
    def register_renderer(fn):
        if kind in RENDERERS:
            raise ValueError(f"outbox renderer for {kind!r} registered twice")
        RENDERERS[kind] = fn
        return fn

    return register_renderer


class MessageNotQueued(lifecycle.TransitionNotAllowed):
    pass


MESSAGE = lifecycle.Lifecycle(
    "message",
    Message,
    {
        (M.QUEUED, M.SENT): "sent",
        (M.QUEUED, M.FAILED): "failed",
        (M.FAILED, M.QUEUED): "requeued",
    },
    action_prefix="message",
    describe=lambda message: _("Email “%(subject)s”") % {"subject": message.subject},
    summary=lambda message, frm, to: (
        {
            M.SENT: _("Email sent: %(subject)s"),
            M.FAILED: _("Email failed: %(subject)s"),
            M.QUEUED: _("Email queued again: %(subject)s"),
        }[to]
        % {"subject": message.subject}
    ),
    not_allowed=MessageNotQueued,
    changed=type("MessageChangedMeanwhile", (lifecycle.ChangedMeanwhile, MessageNotQueued), {}),
)


def enqueue(customer, subject, body="", *, to=None, actor=None, kind="", attachments=()):
    """Write the outbox row; it is sent after the surrounding transaction commits."""
    from .tasks import deliver_message

    if kind and kind not in RENDERERS:
        raise ValueError(f"no outbox renderer for {kind!r}")
    message = Message.objects.create(
        customer=customer,
        to=to or customer.email,
        subject=str(subject)[:200],
        body=body,
        kind=kind,
        sent_by=actor.user if actor else None,
        next_attempt_at=timezone.now() + GRACE,
    )
    if attachments:
        message.attachments.set(attachments)
    transaction.on_commit(lambda: deliver_message.enqueue(message.pk))
    return message


def _take(message_id, now):
    """The lease: only one worker sends a row at a time (a conditional UPDATE)."""
    free = Q(locked_until__isnull=True) | Q(locked_until__lt=now)
    return (
        Message.objects.filter(free, pk=message_id, status=M.QUEUED).update(
            locked_until=now + LEASE
        )
        == 1
    )


def _email(message):
    subject, body = message.subject, message.body
    if message.kind:
        subject, body = RENDERERS[message.kind](message)
    email = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [message.to])
    for attachment in message.attachments.all():
        with attachment.file.open("rb") as fh:
            email.attach(attachment.name, fh.read(), attachment.content_type)
    return email


def deliver(message_id, now=None) -> str:
    """Send one queued message (never inside a transaction: the mail server may be slow)."""
    now = now or timezone.now()
    if not _take(message_id, now):
        return "not queued or taken"
    message = Message.objects.select_related("customer").get(pk=message_id)
    attempts = message.attempts + 1
    try:
        _email(message).send()
    except Exception as error:  # any failure of this attempt is recorded on the row
        log.warning("email %s attempt %s failed: %s", message.pk, attempts, error)
        text = f"{type(error).__name__}: {error}"[:300]
        if attempts >= MAX_ATTEMPTS:
            MESSAGE.transition(
                message,
                M.FAILED,
                None,
                reason=text,
                updates={"attempts": attempts, "error": text, "locked_until": None},
            )
            return "failed"
        Message.objects.filter(pk=message.pk).update(
            attempts=attempts,
            error=text,
            locked_until=None,
            next_attempt_at=now + timedelta(minutes=BACKOFF_MINUTES[attempts - 1]),
        )
        return "retry"
    MESSAGE.transition(
        message,
        M.SENT,
        None,
        updates={
            "attempts": attempts,
            "sent_at": timezone.now(),
            "error": "",
            "locked_until": None,
        },
    )
    return "sent"


def send_again(message, actor):
    """Staff: a FAILED message is queued again, with fresh attempts."""
    from .tasks import deliver_message

    with transaction.atomic():
        MESSAGE.transition(
            message,
            M.QUEUED,
            actor,
            updates={"attempts": 0, "next_attempt_at": timezone.now() + GRACE},
        )
        transaction.on_commit(lambda: deliver_message.enqueue(message.pk))
    return message


def sweep(now):
    """Tick job (registered in CustomersConfig.ready): re-enqueue queued messages whose
    attempt is due (a crash left them, or they wait for their retry)."""
    from .tasks import deliver_message

    due = Message.objects.filter(status=M.QUEUED, next_attempt_at__lte=now).filter(
        Q(locked_until__isnull=True) | Q(locked_until__lt=now)
    )
    ids = list(due.order_by("next_attempt_at").values_list("pk", flat=True)[:500])
    for pk in ids:
        deliver_message.enqueue(pk)
    return f"outbox: {len(ids)} email(s) to send" if ids else None
