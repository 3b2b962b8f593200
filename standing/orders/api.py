"""``/api/v1/orders`` and ``/api/v1/customers/{number}/orders`` (SPEC §10)."""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from standing.accounts.models import Role
from standing.accounts.scoping import STAFF, get_scoped, require, scoped
from standing.core.strict import IsoDate, IsoDateTime, Money
from standing.customers.models import Customer
from standing.screening import services as screening
from standing.screening.api import RegistrationIn, registration_values
from standing.vendors.models import Vendor

from . import events, services
from .models import InstallmentState, ItemKind, Order, OrderStatus, PaymentMethod, PlanKind

router = Router(tags=["orders"])
customer_orders = Router(tags=["orders"])
WRITERS = (*STAFF, Role.INTEGRATION, Role.VENDOR)


# Database ids are 64-bit; a larger number must be refused before it reaches a query.
VendorId = Annotated[int, Field(ge=1, le=2**63 - 1)]


class ProductIn(Schema):
    sku: str = Field(min_length=1, max_length=64)
    name: str = Field(min_length=1, max_length=200)
    # Beyond §10: a rental period makes the item a rented object on the customer card.
    period_from: IsoDate | None = None
    period_until: IsoDate | None = None


class OneTimePlan(Schema):
    kind: Literal["one_time"]
    due: IsoDate


class InstallmentPlan(Schema):
    kind: Literal["installments"]
    count: int = Field(ge=1, le=1000)
    interval: Literal["monthly"] = "monthly"
    first_due: IsoDate


class OrderIn(Schema):
    number: str = Field(min_length=1, max_length=64)
    vendor: VendorId
    customer: str | None = Field(
        None,
        max_length=32,
        description="the customer's number; a vendor token reaches only customers it already "
        "deals with, unless the order carries the customer's `registration`",
    )
    registration: RegistrationIn | None = Field(
        None,
        description="the customer's registration data (as POST /registrations): screened like "
        "a registration, or matched to the customer it repeats",
    )
    product: ProductIn
    amount: Money
    payment_method: PaymentMethod
    created_at: IsoDateTime | None = None
    payment_plan: Annotated[OneTimePlan | InstallmentPlan, Field(discriminator="kind")]


class EventIn(Schema):
    id: str = Field(min_length=1, max_length=100)
    type: str = Field(max_length=24)
    date: IsoDate
    amount: Money | None = None
    installment: int | None = Field(None, ge=1, le=1000)
    fee: Money | None = None


class ItemOut(Schema):
    kind: ItemKind
    sku: str
    name: str
    price: Decimal
    period_from: date | None
    period_until: date | None
    returned_on: date | None


class InstallmentOut(Schema):
    sequence: int
    due: date
    amount: Decimal
    paid_amount: Decimal
    open_amount: Decimal
    state: InstallmentState


class PlanOut(Schema):
    kind: PlanKind
    due: date | None = None
    count: int | None = None
    interval: str | None = None
    first_due: date | None = None


class ProductOut(Schema):
    sku: str
    name: str


class OrderOut(Schema):
    number: str
    vendor: int
    customer: str
    status: OrderStatus
    product: ProductOut | None
    items: list[ItemOut]
    amount: Decimal
    original_amount: Decimal
    paid_amount: Decimal
    open_amount: Decimal
    cancellation_costs: Decimal
    payment_method: PaymentMethod
    payment_plan: PlanOut
    created_at: datetime
    installments: list[InstallmentOut]


class OrderPage(Schema):
    items: list[OrderOut]
    count: int
    page: int
    pages: int


class InstallmentStateOut(Schema):
    sequence: int
    state: InstallmentState
    paid_amount: Decimal


class EventOut(Schema):
    id: str
    type: str
    duplicate: bool
    order: str
    status: OrderStatus
    amount: Decimal
    paid_amount: Decimal
    open_amount: Decimal
    cancellation_costs: Decimal
    installments: list[InstallmentStateOut]


def order_out(order):
    installments = list(order.installments.all())
    items = list(order.items.all())
    first = installments[0] if installments else None
    if order.plan_kind == PlanKind.ONE_TIME:
        plan = {"kind": order.plan_kind, "due": first.due_date if first else None}
    else:
        plan = {
            "kind": order.plan_kind,
            "count": len(installments),
            "interval": order.plan_interval,
            "first_due": first.due_date if first else None,
        }
    return {
        "number": order.number,
        "vendor": order.vendor_id,
        "customer": order.customer.number,
        "status": order.status,
        "product": {"sku": items[0].sku, "name": items[0].name} if items else None,
        "items": items,
        "amount": order.amount,
        "original_amount": order.original_amount,
        "paid_amount": order.paid_amount,
        "open_amount": order.open_amount,
        "cancellation_costs": order.cancellation_costs,
        "payment_method": order.payment_method,
        "payment_plan": plan,
        "created_at": order.created_at,
        "installments": [
            {
                "sequence": i.sequence,
                "due": i.due_date,
                "amount": i.amount,
                "paid_amount": i.paid_amount,
                "open_amount": i.open_amount,
                "state": i.state,
            }
            for i in installments
        ],
    }


def _orders(actor):
    return scoped(
        Order.objects.select_related("customer").prefetch_related("installments", "items"), actor
    )


@router.post("", response={201: OrderOut})
def create_order(request, payload: OrderIn):
    actor = request.actor
    require(actor, *WRITERS)
    if actor.vendor_id is not None and payload.vendor != actor.vendor_id:
        raise PermissionDenied("This token may create orders only for its own vendor.")
    vendor = Vendor.objects.filter(pk=payload.vendor).first()
    if vendor is None:
        raise ValidationError({"vendor": [f"There is no vendor with the id {payload.vendor}."]})
    customer = _order_customer(actor, payload)
    plan = payload.payment_plan
    created_at = payload.created_at or timezone.now()
    if timezone.is_naive(created_at):
        created_at = timezone.make_aware(created_at)
    product = payload.product
    order = services.create_order(
        actor,
        number=payload.number,
        vendor=vendor,
        customer=customer,
        amount=payload.amount,
        payment_method=payload.payment_method,
        created_at=created_at,
        plan_kind=plan.kind,
        due=getattr(plan, "due", None),
        count=getattr(plan, "count", None),
        first_due=getattr(plan, "first_due", None),
        items=[
            {
                "kind": services.item_kind(product.sku, vendor, product.period_from),
                "sku": product.sku,
                "name": product.name,
                "price": payload.amount,
                "period_from": product.period_from,
                "period_until": product.period_until,
            }
        ],
    )
    return 201, order_out(_orders(actor).get(pk=order.pk))


def _order_customer(actor, payload):
    """The customer the order is for. Scoped: a vendor token reaches a customer it had no
    business with only by carrying that customer's registration data, which is screened like
    a registration (or matched to the customer it repeats)."""
    if payload.registration is None:
        if not payload.customer:
            raise ValidationError(
                {"customer": [_("Name the customer, or send their registration data.")]}
            )
        return services.customer_for_order(actor, payload.customer)
    values, payment = registration_values(payload.registration)
    if payload.customer:
        # Both given: the registration must be the named customer's; nothing is created.
        try:
            return services.customer_for_order(actor, payload.customer)
        except ValidationError:
            repeated = screening.repeated_registration(values)
            if repeated is None or repeated.number != payload.customer:
                raise
    require(actor, *screening.REGISTRARS)
    return screening.register(actor, values, initial_payment=payment)


@router.get("", response=OrderPage)
def list_orders(
    request,
    vendor: int | None = Query(None, ge=1, le=2**63 - 1),
    customer: str = "",
    status: OrderStatus | None = None,
    overdue_on: IsoDate | None = None,
    page: int = Query(1, ge=1, le=10**6),
):
    require(request.actor, *STAFF, Role.VENDOR, Role.INTEGRATION)
    if page < 1:
        raise HttpError(422, "page starts at 1.")
    qs = services.order_list(
        _orders(request.actor),
        vendor=vendor,
        customer=customer,
        status=status or "",
        overdue_on=overdue_on,
    )
    return _page(qs, page)


def _page(qs, page):
    paginator = Paginator(qs.order_by("-created_at", "-id"), 50)
    current = paginator.get_page(page)
    return {
        "items": [order_out(o) for o in current.object_list],
        "count": paginator.count,
        "page": current.number,
        "pages": paginator.num_pages,
    }


VendorFilter = Query(
    None, ge=1, le=2**63 - 1, description="the vendor, when several vendors use this number"
)


@router.get("/{number}", response=OrderOut)
def get_order(request, number: str, vendor: int | None = VendorFilter):
    return order_out(services.find_order(_orders(request.actor), request.actor, number, vendor))


@router.post("/{number}/events", response={200: EventOut, 201: EventOut})
def post_event(request, number: str, payload: EventIn, vendor: int | None = VendorFilter):
    require(request.actor, *WRITERS)
    order = services.find_order(Order.objects.all(), request.actor, number, vendor)
    result, duplicate = events.deliver(
        order,
        request.actor,
        events.Event(
            id=payload.id.strip(),
            type=payload.type,
            date=payload.date,
            amount=payload.amount,
            installment=payload.installment,
            fee=payload.fee,
        ),
    )
    return (200 if duplicate else 201), {**result, "duplicate": duplicate}


@customer_orders.get("/{number}/orders", response=OrderPage)
def orders_of_customer(request, number: str, page: int = 1):
    require(request.actor, *STAFF, Role.VENDOR, Role.INTEGRATION, Role.CUSTOMER)
    if page < 1:
        raise HttpError(422, "page starts at 1.")
    customer = get_scoped(Customer.objects.all(), request.actor, number=number)
    return _page(_orders(request.actor).filter(customer=customer), page)
