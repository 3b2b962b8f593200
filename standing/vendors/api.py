from datetime import datetime

from django.db import IntegrityError, transaction
from ninja import Field, Router, Schema
from ninja.errors import HttpError

from standing.accounts.models import Role
from standing.accounts.scoping import require, scoped

from .models import Vendor

router = Router(tags=["vendors"])


class VendorOut(Schema):
    id: int
    name: str
    legal_name: str
    email: str
    created_at: datetime


class VendorIn(Schema):
    name: str = Field(max_length=200)
    legal_name: str = Field("", max_length=200)
    email: str = Field("", max_length=254)


@router.get("", response=list[VendorOut])
def list_vendors(request):
    require(request.actor, Role.ADMIN, Role.SUPPORT, Role.VENDOR)
    return scoped(Vendor.objects.all(), request.actor)


@router.post("", response={201: VendorOut})
def create_vendor(request, payload: VendorIn):
    require(request.actor, Role.ADMIN)
    name = payload.name.strip()
    if not name:
        raise HttpError(422, "The vendor needs a name.")
    try:
        with transaction.atomic():
            vendor = Vendor.objects.create(
                name=name, legal_name=payload.legal_name, email=payload.email
            )
    except IntegrityError:
        raise HttpError(409, f"A vendor named '{name}' exists already.") from None
    return 201, vendor
