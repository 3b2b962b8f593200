from datetime import date, datetime

from django.core.paginator import Paginator
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from standing.accounts.models import Role
from standing.accounts.scoping import STAFF, get_scoped, require, scoped
from standing.core.registry import Registry
from standing.core.strict import IsoDate, Language

from . import services
from .models import Customer, CustomerGroup, CustomerStatus
from .search import customer_list
from .standing import standing_of

router = Router(tags=["customers"])


class CustomerOut(Schema):
    number: str
    status: CustomerStatus
    kind: str
    first_name: str
    last_name: str
    company_name: str
    birth_date: date | None
    email: str
    phone: str
    iban: str
    document_number: str
    street: str
    postal_code: str
    city: str
    country: str
    group: str | None = Field(None, alias="group.name")
    language: str
    created_at: datetime
    updated_at: datetime
    merged_into: str | None = Field(
        None,
        alias="merged_into.number",
        description="set when this number was merged into another customer: the survivor",
    )


class DenialReasonOut(Schema):
    reason: str = Field(description="credit, denylist or payment_failed")
    attribute: str = Field(description="what caused it, e.g. email, name+birth_date")
    detail: str


class StaffCustomerOut(CustomerOut):
    """The card as operator admin and support tokens read it: with the denial reasons."""

    denial_reasons: list[DenialReasonOut]


# Who tells the API a customer's denial reasons: screening registers its findings here
# (customers knows nothing of screening). fn(customer) -> [{reason, attribute, detail}].
DENIAL_REASONS = Registry("denial reasons")


class CustomerPage(Schema):
    items: list[CustomerOut]
    count: int
    page: int
    pages: int


class CustomerPatch(Schema):
    kind: str | None = Field(None, max_length=20)
    first_name: str | None = Field(None, max_length=100)
    last_name: str | None = Field(None, max_length=100)
    company_name: str | None = Field(None, max_length=200)
    birth_date: IsoDate | None = None
    email: str | None = Field(None, max_length=254)
    phone: str | None = Field(None, max_length=40)
    iban: str | None = Field(None, max_length=42)
    document_number: str | None = Field(None, max_length=40)
    street: str | None = Field(None, max_length=200)
    postal_code: str | None = Field(None, max_length=20)
    city: str | None = Field(None, max_length=100)
    country: str | None = Field(None, max_length=2)
    group: str | None = Field(
        None, max_length=100, description="name of the customer group, empty for none"
    )
    language: Language | None = None
    general_info: str | None = Field(None, max_length=5000)


class StandingOut(Schema):
    status: CustomerStatus
    blocked: bool
    blocked_until: datetime | None
    can_login: bool
    can_book: bool
    can_reserve: bool
    permissions: dict[str, bool]


@router.get("", response=CustomerPage)
def list_customers(
    request,
    q: str = Query("", max_length=200),
    status: CustomerStatus | None = None,
    blocked: bool | None = None,
    page: int = Query(1, ge=1, le=10**6),
):
    require(request.actor, *STAFF, Role.VENDOR)
    if page < 1:
        raise HttpError(422, "page starts at 1.")
    qs = customer_list(
        scoped(Customer.objects.all(), request.actor), q=q, status=status or "", blocked=blocked
    )
    paginator = Paginator(qs, 50)
    current = paginator.get_page(page)
    return {
        "items": list(current.object_list),
        "count": paginator.count,
        "page": current.number,
        "pages": paginator.num_pages,
    }


@router.get("/{number}", response=StaffCustomerOut | CustomerOut)
def get_customer(request, number: str):
    """The card. For operator admin and support tokens it carries ``denial_reasons``
    (SPEC §10); integration, vendor and customer tokens never get them."""
    customer = get_scoped(Customer.objects.select_related("group"), request.actor, number=number)
    if request.actor.role not in STAFF:
        return CustomerOut.from_orm(customer)
    customer.denial_reasons = [reason for fn in DENIAL_REASONS for reason in fn(customer)]
    return customer


@router.patch("/{number}", response=CustomerOut)
def patch_customer(request, number: str, payload: CustomerPatch):
    require(request.actor, *STAFF)
    customer = get_scoped(Customer.objects.all(), request.actor, number=number)
    values = payload.dict(exclude_unset=True)
    if "group" in values:
        name = values.pop("group")
        values["group"] = None
        if name:
            values["group"] = get_scoped(CustomerGroup.objects.all(), request.actor, name=name)
    values = {
        k: ("" if v is None and k not in ("birth_date", "group") else v) for k, v in values.items()
    }
    services.update_customer(customer, request.actor, values)
    customer.refresh_from_db()
    return customer


@router.get("/{number}/standing", response=StandingOut)
def get_standing(request, number: str):
    return standing_of(number, request.actor)
