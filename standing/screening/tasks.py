from django.conf import settings
from django.core.mail import EmailMessage
from django.tasks import task
from django.utils import translation
from django.utils.translation import gettext as _

from standing.accounts.scoping import SYSTEM
from standing.customers.models import Customer, CustomerStatus

from .matching import customers_matching
from .models import DenyEntry, Trigger


@task()
def rescreen_for_entries(entry_ids: list[int]):
    """Re-screen the customers that new or changed entries might match; their new hits
    become review items for staff (see services.screen with Trigger.DENYLIST)."""
    from .services import screen

    customer_ids = set()
    for entry in DenyEntry.objects.filter(pk__in=entry_ids):
        customer_ids |= customers_matching(entry)
    for customer in Customer.objects.filter(pk__in=customer_ids).exclude(
        status=CustomerStatus.DELETED
    ):
        screen(customer, SYSTEM, Trigger.DENYLIST, with_credit=False)


@task()
def send_registration_received(customer_id: int):
    """The neutral confirmation: the same words whatever the screening decided."""
    customer = Customer.objects.get(pk=customer_id)
    if not customer.email:
        return
    with translation.override(customer.language or settings.LANGUAGE_CODE):
        subject = _("Your registration")
        body = _(
            "Hello %(name)s,\n\nthank you for registering. Your customer number is %(number)s.\n"
            "We will get in touch with you by email.\n\nKind regards\nYour customer service"
        ) % {"name": customer.full_name, "number": customer.number}
    EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [customer.email]).send()
