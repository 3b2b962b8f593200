from datetime import datetime

from ninja import Field, Router, Schema
from ninja.errors import HttpError

from standing.accounts.models import Role
from standing.accounts.scoping import get_scoped, require, scoped

from . import services
from .models import Vendor

router = Router(tags=["vendors"])


class VendorOut(Schema):
    id: int
    name: str
    legal_name: str
    email: str
    street: str
    postal_code: str
    city: str
    country: str
    iban: str
    bic: str
    created_at: datetime


class VendorIn(Schema):
    name: str = Field(max_length=200)
    legal_name: str = Field("", max_length=200)
    email: str = Field("", max_length=254)
    street: str = Field("", max_length=200)
    postal_code: str = Field("", max_length=20)
    city: str = Field("", max_length=100)
    country: str = Field("DE", max_length=2)
    iban: str = Field("", max_length=42, description="validated; stored compact")
    bic: str = Field("", max_length=14)


class VendorPatch(Schema):
    name: str | None = Field(None, max_length=200)
    legal_name: str | None = Field(None, max_length=200)
    email: str | None = Field(None, max_length=254)
    street: str | None = Field(None, max_length=200)
    postal_code: str | None = Field(None, max_length=20)
    city: str | None = Field(None, max_length=100)
    country: str | None = Field(None, max_length=2)
    iban: str | None = Field(None, max_length=42)
    bic: str | None = Field(None, max_length=14)


@router.get("", response=list[VendorOut])
def list_vendors(request):
    require(request.actor, Role.ADMIN, Role.SUPPORT, Role.VENDOR)
    return scoped(Vendor.objects.all(), request.actor)


@router.get("/{vendor_id}", response=VendorOut)
def get_vendor(request, vendor_id: int):
    require(request.actor, Role.ADMIN, Role.SUPPORT, Role.VENDOR)
    return get_scoped(Vendor.objects.all(), request.actor, pk=vendor_id)


@router.post("", response={201: VendorOut})
def create_vendor(request, payload: VendorIn):
    require(request.actor, Role.ADMIN)
    try:
        vendor = services.save(payload.dict())
    except services.NameTaken as error:
        raise HttpError(409, str(error)) from None
    return 201, vendor


def _change(request, vendor_id, values):
    require(request.actor, Role.ADMIN)
    vendor = get_scoped(Vendor.objects.all(), request.actor, pk=vendor_id)
    try:
        return services.save(values, vendor)
    except services.NameTaken as error:
        raise HttpError(409, str(error)) from None


@router.patch("/{vendor_id}", response=VendorOut)
def patch_vendor(request, vendor_id: int, payload: VendorPatch):
    """Change some of the vendor's data (operator admins); a bad IBAN answers 422."""
    return _change(request, vendor_id, payload.dict(exclude_unset=True))


@router.put("/{vendor_id}", response=VendorOut)
def put_vendor(request, vendor_id: int, payload: VendorIn):
    """Replace the vendor's data (operator admins); a bad IBAN answers 422."""
    return _change(request, vendor_id, payload.dict())
