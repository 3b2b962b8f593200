from django.conf import settings
from django.core.mail import EmailMessage
from django.tasks import task
from django.utils import timezone, translation
from django.utils.translation import gettext as _

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
        with translation.override(settings.LANGUAGE_CODE):
            summary = _("Email failed: %(error)s") % {"error": error}
        record(message.customer, None, "message.failed", summary[:300])
        raise
    Message.objects.filter(pk=message.pk).update(status=MessageStatus.SENT, sent_at=timezone.now())
    # The log is written in the installation's language, as the staff read it.
    with translation.override(settings.LANGUAGE_CODE):
        summary = _("Email sent: %(subject)s") % {"subject": message.subject}
    record(message.customer, None, "message.sent", summary)


@task()
def send_invitation(customer_id: int):
    """The invitation email with the link to set a password (valid for a limited time)."""
    from .access import invitation_path
    from .models import Customer

    customer = Customer.objects.select_related("user").get(pk=customer_id)
    if customer.user is None:
        return
    with translation.override(customer.language or settings.LANGUAGE_CODE):
        link = settings.SITE_URL + invitation_path(customer.user)
        body = _(
            "Hello %(name)s,\n\nplease set the password for your customer login %(login)s:\n"
            "%(link)s\n\nThe link is valid for %(days)d days and can be used once.\n"
        ) % {
            "name": customer.full_name,
            "login": customer.user.username,
            "link": link,
            "days": settings.PASSWORD_RESET_TIMEOUT // 86400,
        }
        EmailMessage(
            _("Your customer login"), body, settings.DEFAULT_FROM_EMAIL, [customer.email]
        ).send()
    record(customer, None, "login.invitation_sent", f"→ {customer.email}")
