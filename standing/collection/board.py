"""The collection board ("Anzeige Tafel", SPEC §7): the filtered, sorted claims for one actor
(through ``accounts.scoping``), and the bulk actions on selected rows. The filters are the
claims list's (``claims.services.claim_list``), so the board, its CSV download and
``GET /api/v1/claims/export.csv`` list exactly the same rows."""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from standing.accounts.scoping import require, scoped
from standing.claims import services as claims
from standing.claims.lifecycle import CLAIMS
from standing.claims.models import Claim, ClaimStatus
from standing.core.errors import DomainError

S = ClaimStatus
LIMITATION_WARNING_DAYS = 90
FINAL = (S.PAID, S.CANCELED)
# Sortable columns: the parameter's name → the ordering (ties broken by id).
SORTS = {
    "customer": ("customer__last_name", "customer__first_name"),
    "order": ("order_number",),  # the order's number, copied onto the claim (indexed)
    "plan": ("order__plan_kind",),
    "status": ("status",),
    "overdue": ("-overdue_since",),  # the most days overdue first
    "open": ("open_amount",),  # the cached open total (indexed; claims.amounts)
    "amount": ("order__amount",),
    "paid": ("order__paid_amount",),
    "costs": ("costs",),
    "option": ("dunning_option",),
    "vendor": ("vendor__name",),
    "limitation": ("limitation_date",),
}
DEFAULT_SORT = "-overdue"


@dataclass
class Filters:
    status: str = claims.IN_PROGRESS
    period_from: date | None = None
    period_to: date | None = None
    amount_min: Decimal | None = None
    amount_max: Decimal | None = None
    q: str = ""
    vendor: int | None = None
    sort: str = DEFAULT_SORT
    errors: list[str] = field(default_factory=list)


def _date(params, name, label, errors):
    value = (params.get(name) or "").strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        errors.append(
            _("%(label)s: '%(value)s' is not a date (YYYY-MM-DD).")
            % {"label": label, "value": value[:20]}
        )
        return None


def _amount(params, name, label, errors):
    value = (params.get(name) or "").strip().replace(",", ".")
    if not value:
        return None
    try:
        amount = Decimal(value)
    except InvalidOperation:
        amount = None
    if amount is None or not amount.is_finite() or abs(amount) >= Decimal("1e10"):
        errors.append(
            _("%(label)s: '%(value)s' is not an amount.") % {"label": label, "value": value[:20]}
        )
        return None
    return amount


def parse_filters(params, actor) -> Filters:
    """The board's filters from a query string; a bad value is named and left out (the board
    still answers, with the other filters)."""
    errors = []
    status = (params.get("status") or claims.IN_PROGRESS).strip()
    if status not in ("all", claims.IN_PROGRESS, claims.WAITING, *S.values):
        errors.append(_("Unknown status '%(value)s'.") % {"value": status[:30]})
        status = claims.IN_PROGRESS
    vendor = (params.get("vendor") or "").strip()
    vendor_id = None
    if actor.is_staff and vendor:
        if vendor.isdigit() and len(vendor) < 19:
            vendor_id = int(vendor)
        else:
            errors.append(_("Unknown vendor '%(value)s'.") % {"value": vendor[:20]})
    sort = (params.get("sort") or DEFAULT_SORT).strip()
    if sort.lstrip("-") not in SORTS:
        sort = DEFAULT_SORT
    filters = Filters(
        status=status,
        period_from=_date(params, "from", _("Overdue since, from"), errors),
        period_to=_date(params, "to", _("Overdue since, to"), errors),
        amount_min=_amount(params, "min", _("Open amount from"), errors),
        amount_max=_amount(params, "max", _("Open amount to"), errors),
        q=(params.get("q") or "").strip()[:100],
        vendor=vendor_id,
        sort=sort,
        errors=errors,
    )
    return filters


def ordering(sort: str) -> tuple:
    descending = sort.startswith("-")
    fields = SORTS[sort.lstrip("-")]
    if descending:
        fields = tuple(f[1:] if f.startswith("-") else f"-{f}" for f in fields)
    # Ties by id, in the direction of the first field (one index scan where there is one).
    return (*fields, "-id" if fields[0].startswith("-") else "id")


# Sorts that need the derived amounts of every row.
AMOUNT_SORTS = ("costs",)


def board_claims(actor, filters: Filters, as_of: date | None = None, amounts=True):
    """The actor's claims (scoped) filtered as the board filters, with their amounts (with
    ``amounts=False`` only where a filter or the sort needs them)."""
    as_of = as_of or claims.today()
    amounts = amounts or filters.sort.lstrip("-") in AMOUNT_SORTS
    return claims.claim_list(
        scoped(Claim.objects.all(), actor),
        as_of=as_of,
        status="" if filters.status == "all" else filters.status,
        period_from=filters.period_from,
        period_to=filters.period_to,
        amount_min=filters.amount_min,
        amount_max=filters.amount_max,
        q=filters.q,
        vendor=filters.vendor,
        amounts=amounts,
        open_sorted=filters.sort.lstrip("-") == "open",
    )


def page_claims(ids, as_of: date) -> list[Claim]:
    """The claims ``ids`` (one page, already scoped and ordered) with their amounts, in the
    order given."""
    return claims.page_of(ids, as_of)


def limitation_warning(claim, today: date) -> bool:
    """The claim runs out within 90 days (SPEC §7) and is still being collected."""
    return (
        claim.limitation_date is not None
        and claim.status not in FINAL
        and claim.limitation_date <= today + timedelta(days=LIMITATION_WARNING_DAYS)
    )


# --- bulk actions ---------------------------------------------------------------------------

BULK_ACTIONS = ("start_dunning", "cancel", "approve")


@dataclass
class BulkResult:
    action: str
    changed: list[Claim] = field(default_factory=list)
    refused: list[tuple[Claim, str]] = field(default_factory=list)


def bulk(actor, action: str, ids, *, reason: str = "") -> BulkResult:
    """Run ``action`` on the selected claims the actor may see (others are not found and not
    touched). Cancel and approve move all allowed claims set-based through the lifecycle
    (``transition_bulk``); each refused claim is named with the reason."""
    if action not in BULK_ACTIONS:
        raise ValidationError({"action": [_("Choose start dunning, cancel or approve.")]})
    pks = sorted({int(i) for i in ids if str(i).isdigit() and len(str(i)) < 19})
    if not pks:
        raise ValidationError({"ids": [_("Select at least one claim.")]})
    if len(pks) > 500:
        raise ValidationError({"ids": [_("Select at most 500 claims at once.")]})
    selected = list(
        scoped(Claim.objects.filter(pk__in=pks), actor)
        .select_related("order", "customer", "vendor")
        .order_by("pk")
    )
    result = BulkResult(action)
    if action == "start_dunning":
        for claim in selected:
            try:
                result.changed.append(claims.start_dunning(claim, actor))
            except DomainError as error:
                result.refused.append((claim, str(error)))
        return result
    if action == "cancel":
        reason = (reason or "").strip()
        if not reason:
            raise ValidationError({"reason": [_("Say why the claims are not pursued.")]})
        if len(reason) > 300:
            raise ValidationError({"reason": [_("At most %(n)s characters, please.") % {"n": 300}]})
        return _bulk_move(
            actor,
            selected,
            S.CANCELED,
            result,
            reason=reason,
            updates={
                "cancel_reason": reason,
                "closed_on": claims.today(),
                "status_before_block": "",
            },
        )
    today = claims.today()
    return _bulk_move(actor, selected, S.SENT_FOR_COLLECTION, result, updates={"incasso_on": today})


def _refusal(claim, to, actor) -> str | None:
    if to == S.CANCELED and claim.status == S.SENT_FOR_COLLECTION and not actor.is_staff:
        return _("The claim is with the collection agency; ask support to cancel it there.")
    if to == S.SENT_FOR_COLLECTION and claim.status != S.ON_HOLD:
        return _("Only a claim waiting for approval can be approved (this one is %(state)s).") % {
            "state": S(claim.status).label
        }
    if (
        to == S.SENT_FOR_COLLECTION
        and claim.second_letter_on
        and claim.second_letter_on > claims.today()
    ):
        return _("The second letter is dated after today.")
    return CLAIMS.refusal_reason(claim, to, actor)


def _bulk_move(actor, selected, to, result, *, reason="", updates=None):
    allowed = {}
    for claim in selected:
        why = _refusal(claim, to, actor)
        if why:
            result.refused.append((claim, why))
        else:
            allowed.setdefault(claim.status, []).append(claim)
    require(actor, *claims.VENDOR_SIDE)
    for frm, group in allowed.items():
        by_pk = {c.pk: c for c in group}
        moved = set(
            CLAIMS.transition_bulk(
                Claim.objects.filter(pk__in=list(by_pk)),
                frm,
                to,
                actor,
                reason=reason,
                updates=updates,
            )
        )
        for pk, claim in by_pk.items():
            if pk in moved:
                claim.status = to
                result.changed.append(claim)
            else:
                result.refused.append((claim, _("Changed meanwhile by someone else; reload.")))
    return result
