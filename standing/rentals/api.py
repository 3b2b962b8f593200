"""The card's rented objects, damage cases, vouchers and open payments over the API
(``/api/v1/customers/{number}/…`` and ``/api/v1/rentals/…``); same rules as the UI."""

from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone
from ninja import Field, Router, Schema

from standing.accounts.scoping import BACK_OFFICE, get_scoped, require, scoped
from standing.core.money import round_money
from standing.core.strict import IsoDate, Money
from standing.customers.models import Customer
from standing.orders import services as orders
from standing.orders.models import ItemKind, Order, OrderItem

from . import services
from .models import DamageCase, DamageStatus, Voucher

router = Router(tags=["rentals"])
customer_router = Router(tags=["rentals"])
MAX_ID = 2**63 - 1


class RentalOut(Schema):
    id: int
    order: str = Field(alias="order.number")
    sku: str
    name: str
    price: Decimal
    period_from: date | None
    period_until: date | None
    returned_on: date | None


class RentalPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=200)
    price: Money | None = None
    period_from: IsoDate | None = None
    period_until: IsoDate | None = None


class ReturnIn(Schema):
    returned_on: IsoDate


class DamageIn(Schema):
    item: int = Field(ge=1, le=MAX_ID)
    date: IsoDate
    description: str = Field(min_length=1, max_length=2000)
    amount: Money


class DamageOut(Schema):
    id: int
    date: date
    object: str = Field(alias="object_name")
    order: str | None
    description: str
    amount: Decimal
    status: DamageStatus

    @staticmethod
    def resolve_order(damage):
        return damage.order.number if damage.order_id else None


class VoucherIn(Schema):
    vendor: int = Field(ge=1, le=MAX_ID)
    code: str = Field("", max_length=40)
    value: Money | None = None
    percent: Money | None = None
    valid_until: IsoDate | None = None


class VoucherOut(Schema):
    id: int
    code: str
    vendor: int = Field(alias="vendor_id")
    value: Decimal | None
    percent: Decimal | None
    valid_until: date | None
    redeemed_at: datetime | None


class OpenPaymentOut(Schema):
    order: str
    installment: int
    due: date
    open_amount: Decimal
    state: str
    age_days: int


class BalanceOut(Schema):
    order: str
    due_amount: Decimal
    open_amount: Decimal


class OpenPaymentsOut(Schema):
    payments: list[OpenPaymentOut]
    balances: list[BalanceOut]


def _customer(request, number):
    require(request.actor, *BACK_OFFICE)
    return get_scoped(Customer.objects.all(), request.actor, number=number)


def _find(queryset, actor, pk):
    require(actor, *BACK_OFFICE)
    if not 1 <= pk <= MAX_ID:
        raise Http404("Not found.")
    return get_scoped(queryset, actor, pk=pk)


def _item(request, item_id):
    items = OrderItem.objects.select_related("order__customer")
    return _find(items.filter(kind=ItemKind.RENTAL), request.actor, item_id)


@customer_router.get("/{number}/rentals", response=list[RentalOut])
def list_rentals(request, number: str):
    customer = _customer(request, number)
    items = scoped(OrderItem.objects.filter(order__customer=customer), request.actor)
    return items.filter(kind=ItemKind.RENTAL).select_related("order").order_by("id")


@router.patch("/items/{item_id}", response=RentalOut)
def edit_rental(request, item_id: int, payload: RentalPatch):
    item = _item(request, item_id)
    values = {
        "name": item.name,
        "price": item.price,
        "period_from": item.period_from,
        "period_until": item.period_until,
        **payload.dict(exclude_unset=True),
    }
    if values["name"] is None or values["price"] is None:
        raise ValidationError("name and price cannot be emptied.")
    return services.edit_item(item, request.actor, values)


@router.post("/items/{item_id}/reload-price", response=RentalOut)
def reload_price(request, item_id: int):
    return services.reload_price(_item(request, item_id), request.actor)


@router.post("/items/{item_id}/return", response=RentalOut)
def take_back(request, item_id: int, payload: ReturnIn):
    return services.take_back(_item(request, item_id), request.actor, payload.returned_on)


@router.post("/items/{item_id}/remove", response={204: None})
def remove(request, item_id: int):
    services.remove_item(_item(request, item_id), request.actor)
    return 204, None


@customer_router.get("/{number}/damages", response=list[DamageOut])
def list_damages(request, number: str):
    customer = _customer(request, number)
    return scoped(DamageCase.objects.filter(customer=customer), request.actor).select_related(
        "order"
    )


@customer_router.post("/{number}/damages", response={201: DamageOut})
def add_damage(request, number: str, payload: DamageIn):
    customer = _customer(request, number)
    items = OrderItem.objects.filter(order__customer=customer).select_related("order__customer")
    item = scoped(items, request.actor).filter(pk=payload.item).first()
    if item is None:
        raise ValidationError({"item": [f"The customer has no object {payload.item}."]})
    damage = services.add_damage(
        item,
        request.actor,
        date=payload.date,
        description=payload.description,
        amount=payload.amount,
    )
    return 201, damage


@router.post("/damages/{damage_id}/{status}", response=DamageOut)
def damage_status(request, damage_id: int, status: str):
    damage = _find(DamageCase.objects.select_related("customer", "order"), request.actor, damage_id)
    return services.damage_transition(damage, status, request.actor)


@customer_router.get("/{number}/vouchers", response=list[VoucherOut])
def list_vouchers(request, number: str):
    customer = _customer(request, number)
    return scoped(Voucher.objects.filter(customer=customer), request.actor)


@customer_router.post("/{number}/vouchers", response={201: VoucherOut})
def add_voucher(request, number: str, payload: VoucherIn):
    from .views import customer_vendors

    customer = _customer(request, number)
    vendor = customer_vendors(customer, request.actor).filter(pk=payload.vendor).first()
    if vendor is None:
        raise ValidationError({"vendor": ["The customer has no orders with this vendor."]})
    voucher = services.add_voucher(
        customer,
        request.actor,
        vendor=vendor,
        code=payload.code,
        value=payload.value,
        percent=payload.percent,
        valid_until=payload.valid_until,
    )
    return 201, voucher


@router.post("/vouchers/{voucher_id}/redeem", response=VoucherOut)
def redeem(request, voucher_id: int):
    voucher = _find(Voucher.objects.select_related("customer"), request.actor, voucher_id)
    return services.redeem_voucher(voucher, request.actor)


@customer_router.get("/{number}/open-payments", response=OpenPaymentsOut)
def open_payments(request, number: str):
    customer = _customer(request, number)
    today = timezone.localdate()
    visible = scoped(Order.objects.all(), request.actor)
    return {
        "payments": [
            {
                "order": i.order.number,
                "installment": i.sequence,
                "due": i.due_date,
                "open_amount": i.open_amount,
                "state": i.state,
                "age_days": i.age,
            }
            for i in orders.open_payments(customer, visible, today)
        ],
        "balances": [
            {
                "order": o.number,
                "due_amount": round_money(o.due_amount),
                "open_amount": o.open_amount,
            }
            for o in orders.balances(customer, visible, today)
        ],
    }
