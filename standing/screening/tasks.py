from django.tasks import task

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
