from django.conf import settings
from django.core.mail import EmailMessage
from django.tasks import task
from django.utils import timezone

from standing.activity.services import record

from .models import Message, MessageStatus


@task()
def deliver_message(message_id: int):
    """Send one logged customer email; the outcome is written back and into the activity."""
    message = Message.objects.select_related("customer").get(pk=message_id)
    if message.status == MessageStatus.SENT:
        return
    email = EmailMessage(message.subject, message.body, settings.DEFAULT_FROM_EMAIL, [message.to])
    for attachment in message.attachments.all():
        with attachment.file.open("rb") as fh:
            email.attach(attachment.name, fh.read(), attachment.content_type)
    try:
        email.send()
    except OSError as error:
        Message.objects.filter(pk=message.pk).update(
            status=MessageStatus.FAILED, error=str(error)[:300]
        )
        record(message.customer, None, "message.failed", f"Email failed: {error}"[:300])
        raise
    Message.objects.filter(pk=message.pk).update(status=MessageStatus.SENT, sent_at=timezone.now())
    record(message.customer, None, "message.sent", f"Email sent: {message.subject}")
