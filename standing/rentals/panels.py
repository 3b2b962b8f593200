"""The card's rented objects, damage cases and vouchers; the price list's settings section."""

from django.utils import timezone

from standing.accounts.scoping import BACK_OFFICE, scoped
from standing.core.views import SETTINGS_SECTIONS
from standing.customers.panels import Panel, register
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


# Vendor users see these panels too: their content is scoped to the vendor's own business.
register(
    Panel("rentals", "rentals/panel_rentals.html", rentals_context, order=15, roles=BACK_OFFICE)
)
register(
    Panel("damages", "rentals/panel_damages.html", damages_context, order=30, roles=BACK_OFFICE)
)
register(
    Panel(
        "vouchers",
        "rentals/panel_vouchers.html",
        vouchers_context,
        column="side",
        order=30,
        roles=BACK_OFFICE,
    )
)
SETTINGS_SECTIONS.append("rentals/settings_section.html")
