from django.conf import settings
from django.tasks import task
from django.utils import translation
from django.utils.translation import gettext as _

from . import outbox


@task()
def deliver_message(message_id: int):
    """Send one outbox row (customers/outbox.py), outside any transaction."""
    return outbox.deliver(message_id)


@outbox.renderer("invitation")
def invitation(message):
    """The invitation with the link to set a password, made when it is sent (the link is
    valid for a limited time and is never stored)."""
    from .access import invitation_path

    customer = message.customer
    user = customer.user
    with translation.override(customer.language or settings.LANGUAGE_CODE):
        link = settings.SITE_URL + invitation_path(user) if user else ""
        body = _(
            "Hello %(name)s,\n\nplease set the password for your customer login %(login)s:\n"
            "%(link)s\n\nThe link is valid for %(days)d days and can be used once.\n"
        ) % {
            "name": customer.full_name,
            "login": user.username if user else "",
            "link": link,
            "days": settings.PASSWORD_RESET_TIMEOUT // 86400,
        }
        return _("Your customer login"), body
