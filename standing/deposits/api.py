"""Screening outcomes over HTTP (SPEC §10): deposit offer, accept, verify, activate, delete."""

from decimal import Decimal

from ninja import Field, Router, Schema

from standing.accounts.scoping import STAFF, get_scoped, require
from standing.core.strict import Money
from standing.customers.models import Customer, CustomerStatus

from . import services
from .models import OfferStatus

router = Router(tags=["screening outcomes"])


class DepositOfferIn(Schema):
    amount: Money = Field(..., description="decimal string, more than 0")
    billing_step: str = Field(..., max_length=20, description="invoice | receipt | none")
    cost_type: str = Field(
        "deposit", max_length=40, description="code of a cost type in the group 'Kaution'"
    )
    payment_link: bool = False


class DepositOfferOut(Schema):
    id: int
    payment_url: str | None
    status: OfferStatus
    amount: Decimal
    billing_step: str
    cost_type: str
    document: str | None = Field(None, description="number of the invoice, once made")


class OutcomeOut(Schema):
    number: str
    status: CustomerStatus


def _customer(request, number):
    customer = get_scoped(Customer.objects.all(), request.actor, number=number)
    require(request.actor, *STAFF)
    return customer


@router.post("/{number}/deposit-offer", response=DepositOfferOut)
def deposit_offer(request, number: str, payload: DepositOfferIn):
    offer = services.offer_deposit(
        _customer(request, number),
        request.actor,
        payload.amount,
        payload.billing_step,
        payload.cost_type,
        payload.payment_link,
    )
    return {
        "id": offer.pk,
        "payment_url": offer.payment_link.payment_url if offer.payment_link else None,
        "status": offer.status,
        "amount": offer.amount,
        "billing_step": offer.billing_step,
        "cost_type": offer.cost_type.code,
        "document": offer.document.number if offer.document else None,
    }


def _outcome(action):
    def endpoint(request, number: str):
        customer = action(_customer(request, number), request.actor)
        customer.refresh_from_db(fields=["status"])
        return customer

    return endpoint


for _name, _action in [
    ("accept", services.accept),
    ("verify", services.verify),
    ("activate", services.activate),
    ("delete", services.delete),
]:
    router.post(f"/{{number}}/{_name}", response=OutcomeOut, operation_id=f"customer_{_name}")(
        _outcome(_action)
    )
