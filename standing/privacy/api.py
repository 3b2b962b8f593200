"""GET /customers/{number}/export and POST /customers/{number}/erase (SPEC §10), and the
erasure's plan (what goes, what is kept until when) before it."""

from datetime import date, datetime

from django.http import StreamingHttpResponse
from ninja import Router, Schema

from standing.accounts.models import Role
from standing.accounts.scoping import STAFF, get_scoped, require
from standing.customers.models import Customer

from . import erasure, export, services

router = Router(tags=["privacy"])


def _customer(request, number, *roles):
    # Another vendor's customer is not found (404) before the role is refused (403).
    customer = get_scoped(
        Customer.objects.select_related("group", "user"), request.actor, number=number
    )
    require(request.actor, *roles)
    return customer


@router.get(
    "/{number}/export",
    response={200: None},
    openapi_extra={
        "responses": {
            200: {
                "description": "a ZIP: customer.json (schema standing/customer-v1) and the "
                "customer's files; streamed",
                "content": {"application/zip": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def export_customer(request, number: str):
    """The customer's data export. Staff get the screening evidence unless the operator
    recorded a legal restriction; a customer's token gets their own export without it."""
    customer = _customer(request, number, *STAFF, Role.CUSTOMER)
    response = StreamingHttpResponse(
        services.start_export(customer, request.actor), content_type="application/zip"
    )
    response["Content-Disposition"] = f'attachment; filename="{export.filename(customer)}"'
    return response


class KeptOut(Schema):
    label: str
    count: int
    kind: str
    years: int
    until: date


class CountOut(Schema):
    label: str
    count: int


class ErasurePlanOut(Schema):
    number: str
    blockers: list[str]
    delete: list[CountOut]
    anonymise: list[CountOut]
    keep: list[KeptOut]


class ErasureOut(Schema):
    number: str
    status: str
    erased_at: datetime
    kept: dict[str, int]
    retention_until: date | None


def _plan_out(customer, plan):
    def labelled(rows):
        return [{**row, "label": str(row["label"])} for row in rows]

    return {
        "number": customer.number,
        "blockers": plan["blockers"],
        "delete": labelled(plan["delete"]),
        "anonymise": labelled(plan["anonymise"]),
        "keep": labelled(plan["keep"]),
    }


@router.get("/{number}/erase", response=ErasurePlanOut)
def erasure_plan(request, number: str):
    """What an erasure would delete, anonymise and keep (until when), and what refuses it."""
    customer = _customer(request, number, *STAFF)
    return _plan_out(customer, erasure.plan(customer))


@router.post("/{number}/erase", response=ErasureOut)
def erase_customer(request, number: str):
    """Irreversible. Refused (409, with the reason) while a payment is pending or a claim is
    with the collection agency."""
    customer = _customer(request, number, *STAFF)
    done = erasure.erase(customer, request.actor)
    customer.refresh_from_db(fields=["status"])
    return {
        "number": done.number,
        "status": customer.status,
        "erased_at": done.erased_at,
        "kept": done.kept,
        "retention_until": done.retention_until,
    }
