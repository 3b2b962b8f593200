"""The card's rented objects, damage cases and vouchers; the price list's settings section."""

from django.utils import timezone

from standing.accounts.scoping import scoped
from standing.orders.models import ItemKind

from . import services
from .forms import DamageForm, VoucherForm
from .models import DamageCase, Voucher
from .views import customer_items, customer_vendors


def rentals_context(request, customer, actor):
    items = customer_items(customer, actor).filter(kind=ItemKind.RENTAL)
    return {
        "items": items.order_by("returned_on", "-period_from", "-id"),
        "today": timezone.localdate(),
    }


def damages_context(request, customer, actor):
    damages = list(scoped(DamageCase.objects.filter(customer=customer), actor))
    for damage in damages:
        damage.targets = services.damage_targets(damage)
    return {
        "damages": damages,
        "form": DamageForm(
            items=customer_items(customer, actor), initial={"date": timezone.localdate()}
        ),
    }


def vouchers_context(request, customer, actor):
    return {
        "vouchers": scoped(Voucher.objects.filter(customer=customer), actor),
        "form": VoucherForm(vendors=customer_vendors(customer, actor)),
        "today": timezone.localdate(),
    }
