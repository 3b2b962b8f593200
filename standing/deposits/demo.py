"""Demo data: open deposit offers with a sandbox payment link for two denied customers."""

from decimal import Decimal

from standing.accounts.scoping import Actor
from standing.customers.models import Customer, CustomerStatus

from . import services
from .models import DepositOffer


def demo_offers(command, users, vendors):
    if DepositOffer.objects.filter(customer__email__endswith="@demo.standing.example").exists():
        return
    support = Actor.of(users["support"])
    denied = Customer.objects.filter(
        status=CustomerStatus.DENIED, email__endswith="@demo.standing.example"
    ).order_by("id")[:2]
    for customer, amount in zip(denied, (Decimal("150.00"), Decimal("300.00")), strict=False):
        offer = services.offer_deposit(
            customer, support, amount, "receipt", "deposit", True, "sandbox"
        )
        command.stdout.write(
            f"  Deposit offer for {customer.number}: pay at {offer.payment_link.payment_url}"
        )
