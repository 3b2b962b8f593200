"""Rented objects (order items), damage cases, vouchers and the price list: every change is
written to the customer's activity log with the values before and after, in one transaction."""

import secrets
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from standing.activity.services import record
from standing.core import lifecycle
from standing.core.errors import DomainError
from standing.orders.models import OrderItem
from standing.orders.services import check_amount

from .models import DamageCase, DamageStatus, Product, Voucher

ITEM_FIELDS = ("name", "price", "period_from", "period_until", "returned_on")


class NotInPriceList(DomainError):
    status = 422


class AlreadyReturned(DomainError):
    pass


class VoucherNotRedeemable(DomainError):
    pass


class DamageTransitionNotAllowed(lifecycle.TransitionNotAllowed):
    pass


class DamageChangedMeanwhile(lifecycle.ChangedMeanwhile, DamageTransitionNotAllowed):
    pass


def _snap(obj, fields):
    return {f: getattr(obj, f) for f in fields}


def _log(item, actor, action, summary, before=None, after=None):
    # Internal: the customer's log is shared by every vendor, an item belongs to one of them.
    record(item.order.customer, actor, action, summary, before, after, internal=True)


@transaction.atomic
def edit_item(item: OrderItem, actor, values: dict) -> OrderItem:
    """Change what was set when the order was made (name, price, period). The order's
    amount and installments are the shop's contract and stay as they are."""
    check_amount(values["price"], "price", allow_zero=True)
    start, end = values.get("period_from"), values.get("period_until")
    if start and end and end < start:
        raise ValidationError({"period_until": [_("The period ends before it starts.")]})
    before = _snap(item, values)
    for field, value in values.items():
        setattr(item, field, value)
    item.save(update_fields=list(values))
    changed = {f: v for f, v in values.items() if before[f] != v}
    if changed:
        _log(
            item,
            actor,
            "rental.edited",
            _("%(name)s (order %(order)s) edited")
            % {"name": item.name, "order": item.order.number},
            {f: before[f] for f in changed},
            changed,
        )
    return item


@transaction.atomic
def reload_price(item: OrderItem, actor) -> OrderItem:
    product = Product.objects.filter(vendor_id=item.order.vendor_id, sku=item.sku).first()
    if product is None:
        raise NotInPriceList(
            _("The price list has no product with the SKU %(sku)s.") % {"sku": item.sku}
        )
    before = item.price
    item.price = product.list_price
    item.save(update_fields=["price"])
    _log(
        item,
        actor,
        "rental.price_reloaded",
        _("Price of %(name)s reloaded from the price list") % {"name": item.name},
        {"price": before},
        {"price": item.price},
    )
    return item


@transaction.atomic
def remove_item(item: OrderItem, actor):
    _log(
        item,
        actor,
        "rental.removed",
        _("%(name)s removed from order %(order)s")
        % {"name": item.name, "order": item.order.number},
        {"order": item.order.number, **_snap(item, ("sku", *ITEM_FIELDS))},
        {},
    )
    item.delete()


@transaction.atomic
def take_back(item: OrderItem, actor, returned_on: date) -> OrderItem:
    """The return ("Rücknahme"): once, not in the future, not before the rental began."""
    if returned_on > timezone.localdate():
        raise ValidationError({"returned_on": [_("The return date lies in the future.")]})
    if item.period_from and returned_on < item.period_from:
        raise ValidationError({"returned_on": [_("The return date is before the rental began.")]})
    if (
        OrderItem.objects.filter(pk=item.pk, returned_on__isnull=True).update(
            returned_on=returned_on
        )
        != 1
    ):
        raise AlreadyReturned(_("%(name)s was taken back already.") % {"name": item.name})
    item.returned_on = returned_on
    _log(
        item,
        actor,
        "rental.returned",
        _("%(name)s taken back on %(date)s") % {"name": item.name, "date": returned_on},
        {"returned_on": None},
        {"returned_on": returned_on},
    )
    return item


@transaction.atomic
def add_damage(item: OrderItem, actor, *, date, description, amount) -> DamageCase:
    check_amount(amount, allow_zero=True)
    if not description.strip():
        raise ValidationError({"description": [_("Describe the damage.")]})
    damage = DamageCase.objects.create(
        customer=item.order.customer,
        vendor_id=item.order.vendor_id,
        order=item.order,
        object_name=item.name,
        date=date,
        description=description.strip(),
        amount=amount,
    )
    record(
        damage.customer,
        actor,
        "damage.reported",
        _("Damage on %(object)s reported") % {"object": damage.object_name},
        {},
        {"date": date, "object": damage.object_name, "amount": amount, "status": damage.status},
        internal=True,
    )
    return damage


D = DamageStatus
DAMAGE_TRANSITIONS = {
    (D.REPORTED, D.INVOICED): "invoiced",
    (D.REPORTED, D.WAIVED): "waived",
    (D.INVOICED, D.SETTLED): "settled",
    (D.INVOICED, D.WAIVED): "waived",
}


DAMAGE = lifecycle.Lifecycle(
    "damage_case",
    DamageCase,
    DAMAGE_TRANSITIONS,
    action_prefix="damage",
    internal=True,
    describe=lambda damage: _("Damage on %(object)s") % {"object": damage.object_name},
    refusal=lambda damage, frm, to: (
        _("The damage case is %(status)s and cannot become %(to)s.")
        % {"status": D(frm).label, "to": D(to).label if to in D.values else to}
    ),
    summary=lambda damage, frm, to: (
        _("Damage on %(object)s: %(frm)s → %(to)s")
        % {"object": damage.object_name, "frm": D(frm).label, "to": D(to).label}
    ),
    not_allowed=DamageTransitionNotAllowed,
    changed=DamageChangedMeanwhile,
)


def damage_transition(damage: DamageCase, to: str, actor) -> DamageCase:
    return DAMAGE.transition(damage, to, actor)


def new_voucher_code():
    return "GS-" + secrets.token_hex(4).upper()


@transaction.atomic
def add_voucher(customer, actor, *, vendor, code="", value=None, percent=None, valid_until=None):
    if (value is None) == (percent is None):
        raise ValidationError(_("Give either a value in EUR or a percentage, not both."))
    if value is not None:
        check_amount(value, "value")
    if percent is not None and not 0 < percent <= 100:
        raise ValidationError({"percent": [_("The percentage lies between 0 and 100.")]})
    voucher = Voucher(
        customer=customer,
        vendor=vendor,
        code=(code or "").strip().upper() or new_voucher_code(),
        value=value,
        percent=percent,
        valid_until=valid_until,
    )
    try:
        with transaction.atomic():
            voucher.save()
    except IntegrityError:
        raise ValidationError({"code": [_("This voucher code exists already.")]}) from None
    record(
        customer,
        actor,
        "voucher.created",
        _("Voucher %(code)s created") % {"code": voucher.code},
        {},
        _snap(voucher, ("code", "value", "percent", "valid_until")),
        internal=True,
    )
    return voucher


@transaction.atomic
def redeem_voucher(voucher: Voucher, actor) -> Voucher:
    now = timezone.now()
    if voucher.valid_until and voucher.valid_until < timezone.localdate():
        raise VoucherNotRedeemable(
            _("Voucher %(code)s expired on %(date)s.")
            % {"code": voucher.code, "date": voucher.valid_until}
        )
    if Voucher.objects.filter(pk=voucher.pk, redeemed_at__isnull=True).update(redeemed_at=now) != 1:
        raise VoucherNotRedeemable(
            _("Voucher %(code)s was redeemed already.") % {"code": voucher.code}
        )
    voucher.redeemed_at = now
    record(
        voucher.customer,
        actor,
        "voucher.redeemed",
        _("Voucher %(code)s redeemed") % {"code": voucher.code},
        {"redeemed_at": None},
        {"redeemed_at": now},
        internal=True,
    )
    return voucher


def save_product(*, vendor, sku, name, kind, list_price) -> Product:
    """Add a product to a vendor's price list, or change it (by SKU)."""
    check_amount(list_price, "list_price", allow_zero=True)
    product, _created = Product.objects.update_or_create(
        vendor=vendor,
        sku=sku.strip(),
        defaults={"name": name.strip(), "kind": kind, "list_price": list_price},
    )
    return product


DAMAGE_ACTIONS = {
    D.INVOICED: gettext_lazy("Invoiced"),
    D.SETTLED: gettext_lazy("Settled"),
    D.WAIVED: gettext_lazy("Waive"),
}


def damage_targets(damage):
    return [(to, DAMAGE_ACTIONS[to]) for (frm, to) in DAMAGE_TRANSITIONS if frm == damage.status]
