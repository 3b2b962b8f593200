from django.tasks import task

from standing.customers.models import Customer

from .services import refresh_pairs


@task()
def refresh_customer_pairs(customer_id: int):
    """Store a saved customer's duplicate pairs (``services.refresh_pairs``), after the save:
    a registration does not wait for the half dozen lookups (a third of its queries' time
    at a million customers)."""
    customer = Customer.objects.filter(pk=customer_id).first()
    if customer is not None:
        refresh_pairs(customer)
