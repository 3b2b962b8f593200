"""Duplicate suggestions and the merge (SPEC §10: POST /customers/{number}/merge)."""

from ninja import Field, Router, Schema

from standing.accounts.scoping import STAFF, get_scoped, require
from standing.customers.models import Customer

from . import merge, services

router = Router(tags=["duplicates"])


def _customer(request, number):
    customer = get_scoped(
        Customer.objects.select_related("group", "user"), request.actor, number=number
    )
    require(request.actor, *STAFF)
    return customer


class ReasonOut(Schema):
    attribute: str = Field(description="email, phone, iban, name+address or name+birth_date")
    score: float


class SuggestionOut(Schema):
    number: str
    name: str
    status: str
    score: float
    reasons: list[ReasonOut]


@router.get("/{number}/duplicates", response=list[SuggestionOut])
def duplicates(request, number: str):
    """Customers that look like the same person, best first (dismissed pairs left out)."""
    customer = _customer(request, number)
    return [
        {
            "number": s.customer.number,
            "name": s.customer.full_name,
            "status": s.customer.status,
            "score": s.score,
            "reasons": s.reasons,
        }
        for s in services.suggestions(customer)
    ]


@router.post("/{number}/duplicates/{other}/dismiss", response={204: None})
def dismiss(request, number: str, other: str):
    """The two are different people: never suggest the pair again."""
    services.dismiss(_customer(request, number), _customer(request, other), request.actor)
    return 204, None


class FieldOut(Schema):
    name: str
    label: str
    keep: str
    other: str
    differs: bool


class MoveOut(Schema):
    key: str
    label: str
    count: int


class ConflictOut(Schema):
    message: str
    blocking: bool


class PreviewOut(Schema):
    number: str
    other: str
    fields: list[FieldOut]
    moves: list[MoveOut]
    conflicts: list[ConflictOut]


class MergeIn(Schema):
    other: str = Field(description="number of the customer merged into this one")
    choices: dict[str, str] = Field(
        default_factory=dict,
        description="{field: 'keep' | 'other'}: whose value this customer keeps; "
        "unnamed fields keep this customer's value",
    )


class MergeOut(Schema):
    number: str
    merged: str
    moved: dict[str, int]


def _preview_out(plan):
    return {
        "number": plan.survivor.number,
        "other": plan.other.number,
        "fields": [{**f, "label": str(f["label"])} for f in plan.fields],
        "moves": [{**m, "label": str(m["label"])} for m in plan.moves],
        "conflicts": [{"message": str(c.message), "blocking": c.blocking} for c in plan.conflicts],
    }


@router.get("/{number}/merge", response=PreviewOut)
def merge_preview(request, number: str, other: str):
    """What merging ``other`` into this customer would do; changes nothing."""
    return _preview_out(merge.preview(_customer(request, number), _customer(request, other)))


@router.post("/{number}/merge", response=MergeOut)
def merge_customers(request, number: str, payload: MergeIn):
    """Merge ``other`` into this customer: its records move here, it becomes a tombstone whose
    number answers with ``merged_into``. Refused (409) while a blocking conflict exists."""
    survivor = _customer(request, number)
    other = _customer(request, payload.other)
    moved = merge.merge(survivor, other, request.actor, payload.choices)
    return {"number": survivor.number, "merged": other.number, "moved": moved}
