"""Blocks in the API (SPEC §10): list, block, lift — staff only; vendors read the standing."""

from datetime import datetime

from django.utils import timezone
from ninja import Field, Router, Schema

from standing.accounts.scoping import STAFF, get_scoped, require
from standing.customers.models import Customer

from . import services
from .models import Block, BlockState
from .services import Duration

router = Router(tags=["blocks"])


class BlockIn(Schema):
    reason: str = Field(
        max_length=40, description="a code of the reason list, e.g. missing_documents"
    )
    note: str = Field(
        "", max_length=2000, description="required for an indefinite block: the message"
    )
    staff: str | None = Field(
        None, max_length=150, description="username of the staff member; default: you"
    )
    duration: Duration
    until: str | None = Field(
        None,
        max_length=40,
        description="for duration 'until': YYYY-MM-DD (blocked through that day) or an "
        "ISO date-time (local time when it has no offset)",
    )


class LiftIn(Schema):
    reason: str = Field(max_length=2000, description="why the block is lifted")
    staff: str | None = Field(
        None, max_length=150, description="username of the staff member; default: you"
    )


class BlockOut(Schema):
    id: int
    until: datetime | None = Field(None, alias="ends_at")
    since: datetime = Field(alias="starts_at")
    state: BlockState
    reason: str = Field(alias="reason.code")
    reason_label: str = Field(alias="reason.label")
    staff: str = Field(alias="staff.username")
    note: str
    lifted_at: datetime | None
    lifted_by: str | None = Field(None, alias="lifted_by.username")
    lift_reason: str
    created_at: datetime

    @staticmethod
    def resolve_state(block):
        return block.state_at(timezone.now())


def _customer(request, number):
    # A customer of another vendor is not found (404) before the role is refused (403).
    customer = get_scoped(Customer.objects.all(), request.actor, number=number)
    require(request.actor, *STAFF)
    return customer


def _blocks():
    return Block.objects.select_related("reason", "staff", "lifted_by")


@router.get("/{number}/blocks", response=list[BlockOut])
def list_blocks(request, number: str):
    """Every block of the customer, newest first, with its state now."""
    return list(_blocks().filter(customer=_customer(request, number)))


@router.post("/{number}/blocks", response={201: BlockOut})
def create_block(request, number: str, payload: BlockIn):
    block = services.block_customer(
        _customer(request, number),
        request.actor,
        reason=payload.reason,
        duration=payload.duration,
        note=payload.note,
        staff=payload.staff,
        until=payload.until,
    )
    return 201, _blocks().get(pk=block.pk)


@router.post("/{number}/blocks/{block_id}/lift", response=BlockOut)
def lift_block(request, number: str, block_id: int, payload: LiftIn):
    customer = _customer(request, number)
    block = get_scoped(_blocks().filter(customer=customer), request.actor, pk=block_id)
    services.lift_block(block, request.actor, reason=payload.reason, staff=payload.staff)
    return _blocks().get(pk=block.pk)
