"""``POST /api/v1/registrations`` (SPEC §10): answers ``{number, status}`` and never a reason."""

from datetime import date
from typing import Literal

from ninja import Router, Schema

from standing.accounts.models import Role
from standing.accounts.scoping import require
from standing.customers.models import CustomerStatus

from . import services

router = Router(tags=["registrations"])


class AddressIn(Schema):
    street: str
    postal_code: str
    city: str
    country: str = "DE"


class InitialPaymentIn(Schema):
    provider: str
    status: Literal["completed", "failed"]
    reference: str = ""


class RegistrationIn(Schema):
    first_name: str
    last_name: str
    birth_date: date
    email: str
    phone: str
    iban: str | None = None
    address: AddressIn
    initial_payment: InitialPaymentIn | None = None


class RegistrationOut(Schema):
    number: str
    status: CustomerStatus


@router.post("", response={201: RegistrationOut})
def register(request, payload: RegistrationIn):
    require(request.actor, Role.INTEGRATION, Role.ADMIN, Role.SUPPORT)
    values = payload.dict(exclude={"address", "initial_payment"})
    values["iban"] = values["iban"] or ""
    values.update(payload.address.dict())
    payment = payload.initial_payment.dict() if payload.initial_payment else None
    customer = services.register(request.actor, values, initial_payment=payment)
    return 201, {"number": customer.number, "status": customer.status}
