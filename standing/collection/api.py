"""``GET /api/v1/claims/export.csv`` (SPEC §10): the exchange file of the claims ``GET
/claims`` lists with the same filters, vendor-scoped, streamed. Mounted at ``/claims`` before
the claims router, so ``export.csv`` is never read as a claim id."""

from django.core.exceptions import ValidationError
from django.http import StreamingHttpResponse
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from standing.accounts.scoping import BACK_OFFICE, require, scoped
from standing.claims import services as claims
from standing.claims.models import Claim
from standing.core.strict import IsoDate, Money

from .exchange import exchange_lines

router = Router(tags=["claims"])


class ExportFilters(Schema):
    status: str = Field("", description="in_progress, waiting, or a status")
    period_from: IsoDate | None = Field(None, alias="from", description="overdue since ≥")
    period_to: IsoDate | None = Field(None, alias="to", description="overdue since ≤")
    min: Money | None = Field(None, description="open amount ≥")
    max: Money | None = Field(None, description="open amount ≤")
    q: str = Field("", max_length=100, description="order ID, first or last name")
    vendor: int | None = Field(None, ge=1, le=2**63 - 1)


@router.get(
    "/export.csv",
    response={200: None},
    openapi_extra={
        "responses": {
            200: {
                "description": "The exchange file (SPEC §7), UTF-8, comma-separated",
                "content": {"text/csv": {"schema": {"type": "string"}}},
            }
        }
    },
)
def export_claims(request, filters: Query[ExportFilters]):
    """The exchange file of the filtered claims, in the order of ``GET /claims``."""
    actor = request.actor
    require(actor, *BACK_OFFICE)
    try:
        qs = claims.claim_list(
            scoped(Claim.objects.all(), actor),
            as_of=claims.today(),
            status=filters.status,
            period_from=filters.period_from,
            period_to=filters.period_to,
            amount_min=filters.min,
            amount_max=filters.max,
            q=filters.q,
            vendor=filters.vendor,
        )
    except ValidationError as error:  # an unknown status
        raise HttpError(422, " ".join(error.messages)) from None
    response = StreamingHttpResponse(
        (piece.encode() for piece in exchange_lines(qs, ("-overdue_since", "-id"))),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="claims.csv"'
    return response
