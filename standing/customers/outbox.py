"""The outbox: every email to a customer is one ``Message`` row, written in the transaction
that decided to send it; a task sends it after commit, outside any transaction.

- ``enqueue()`` writes the row (QUEUED) with its own ``Message-ID`` header and, on commit,
  enqueues ``deliver_message``.
- ``deliver()`` first *claims* the row: one conditional UPDATE gives it to this attempt (a new
  ``attempt_id``, a lease until ``locked_until``, the attempt counted), so of two workers at
  once only one sends; a row whose lease is running is "being sent" and nobody else touches
  it. Then it sends, and records the outcome only if the row is still its own (the same
  ``attempt_id``): QUEUED → SENT, or after ``MAX_ATTEMPTS`` attempts QUEUED → FAILED; between
  attempts the row stays QUEUED with its error and the time of the next attempt (backoff).
- ``sweep()`` is a tick job: it re-enqueues queued rows whose next attempt is due and whose
  lease has expired (a crash, a lost task), and fails rows that were interrupted
  ``MAX_ATTEMPTS`` times.
- Staff may send a FAILED message again (FAILED → QUEUED).

How close to exactly once: SMTP has no transaction with our database, so one window remains.
A worker that dies (or hangs past the lease) *after* the mail server accepted the message and
*before* the row is marked SENT leaves a claimed row; when the lease (``LEASE``) has run out
the sweeper sends it again. That second copy carries the same ``Message-ID`` (stable per row),
so mail servers and clients that drop duplicates by Message-ID show it once. Nothing else
sends twice: two workers never hold one row, a late worker whose lease was taken over cannot
mark the row (its outcome is dropped, and logged), and the SMTP timeout (``EMAIL_TIMEOUT``,
60 s) is kept well below the lease, so a slow server cannot outlast it.

Messages of a ``kind`` with a renderer (``RENDERERS``) make their subject and body when they
are sent, so nothing secret (an invitation's password link) is ever stored.
"""

import logging
import uuid
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F, Q
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
        message_id=new_message_id(),
    )
    if attachments:
        message.attachments.set(attachments)
    transaction.on_commit(lambda: deliver_message.enqueue(message.pk))
    return message


def new_message_id():
    """A globally unique ``Message-ID`` in the sender's domain (RFC 5322)."""
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2].strip(" >") or "standing.invalid"
    return f"<outbox.{uuid.uuid4().hex}@{domain}>"


def message_id_of(message):
    """The row's stable ``Message-ID``; rows from before it was stored get one once."""
    if not message.message_id:
        fresh = new_message_id()
        Message.objects.filter(pk=message.pk, message_id="").update(message_id=fresh)
        message.message_id = Message.objects.values_list("message_id", flat=True).get(pk=message.pk)
    return message.message_id


def _free(now):
    return Q(locked_until__isnull=True) | Q(locked_until__lt=now)


def _claim(message_id, attempt, now):
    """The row for this attempt, or None: one conditional UPDATE, so only one worker sends a
    row at a time, and the attempt is counted before anything is sent (a crash counts)."""
    claimed = Message.objects.filter(
        _free(now), pk=message_id, status=M.QUEUED, attempts__lt=MAX_ATTEMPTS
    ).update(attempt_id=attempt, locked_until=now + LEASE, attempts=F("attempts") + 1)
    if claimed != 1:
        return None
    return Message.objects.select_related("customer").get(pk=message_id)


def _email(message):
    subject, body = message.subject, message.body
    if message.kind:
        subject, body = RENDERERS[message.kind](message)
    email = EmailMessage(
        subject,
        body,
        settings.DEFAULT_FROM_EMAIL,
        [message.to],
        headers={"Message-ID": message_id_of(message)},
    )
    for attachment in message.attachments.all():
        with attachment.file.open("rb") as fh:
            email.attach(attachment.name, fh.read(), attachment.content_type)
    return email


def _fail(message, text, condition) -> bool:
    """QUEUED → FAILED, if ``condition`` still holds for the row (it is this attempt's, or no
    attempt holds it)."""
    try:
        MESSAGE.transition(
            message,
            M.FAILED,
            None,
            reason=text,
            updates={"error": text, "locked_until": None, "attempt_id": None},
            condition=condition,
        )
    except MessageNotQueued:
        return False
    return True


def deliver(message_id, now=None) -> str:
    """Send one queued message (never inside a transaction: the mail server may be slow)."""
    now = now or timezone.now()
    attempt = uuid.uuid4()
    message = _claim(message_id, attempt, now)
    if message is None:
        return "not queued or taken"
    attempts = message.attempts
    done = {"locked_until": None, "attempt_id": None}
    try:
        _email(message).send()
    except Exception as error:  # any failure of this attempt is recorded on the row
        log.warning("email %s attempt %s failed: %s", message.pk, attempts, error)
        text = f"{type(error).__name__}: {error}"[:300]
        if attempts >= MAX_ATTEMPTS:
            return "failed" if _fail(message, text, Q(attempt_id=attempt)) else _lost(message)
        retried = Message.objects.filter(pk=message.pk, attempt_id=attempt).update(
            error=text,
            next_attempt_at=now + timedelta(minutes=BACKOFF_MINUTES[attempts - 1]),
            **done,
        )
        return "retry" if retried else _lost(message)
    try:
        MESSAGE.transition(
            message,
            M.SENT,
            None,
            updates={"sent_at": timezone.now(), "error": "", **done},
            condition=Q(attempt_id=attempt),
        )
    except MessageNotQueued:
        return _lost(message)
    return "sent"


def _lost(message):
    """This attempt's lease ran out and another attempt took the row over: its outcome is
    not recorded (the other attempt records its own)."""
    log.warning(
        "email %s: an attempt outlived its lease; the row was taken over (Message-ID %s)",
        message.pk,
        message.message_id,
    )
    return "lease lost"


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
    attempt is due (a crash left them, or they wait for their retry) and whose lease has run
    out; rows a crash interrupted ``MAX_ATTEMPTS`` times fail."""
    from .tasks import deliver_message

    due = Message.objects.filter(status=M.QUEUED, next_attempt_at__lte=now).filter(_free(now))
    given_up = 0
    for message in due.filter(attempts__gte=MAX_ATTEMPTS).order_by("pk")[:100]:
        given_up += _fail(message, "delivery interrupted", _free(now))
    ids = list(
        due.filter(attempts__lt=MAX_ATTEMPTS)
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:500]
    )
    for pk in ids:
        deliver_message.enqueue(pk)
    parts = [f"{len(ids)} email(s) to send"] if ids else []
    parts += [f"{given_up} given up"] if given_up else []
    return f"outbox: {', '.join(parts)}" if parts else None
