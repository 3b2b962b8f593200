"""``/api/v1/vendors/{id}/collection-settings`` (SPEC §10): a vendor's collection settings
("Inkasso (Beta)"), read and changed.

Mounted on ``/vendors`` beside the vendors' own router (the vendors app sits below claims and
does not import it). Vendor users and vendor-scoped tokens reach only their own vendor (another
vendor's id answers 404); operator admins reach every vendor; other roles are refused (403).
A change of the dunning option within 30 days of the last one answers 409 with
``next_change_allowed`` next to ``detail``.
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from django.utils.translation import gettext as _
from ninja import Field, Path, Router, Schema
from pydantic import StrictBool, StrictInt, StrictStr

from standing.accounts.models import Role
from standing.accounts.scoping import get_scoped, require
from standing.core.money import round_money
from standing.core.strict import Money
from standing.vendors.models import Vendor

from . import services

router = Router(tags=["vendors"])
SETTINGS_ROLES = (Role.ADMIN, Role.VENDOR)

VendorId = Annotated[int, Path(ge=1, le=2**63 - 1)]
Days = Annotated[StrictInt, Field(ge=0, le=365)]
Sku = Annotated[StrictStr, Field(min_length=1, max_length=64)]


class CollectionSettingsOut(Schema):
    vendor: int
    enabled: bool
    dunning_option: Literal["a", "b"]
    dunning_option_changed_on: date | None
    next_change_allowed: date | None = Field(
        description="the first day the dunning option may change again (null: any day)"
    )
    auto_handover: bool
    auto_handover_chargebacks: bool
    excluded_products: list[str]
    first_letter_after_days: int
    second_letter_after_days: int
    handover_after_days: int
    fee_first_letter: Decimal
    fee_second_letter: Decimal
    updated_at: datetime = Field(description="the last data update")


class CollectionSettingsIn(Schema):
    enabled: StrictBool
    dunning_option: Literal["a", "b"]
    auto_handover: StrictBool
    auto_handover_chargebacks: StrictBool
    excluded_products: list[Sku] = Field(max_length=1000, description="SKUs never dunned")
    first_letter_after_days: Days
    second_letter_after_days: Days
    handover_after_days: Days
    fee_first_letter: Money | None = Field(None, description="unchanged when left out")
    fee_second_letter: Money | None = Field(None, description="unchanged when left out")


class Refused(Schema):
    detail: str
    next_change_allowed: date


def settings_out(row):
    return {
        "vendor": row.vendor_id,
        "enabled": row.enabled,
        "dunning_option": row.dunning_option,
        "dunning_option_changed_on": row.dunning_option_changed_on,
        "next_change_allowed": services.next_option_change(row),
        "auto_handover": row.auto_handover,
        "auto_handover_chargebacks": row.auto_handover_chargebacks,
        "excluded_products": list(row.excluded_products or []),
        "first_letter_after_days": row.first_letter_after_days,
        "second_letter_after_days": row.second_letter_after_days,
        "handover_after_days": row.handover_after_days,
        "fee_first_letter": round_money(Decimal(row.fee_first_letter)),
        "fee_second_letter": round_money(Decimal(row.fee_second_letter)),
        "updated_at": row.updated_at,
    }


def _vendor(request, vendor_id):
    # Another vendor is not found (404) before a role is refused (403).
    vendor = get_scoped(Vendor.objects.all(), request.actor, pk=vendor_id)
    require(request.actor, *SETTINGS_ROLES)
    return vendor


@router.get("/{vendor_id}/collection-settings", response=CollectionSettingsOut)
def get_collection_settings(request, vendor_id: VendorId):
    """The vendor's collection settings ("Inkasso (Beta)") and the time of the last update."""
    return settings_out(services.settings_for(_vendor(request, vendor_id)))


@router.put(
    "/{vendor_id}/collection-settings",
    response={200: CollectionSettingsOut, 409: Refused},
)
def put_collection_settings(request, vendor_id: VendorId, payload: CollectionSettingsIn):
    """Change the settings. The dunning option changes at most once every 30 days: a change
    within them answers 409 with ``next_change_allowed`` (ISO date) next to ``detail``."""
    vendor = _vendor(request, vendor_id)
    values = payload.dict()
    for fee in ("fee_first_letter", "fee_second_letter"):
        if values[fee] is None:
            del values[fee]
    try:
        row = services.change_settings(vendor, request.actor, **values)
    except services.SettingsChangeRefused as refused:
        return 409, {
            "detail": str(refused) or _("The dunning option cannot change yet."),
            "next_change_allowed": refused.next_change_allowed,
        }
    return settings_out(row)
