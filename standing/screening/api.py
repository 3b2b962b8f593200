"""``POST /api/v1/registrations`` (SPEC §10): answers ``{number, status}`` and never a reason."""

from typing import Literal

from ninja import Field, Router, Schema

from standing.accounts.scoping import require
from standing.core.strict import IsoDate
from standing.customers.models import CustomerStatus

from . import services

router = Router(tags=["registrations"])


class AddressIn(Schema):
    street: str = Field(max_length=200)
    postal_code: str = Field(max_length=20)
    city: str = Field(max_length=100)
    country: str = Field("DE", min_length=2, max_length=2, description="ISO 3166 code, e.g. DE")


class InitialPaymentIn(Schema):
    provider: str = Field(max_length=40)
    status: Literal["completed", "failed"]
    reference: str = Field("", max_length=200)


class RegistrationIn(Schema):
    first_name: str = Field(max_length=100)
    last_name: str = Field(max_length=100)
    birth_date: IsoDate
    email: str = Field(max_length=254)
    phone: str = Field(max_length=40)
    iban: str | None = Field(None, max_length=42)
    address: AddressIn
    initial_payment: InitialPaymentIn | None = None


class RegistrationOut(Schema):
    number: str
    status: CustomerStatus


def registration_values(payload: RegistrationIn):
    """(master data, initial payment) of a registration body, as ``services.register`` takes."""
    values = payload.dict(exclude={"address", "initial_payment"})
    values["iban"] = values["iban"] or ""
    values.update(payload.address.dict())
    payment = payload.initial_payment.dict() if payload.initial_payment else None
    return values, payment


@router.post("", response={201: RegistrationOut})
def register(request, payload: RegistrationIn):
    """Register a customer (PENDING, with a login) and screen them at once. Answers the
    customer number and the resulting status (``verified``, ``denied``, or ``pending`` while
    a person decides), never a reason."""
    require(request.actor, *services.REGISTRARS)
    values, payment = registration_values(payload)
    customer = services.register(request.actor, values, initial_payment=payment)
    return 201, {"number": customer.number, "status": customer.status}
