"""Creating orders and the set-based questions asked about them (what is due, what is overdue)."""

from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import (
    DecimalField,
    ExpressionWrapper,
    F,
    Min,
    OuterRef,
    Q,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from standing.accounts.scoping import get_scoped, not_found, scoped
from standing.activity.services import record
from standing.core.errors import DomainError
from standing.core.money import format_money, parse_amount
from standing.customers.models import Customer
from standing.customers.search import prefix_q, search
from standing.customers.services import link_vendor

from .models import (
    Installment,
    InstallmentState,
    ItemKind,
    Order,
    OrderItem,
    OrderStatus,
    PaymentMethod,
    PlanKind,
    Product,
    RentalState,
)
from .schedule import MAX_INSTALLMENTS, schedule

# Installment states whose unpaid part is still owed by the customer.
OWED_STATES = [
    InstallmentState.OPEN,
    InstallmentState.FAILED,
    InstallmentState.CHARGED_BACK,
    InstallmentState.STOPPED,
]
MONEY = DecimalField(max_digits=12, decimal_places=2)


class OrderNumberAmbiguous(DomainError):
    """Order numbers are unique per vendor: an operator-wide caller must name the vendor."""

    status = 422


def find_order(queryset, actor, number, vendor=None):
    """The order ``number`` among those ``actor`` may see (404 when unknown or foreign).
    Two vendors may use the same number; a caller who sees both names the vendor."""
    if vendor is not None:
        queryset = queryset.filter(vendor_id=vendor)
    try:
        return get_scoped(queryset, actor, number=number)
    except queryset.model.MultipleObjectsReturned:
        raise OrderNumberAmbiguous(
            _(
                "Several vendors use the order number %(number)s: name the vendor "
                "(vendor=ID) to say which order you mean."
            )
            % {"number": number}
        ) from None


def customer_for_order(actor, number):
    """The customer an order names, as far as ``actor`` may reach them. A vendor reaches only
    customers it already deals with; an unknown and another vendor's customer are refused
    alike (the numbers are sequential, the answer must not tell which exist)."""
    customer = scoped(Customer.objects.all(), actor).filter(number=number).first()
    if customer is None:
        raise ValidationError({"customer": [str(not_found(Customer, number))]})
    return customer


class OrderExists(DomainError):
    pass


def check_amount(value, field="amount", allow_zero=False):
    """An amount a service is given: the one money validator (core.money.parse_amount)."""
    if not isinstance(value, Decimal):
        raise ValidationError({field: [_("Give the amount as a decimal string, e.g. '49.90'.")]})
    if value < 0:  # said the same way with or without zero allowed
        raise ValidationError({field: [_("The amount must be greater than zero.")]})
    return parse_amount(value, field=field, allow_zero=allow_zero)


def build_schedule(amount, plan_kind, due=None, count=None, first_due=None):
    if plan_kind == PlanKind.ONE_TIME:
        if due is None:
            raise ValidationError({"payment_plan": [_("A one-time plan needs a due date.")]})
        return [(1, due, amount)]
    if plan_kind != PlanKind.INSTALLMENTS:
        raise ValidationError({"payment_plan": [_("Unknown payment plan.")]})
    if first_due is None or count is None:
        raise ValidationError(
            {"payment_plan": [_("An installment plan needs count and first_due.")]}
        )
    if not 1 <= count <= MAX_INSTALLMENTS:
        raise ValidationError(
            {
                "payment_plan": [
                    _("count must be between 1 and %(max)s.") % {"max": MAX_INSTALLMENTS}
                ]
            }
        )
    if amount < Decimal("0.01") * count:
        raise ValidationError(
            {"payment_plan": [_("The amount is too small for %(n)s installments.") % {"n": count}]}
        )
    return schedule(amount, count, first_due)


@transaction.atomic
def create_order(
    actor,
    *,
    number: str,
    vendor,
    customer,
    amount: Decimal,
    payment_method: str,
    created_at: datetime,
    plan_kind: str,
    due: date | None = None,
    count: int | None = None,
    first_due: date | None = None,
    items: list[dict] | None = None,
) -> Order:
    """Create an order with its items and installment schedule, and link the customer to the
    vendor (which is what lets the vendor's users see the customer)."""
    number = (number or "").strip()
    if not number:
        raise ValidationError({"number": [_("The order needs a number.")]})
    check_amount(amount)
    if payment_method not in PaymentMethod.values:
        raise ValidationError({"payment_method": [_("Unknown payment method.")]})
    for item in items or []:
        start, end = item.get("period_from"), item.get("period_until")
        if start and end and end < start:
            raise ValidationError({"period_until": [_("The period ends before it starts.")]})
    rows = build_schedule(amount, plan_kind, due=due, count=count, first_due=first_due)
    order = Order(
        number=number,
        vendor=vendor,
        customer=customer,
        amount=amount,
        original_amount=amount,
        payment_method=payment_method,
        plan_kind=plan_kind,
        plan_interval="monthly" if plan_kind == PlanKind.INSTALLMENTS else "",
        created_at=created_at,
    )
    try:
        with transaction.atomic():
            order.save()
    except IntegrityError:
        raise OrderExists(
            _("An order with the number %(number)s exists already.") % {"number": number}
        ) from None
    Installment.objects.bulk_create(
        Installment(order=order, sequence=seq, due_date=d, amount=a) for seq, d, a in rows
    )
    OrderItem.objects.bulk_create(
        OrderItem(
            order=order,
            # An object the shop reports as back already (its return date) is returned.
            rental_state=(
                (RentalState.RETURNED if item.get("returned_on") else RentalState.OUT)
                if item.get("kind") == ItemKind.RENTAL
                else ""
            ),
            **item,
        )
        for item in items or []
    )
    link_vendor(customer, vendor)
    record(
        customer,
        actor,
        "order.created",
        _("Order %(number)s created (%(amount)s, %(plan)s)")
        % {"number": number, "amount": format_money(amount), "plan": PlanKind(plan_kind).label},
        after={
            "order": number,
            "vendor": vendor.pk,
            "amount": amount,
            "payment_method": payment_method,
            "installments": len(rows),
        },
        vendor=vendor,
    )
    return order


def item_kind(sku, vendor, period_from=None):
    """A rented object when the price list says so, or when the shop sent a rental period."""
    listed = Product.objects.filter(vendor=vendor, sku=sku).values_list("kind", flat=True).first()
    if listed:
        return listed
    return ItemKind.RENTAL if period_from else ItemKind.SALE


def owed_installments(as_of: date, overdue_only=True):
    """Unpaid parts of installments that are due (``due_date <= as_of``) or overdue
    (``due_date < as_of``) on orders that are not cancelled."""
    due = Q(due_date__lt=as_of) if overdue_only else Q(due_date__lte=as_of)
    return Installment.objects.filter(
        due,
        state__in=OWED_STATES,
        paid_amount__lt=F("amount"),
        order__status=OrderStatus.OPEN,
    )


def overdue_orders(as_of: date, queryset=None):
    """Orders with an installment past its due date and not paid in full, each annotated by
    the database with ``overdue_since`` (the earliest such due date) and ``overdue_amount``
    (the sum of their unpaid parts). One query; dunning builds its claims on it.

    An installment is overdue from the day after its due date. Stopped installments keep
    their due dates (a stop is not an acceleration), so they fall overdue as they come due.
    ``as_of`` is the day the dues are measured against; payments count as they stand now
    (the query does not replay history), which is what a dunning run on ``as_of`` needs.
    """
    rows = owed_installments(as_of).filter(order=OuterRef("pk")).order_by().values("order")
    open_part = ExpressionWrapper(F("amount") - F("paid_amount"), output_field=MONEY)
    since = rows.annotate(since=Min("due_date")).values("since")
    amount = rows.annotate(total=Sum(open_part)).values("total")
    queryset = Order.objects.all() if queryset is None else queryset
    return (
        queryset.filter(status=OrderStatus.OPEN)
        .annotate(
            overdue_since=Subquery(since),
            overdue_amount=Coalesce(Subquery(amount, output_field=MONEY), Decimal("0")),
        )
        .filter(overdue_since__isnull=False)
    )


def with_overdue_since(as_of: date, queryset):
    """``queryset`` (orders) each annotated with ``overdue_since``: the earliest due date of
    an installment overdue on ``as_of`` (None when nothing is overdue; the rule of
    ``overdue_orders``, which keeps only the orders that are), in the same query."""
    rows = owed_installments(as_of).filter(order=OuterRef("pk")).order_by().values("order")
    since = rows.annotate(since=Min("due_date")).values("since")
    return queryset.annotate(overdue_since=Subquery(since))


def open_payments(customer, orders, as_of: date):
    """The customer's due and unpaid installments, oldest first, each with ``age`` in days."""
    rows = list(
        owed_installments(as_of, overdue_only=False)
        .filter(order__in=orders.filter(customer=customer))
        .select_related("order")
        .order_by("due_date", "order__number", "sequence")
    )
    for row in rows:
        row.age = (as_of - row.due_date).days
    return rows


def balances(customer, orders, as_of: date):
    """Per order of the customer that still has something open: what is due now and the
    whole open amount."""
    due_part = ExpressionWrapper(
        F("installments__amount") - F("installments__paid_amount"), output_field=MONEY
    )
    return (
        orders.filter(customer=customer, status=OrderStatus.OPEN)
        .annotate(
            due_amount=Coalesce(
                Sum(
                    due_part,
                    filter=Q(
                        installments__due_date__lte=as_of,
                        installments__state__in=OWED_STATES,
                    ),
                ),
                Decimal("0"),
                output_field=MONEY,
            )
        )
        .order_by("created_at")
    )


# Up to this many customers matching a search, their orders are found by the customers' ids
# (an index probe per customer, OR-ed with the number range in one bitmap); above, by a
# UNION of the two index-driven sets, which the database reads from the customers' side.
SEARCH_CUSTOMER_IDS = 1000


def number_prefix_q(q: str) -> Q:
    """Orders whose number starts with ``q`` as typed, in capitals or in small letters: an
    index range each (``order_number``) on either database, not a scan over every order."""
    match = Q()
    for number in {q, q.upper(), q.lower()}:
        match |= prefix_q("number", number)
    return match


def order_search_q(q: str) -> Q:
    """Orders whose number starts with ``q`` (``number_prefix_q``), or whose customer the
    customer search finds (number, name keys, email, phone: ``customers.search``, on its
    indexes)."""
    match = number_prefix_q(q)
    customers = search(Customer.objects.order_by(), q).values_list("pk", flat=True)
    ids = list(customers[: SEARCH_CUSTOMER_IDS + 1])
    if len(ids) > SEARCH_CUSTOMER_IDS:
        # An OR with a subquery would make the database test every order against it.
        by_number = Order.objects.filter(match).order_by().values("pk")
        by_customer = Order.objects.filter(customer__in=customers).order_by().values("pk")
        return Q(pk__in=by_number.union(by_customer, all=True))
    return match | Q(customer_id__in=ids) if ids else match


def order_list(queryset, *, q="", vendor=None, customer="", status="", overdue_on=None):
    if q:
        queryset = queryset.filter(order_search_q(q))
    if vendor:
        queryset = queryset.filter(vendor_id=vendor)
    if customer:
        queryset = queryset.filter(customer__number=customer)
    if status:
        queryset = queryset.filter(status=status)
    if overdue_on:
        queryset = overdue_orders(overdue_on, queryset)
    return queryset.select_related("customer", "vendor")
