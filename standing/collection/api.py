"""``GET /api/v1/claims/export.csv`` (SPEC §10): the exchange file of the claims ``GET
/claims`` lists with the same filters, vendor-scoped, streamed. Mounted at ``/claims`` before
the claims router, so ``export.csv`` is never read as a claim id."""

from django.core.exceptions import ValidationError
from django.http import StreamingHttpResponse
from ninja import Query, Router
from ninja.errors import HttpError

from standing.accounts.scoping import BACK_OFFICE, require, scoped
from standing.claims import services as claims
from standing.claims.api import ClaimFilters
from standing.claims.models import Claim

from .exchange import exchange_lines

router = Router(tags=["claims"])


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
def export_claims(request, filters: Query[ClaimFilters]):
    """The exchange file of the claims ``GET /claims`` lists with the same filters (all of
    them, not one page: ``page`` is ignored), in the same order."""
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
