import pytest

from standing.accounts.models import Role, User
from standing.customers.lifecycle import transition
from standing.customers.models import CustomerStatus


@pytest.fixture
def denied(customer_factory, vendor1, support):
    """A DENIED customer of vendor 1 with a login, as the screening leaves them."""
    customer = customer_factory(vendor=vendor1, first_name="Dora", last_name="Denied")
    customer.user = User.objects.create_user(
        "dora", password="pw-dora-123", role=Role.CUSTOMER, email=customer.email
    )
    customer.save(update_fields=["user"])
    transition(customer, CustomerStatus.DENIED, support, details={"reason": "denylist: email"})
    return customer
