"""``/api/v1/claims`` (SPEC §10): the list with the board's filters, one claim, and its actions.

Vendor-scoped through ``accounts.scoping``: another vendor's claim answers 404. Operator staff
and vendor users read and act; other roles are refused (403)."""

from datetime import date
from decimal import Decimal
from typing import Annotated

from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema
from ninja.errors import HttpError

from standing.accounts.scoping import BACK_OFFICE, get_scoped, require, scoped
from standing.core import pagination
from standing.core.strict import IsoDate, Money

from . import services
from .amounts import amounts_of
from .models import Claim, ClaimComment, ClaimEntry, ClaimKind, ClaimStatus

router = Router(tags=["claims"])
PAGE_SIZE = 50


class LetterOut(Schema):
    level: int
    date: date
    principal: Decimal
    costs: Decimal
    interest: Decimal
    fees: Decimal
    total: Decimal
    deadline: date
    language: str
    email_state: str
    pdf: str | None


class EntryOut(Schema):
    date: date
    kind: str
    level: int | None
    amount: Decimal
    details: dict


class CommentOut(Schema):
    visibility: str
    text: str
    author: str
    created_at: str


class PieceOut(Schema):
    from_: str = Field(alias="from")
    to: str
    days: int
    rate: str
    amount: str


class ClaimOut(Schema):
    id: int
    order: str
    vendor: int
    customer: str
    customer_name: str
    status: ClaimStatus
    kind: ClaimKind
    debtor: str
    overdue_since: date
    days_overdue: int
    default_since: date | None
    limitation_date: date | None
    order_amount: Decimal
    paid_amount: Decimal
    open_amount: Decimal
    principal: Decimal
    cancellation_costs: Decimal
    interest: Decimal
    fees: Decimal
    dunning_option: str
    waits_for_review: bool
    dunning_started_on: date | None
    first_dunning_letter: date | None
    second_dunning_letter: date | None
    incasso_date: date | None
    paused_until: date | None
    pause_reason: str
    reopened: bool
    reopened_id: str | None
    invalid_address: bool
    offer_link: str | None
    letters: list[LetterOut]
    actions: list[str]


class ClaimDetailOut(ClaimOut):
    interest_pieces: list[dict]
    ledger: list[EntryOut]
    comments: list[CommentOut]
    cancel_reason: str


class ClaimPage(Schema):
    items: list[ClaimOut]
    count: int
    # True when ``count`` is not exact: more than 10,000 claims match, and ``count`` is the
    # database's estimate (PostgreSQL) or 10,000 (SQLite; the pages stop there, the export
    # has every row).
    count_estimated: bool = False
    page: int
    pages: int


class ClaimFilters(Schema):
    status: str = Field("", description="in_progress, waiting, or a status")
    period_from: IsoDate | None = Field(None, alias="from", description="overdue since ≥")
    period_to: IsoDate | None = Field(None, alias="to", description="overdue since ≤")
    min: Money | None = Field(None, description="open amount ≥")
    max: Money | None = Field(None, description="open amount ≤")
    q: str = Field("", max_length=100, description="order ID, first or last name")
    vendor: int | None = Field(None, ge=1, le=2**63 - 1)
    page: int = Field(1, le=10**9)


class ActionIn(Schema):
    reason: str = Field("", max_length=300)
    until: IsoDate | None = None
    text: str = Field("", max_length=2000)
    visibility: str = ""


def _claims(actor):
    return scoped(Claim.objects.select_related("order", "customer", "vendor", "offer_link"), actor)


def _letter_out(letter):
    return {
        "level": letter.level,
        "date": letter.on,
        "principal": letter.principal,
        "costs": letter.costs,
        "interest": letter.interest,
        "fees": letter.fees,
        "total": letter.total,
        "deadline": letter.deadline,
        "language": letter.language,
        "email_state": letter.email_state,
        "pdf": reverse("claims:letter_pdf", args=[letter.claim_id, letter.level])
        if letter.rendered_at
        else None,
    }


def claim_out(claim, actor, as_of, letters=None, ledger=None, dunned=None):
    """One claim as the API shows it; ``ledger`` ({kind: {claim_id: sum}}), prefetched
    installments and ``dunned`` save a list page its queries per claim."""
    owed = amounts_of(claim, as_of, ledger=ledger, installments=claim.order.installments.all())
    letters = letters if letters is not None else list(claim.letters.all())
    return {
        "id": claim.pk,
        "order": claim.order.number,
        "vendor": claim.vendor_id,
        "customer": claim.customer.number,
        "customer_name": claim.customer.full_name,
        "status": claim.status,
        "kind": claim.kind,
        "debtor": claim.debtor,
        "overdue_since": claim.overdue_since,
        "days_overdue": max((as_of - claim.overdue_since).days, 0),
        "default_since": claim.default_since,
        "limitation_date": claim.limitation_date,
        "order_amount": owed.order_amount,
        "paid_amount": owed.paid_amount,
        "open_amount": owed.open_total,
        "principal": owed.principal,
        "cancellation_costs": owed.cancellation_costs,
        "interest": owed.open_interest,
        "fees": owed.fees - owed.paid_costs,
        "dunning_option": claim.dunning_option,
        "waits_for_review": claim.waits_for_review,
        "dunning_started_on": claim.dunning_started_on,
        "first_dunning_letter": claim.first_letter_on,
        "second_dunning_letter": claim.second_letter_on,
        "incasso_date": claim.incasso_on,
        "paused_until": claim.paused_until,
        "pause_reason": claim.pause_reason,
        "reopened": claim.reopened,
        "reopened_id": claim.reopened_order.number if claim.reopened_order_id else None,
        "invalid_address": claim.invalid_address,
        "offer_link": claim.offer_link.payment_url if claim.offer_link_id else None,
        "letters": [_letter_out(letter) for letter in letters],
        "actions": services.allowed_actions(claim, actor, as_of, dunned=dunned),
    }


# Database ids are 64-bit: a larger number is refused before it reaches a query.
ClaimId = Annotated[int, Path(ge=1, le=2**63 - 1)]


@router.get("", response=ClaimPage)
def list_claims(request, filters: Query[ClaimFilters]):
    """Claims as the board lists them (``q`` searches the order ID and the names)."""
    actor = request.actor
    require(actor, *BACK_OFFICE)
    if filters.page < 1:
        raise HttpError(422, "page starts at 1.")
    today = services.today()
    qs = services.claim_list(
        _claims(actor),
        as_of=today,
        status=filters.status,
        period_from=filters.period_from,
        period_to=filters.period_to,
        amount_min=filters.min,
        amount_max=filters.max,
        q=filters.q,
        vendor=filters.vendor,
        amounts=False,
    )
    # The page's ids (counted exactly where that is cheap, else the planner's estimate and
    # ``count_estimated``), then its claims with their installments, ledger sums, letters and
    # whether they may be dunned: a fixed number of queries for the page.
    ids = qs.order_by("-overdue_since", "-id").values_list("pk", flat=True)
    paginator = pagination.EstimatingPaginator(ids, PAGE_SIZE, cap=pagination.EXACT_UP_TO)
    current = paginator.get_page(filters.page)
    page_ids = list(current.object_list)
    found = (
        _claims(actor)
        .filter(pk__in=page_ids)
        .select_related("reopened_order")
        .prefetch_related("order__installments")
    )
    by_pk = {c.pk: c for c in found}
    claims = [by_pk[pk] for pk in page_ids if pk in by_pk]
    letters, ledger = services.letters_by_claim(page_ids), services.ledger_by_claim(page_ids)
    dunned = services.dunned_ids(claims)
    return {
        "items": [
            claim_out(c, actor, today, letters.get(c.pk, []), ledger, dunned=c.pk in dunned)
            for c in claims
        ],
        "count": paginator.count,
        "count_estimated": not paginator.exact,
        "page": current.number,
        "pages": paginator.num_pages,
    }


def _claim(request, claim_id):
    # Another vendor's claim is not found (404) before a role is refused (403).
    claim = get_scoped(_claims(request.actor), request.actor, pk=claim_id)
    require(request.actor, *BACK_OFFICE)
    return claim


def claim_detail(claim, actor):
    today = services.today()
    data = claim_out(claim, actor, today)
    latest = claim.entries.filter(kind="interest").order_by("-on", "-id").first()
    comments = scoped(ClaimComment.objects.filter(claim=claim), actor)
    return {
        **data,
        "interest_pieces": (latest.details.get("pieces") or []) if latest else [],
        "ledger": [
            {
                "date": e.on,
                "kind": e.kind,
                "level": e.level,
                "amount": e.amount,
                "details": {k: v for k, v in e.details.items() if k != "pieces"},
            }
            for e in ClaimEntry.objects.filter(claim=claim)
        ],
        "comments": [
            {
                "visibility": c.visibility,
                "text": c.text,
                "author": c.author_label,
                "created_at": c.created_at.isoformat(),
            }
            for c in comments
        ],
        "cancel_reason": claim.cancel_reason,
    }


class HandoverFilters(Schema):
    vendor: int | None = Field(None, ge=1, le=2**63 - 1, description="only this vendor")


@router.get(
    "/handover.json",
    response=list[dict],
    summary="The § 13a RDG handover data of the claims with the agency",
)
def handover_list(request, filters: Query[HandoverFilters]):
    """The § 13a RDG data (``claims.handover``) of every claim with the collection agency
    (``sent_for_collection``) the token may see, as one JSON array, streamed; ``vendor``
    narrows it to one vendor (a vendor token sees only its own)."""
    from django.http import StreamingHttpResponse

    from .handover import handed_over, iter_handover_json

    actor = request.actor
    require(actor, *BACK_OFFICE)
    claims = handed_over(scoped(Claim.objects.all(), actor))
    if filters.vendor:
        claims = claims.filter(vendor_id=filters.vendor)
    return StreamingHttpResponse(
        iter_handover_json(claims), content_type="application/json; charset=utf-8"
    )


@router.get("/{claim_id}/handover", response=dict, summary="A claim's § 13a RDG handover data")
def claim_handover(request, claim_id: ClaimId):
    """Creditor with address, the contract's subject and date, principal, the interest
    calculation piece by piece, each cost item with kind, amount and reason, VAT on costs,
    whether the address was researched. ``preview`` is true unless the claim is with the
    agency (its figures are then as of today)."""
    from standing.law import services as law

    from .handover import handover_record, prefetched

    claim = _claim(request, claim_id)
    claim = prefetched(Claim.objects.filter(pk=claim.pk)).get()
    return handover_record(claim, rates=law.RateTable(law.base_rate_table()))


@router.get("/{claim_id}", response=ClaimDetailOut)
def get_claim(request, claim_id: ClaimId):
    return claim_detail(_claim(request, claim_id), request.actor)


@router.post("/{claim_id}/{action}", response=ClaimDetailOut)
def claim_action(request, claim_id: ClaimId, action: str, payload: ActionIn | None = None):
    """``start_dunning``, ``cancel`` {reason}, ``approve``, ``block`` {reason}, ``release``,
    ``pause`` {until, reason}, ``comment`` {text, visibility}."""
    claim = _claim(request, claim_id)
    payload = payload or ActionIn()
    actor = request.actor
    if action not in services.ACTIONS:
        raise HttpError(
            404,
            _("Unknown action '%(action)s'; use one of: %(actions)s.")
            % {"action": action[:40], "actions": ", ".join(services.ACTIONS)},
        )
    services.perform(claim, actor, action, payload.dict())
    return claim_detail(_claims(actor).get(pk=claim.pk), actor)
