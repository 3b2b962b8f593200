"""Actions of the card's rented objects, damage and voucher panels, and the price list in the
settings. Each answers with a redirect back to the card's panel and a message."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from standing.accounts.models import Role
from standing.accounts.scoping import BACK_OFFICE, acting, get_scoped, scoped
from standing.core.errors import DomainError
from standing.customers.models import Customer
from standing.orders.models import OrderItem
from standing.vendors.models import Vendor

from . import services
from .forms import DamageForm, ItemForm, ProductForm, ReturnForm, VoucherForm
from .models import DamageCase, Voucher

MAX_ID = 2**63 - 1


def _find(queryset, actor, pk):
    # A path id beyond 64 bits is not found rather than overflowing the database driver.
    if pk > MAX_ID:
        raise Http404
    return get_scoped(queryset, actor, pk=pk)


def _item(request, item_id, actor):
    return _find(
        OrderItem.objects.select_related("order__customer", "order__vendor"), actor, item_id
    )


def _back(customer, anchor):
    return redirect(f"{customer.get_absolute_url()}#{anchor}")


def _errors(error):
    return " ".join(error.messages) if isinstance(error, ValidationError) else str(error)


def _run(request, customer, anchor, action, success):
    try:
        action()
    except (ValidationError, DomainError) as error:
        messages.error(request, _errors(error))
    else:
        messages.success(request, success)
    return _back(customer, anchor)


@login_required
def edit_item(request, item_id):
    actor = acting(request, *BACK_OFFICE)
    item = _item(request, item_id, actor)
    customer = item.order.customer
    form = ItemForm(
        request.POST or None,
        initial={f: getattr(item, f) for f in ("name", "price", "period_from", "period_until")},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.edit_item(item, actor, form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("Rented object saved."))
            return _back(customer, "rentals")
    return render(
        request,
        "rentals/item_edit.html",
        {"item": item, "customer": customer, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
def reload_price(request, item_id):
    """GET: the confirmation with the old and the new price and what stays as it is;
    POST: reload the price from the price list."""
    actor = acting(request, *BACK_OFFICE)
    item = _item(request, item_id, actor)
    if request.method == "POST":
        return _run(
            request,
            item.order.customer,
            "rentals",
            lambda: services.reload_price(item, actor),
            _("Price reloaded from the price list."),
        )
    try:
        preview = services.price_reload_preview(item)
    except DomainError as error:
        preview, problem = None, str(error)
    else:
        problem = ""
    template = "rentals/reload_price.html#dialog" if request.htmx else "rentals/reload_price.html"
    context = {"item": item, "customer": item.order.customer, "preview": preview}
    return render(request, template, {**context, "problem": problem})


@login_required
@require_POST
def remove_item(request, item_id):
    actor = acting(request, *BACK_OFFICE)
    item = _item(request, item_id, actor)
    return _run(
        request,
        item.order.customer,
        "rentals",
        lambda: services.remove_item(item, actor),
        _("Rented object removed."),
    )


@login_required
@require_POST
def take_back(request, item_id):
    actor = acting(request, *BACK_OFFICE)
    item = _item(request, item_id, actor)
    form = ReturnForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the return date."))
        return _back(item.order.customer, "rentals")
    return _run(
        request,
        item.order.customer,
        "rentals",
        lambda: services.take_back(item, actor, form.cleaned_data["returned_on"]),
        _("Rented object taken back."),
    )


def _customer(number, actor):
    return get_scoped(Customer.objects.all(), actor, number=number)


def customer_items(customer, actor):
    return scoped(OrderItem.objects.filter(order__customer=customer), actor).select_related("order")


def customer_vendors(customer, actor):
    # The one scoping: a vendor user (or a vendor's integration) sees only its own vendor.
    return scoped(Vendor.objects.filter(customervendor__customer=customer), actor)


@login_required
@require_POST
def add_damage(request, number):
    actor = acting(request, *BACK_OFFICE)
    customer = _customer(number, actor)
    form = DamageForm(request.POST, items=customer_items(customer, actor))
    if not form.is_valid():
        messages.error(request, _("Choose the object and give date, description and amount."))
        return _back(customer, "damages")
    data = form.cleaned_data
    return _run(
        request,
        customer,
        "damages",
        lambda: services.add_damage(
            data["item"],
            actor,
            date=data["date"],
            description=data["description"],
            amount=data["amount"],
        ),
        _("Damage case recorded."),
    )


@login_required
@require_POST
def damage_status(request, damage_id, to):
    actor = acting(request, *BACK_OFFICE)
    damage = _find(DamageCase.objects.select_related("customer"), actor, damage_id)
    return _run(
        request,
        damage.customer,
        "damages",
        lambda: services.damage_transition(damage, to, actor),
        _("Damage case updated."),
    )


@login_required
@require_POST
def add_voucher(request, number):
    actor = acting(request, *BACK_OFFICE)
    customer = _customer(number, actor)
    form = VoucherForm(request.POST, vendors=customer_vendors(customer, actor))
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
        return _back(customer, "vouchers")
    data = form.cleaned_data
    return _run(
        request,
        customer,
        "vouchers",
        lambda: services.add_voucher(customer, actor, **data),
        _("Voucher created."),
    )


@login_required
@require_POST
def redeem_voucher(request, voucher_id):
    actor = acting(request, *BACK_OFFICE)
    voucher = _find(Voucher.objects.select_related("customer"), actor, voucher_id)
    return _run(
        request,
        voucher.customer,
        "vouchers",
        lambda: services.redeem_voucher(voucher, actor),
        _("Voucher redeemed."),
    )


@login_required
@require_POST
def save_product(request):
    if request.user.role != Role.ADMIN:
        raise PermissionDenied
    form = ProductForm(request.POST)
    if form.is_valid():
        try:
            services.save_product(**form.cleaned_data)
        except ValidationError as error:
            messages.error(request, _errors(error))
        else:
            messages.success(request, _("Price list saved."))
    else:
        messages.error(request, _("Give vendor, SKU, name, kind and a list price."))
    return redirect("/settings/#price-list")
