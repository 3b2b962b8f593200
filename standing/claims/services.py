"""The rules of claims (SPEC §7): the vendor's collection settings, opening a claim from the
payment event that makes money overdue, the vendor's review and the people's actions, and
payments on a claim (§ 367 BGB). The dunning run itself is in ``run.py``."""

from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Exists, F, OuterRef, Q, Sum
from django.db.models.lookups import GreaterThanOrEqual, LessThanOrEqual
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from standing.accounts.models import Role
from standing.accounts.scoping import SYSTEM, require
from standing.activity.services import record
from standing.core import links
from standing.core.errors import DomainError
from standing.core.idlist import IdIn
from standing.core.money import ZERO, parse_amount, round_money
from standing.core.pagination import EXACT_UP_TO, capped_count
from standing.law import services as law
from standing.orders.models import (
    EventType,
    Installment,
    InstallmentState,
    OrderItem,
    OrderStatus,
    PlanKind,
)

from .amounts import amounts_of, counts, refresh_open_amounts
from .lifecycle import BLOCKABLE, CLAIMS
from .models import (
    ACTIVE_STATES,
    UNFINISHED_STATES,
    Claim,
    ClaimComment,
    ClaimEntry,
    ClaimKind,
    ClaimStatus,
    CollectionSettings,
    DunningOption,
    EntryKind,
    Letter,
    Visibility,
)

S = ClaimStatus
I = InstallmentState  # noqa: E741
OPTION_CHANGE_DAYS = 30
STAFF_ROLES = (Role.ADMIN, Role.SUPPORT)
VENDOR_SIDE = (Role.ADMIN, Role.SUPPORT, Role.VENDOR)


class SettingsChangeRefused(DomainError):
    def __init__(self, message, next_change_allowed):
        self.next_change_allowed = next_change_allowed
        super().__init__(message)


class ClaimActionRefused(DomainError):
    """The action does not fit the claim now; the message says why."""


def today():
    return timezone.localdate()


# --- the vendor's collection settings -----------------------------------------------------


def settings_for(vendor) -> CollectionSettings:
    """The vendor's settings row (created with the defaults on first use)."""
    found, _created = CollectionSettings.objects.get_or_create(vendor=vendor)
    return found


SETTING_FIELDS = (
    "enabled",
    "dunning_option",
    "auto_handover",
    "auto_handover_chargebacks",
    "excluded_products",
    "first_letter_after_days",
    "second_letter_after_days",
    "handover_after_days",
    "fee_first_letter",
    "fee_second_letter",
)


def next_option_change(settings: CollectionSettings) -> date | None:
    if settings.dunning_option_changed_on is None:
        return None
    return settings.dunning_option_changed_on + timedelta(days=OPTION_CHANGE_DAYS)


@transaction.atomic
def change_settings(vendor, actor, *, on: date | None = None, **values) -> CollectionSettings:
    """Change the vendor's collection settings. The dunning option may change only once every
    30 days: a refused change raises ``SettingsChangeRefused`` with the first allowed day."""
    require(actor, *VENDOR_SIDE)
    on = on or today()
    unknown = set(values) - set(SETTING_FIELDS)
    if unknown:
        raise ValidationError({k: [_("Unknown setting.")] for k in sorted(unknown)})
    current = CollectionSettings.objects.select_for_update().get(pk=settings_for(vendor).pk)
    errors = {}
    if "dunning_option" in values and values["dunning_option"] not in DunningOption.values:
        errors["dunning_option"] = [_("The dunning option is 'a' or 'b'.")]
    for field in ("first_letter_after_days", "second_letter_after_days", "handover_after_days"):
        if field in values:
            value = values[field]
            if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 365:
                errors[field] = [_("Give a number of days from 0 to 365.")]
    for field in ("fee_first_letter", "fee_second_letter"):
        if field in values:
            try:
                values[field] = parse_amount(values[field], field=field)
            except ValidationError as error:
                errors.update(error.message_dict)
    if "excluded_products" in values:
        skus = values["excluded_products"]
        if not isinstance(skus, list | tuple) or not all(isinstance(s, str) for s in skus):
            errors["excluded_products"] = [_("Give the excluded products as a list of SKUs.")]
        else:
            values["excluded_products"] = sorted({s.strip() for s in skus if s.strip()})
    if errors:
        raise ValidationError(errors)
    before = {f: getattr(current, f) for f in values}
    option = values.get("dunning_option")
    if option is not None and option != current.dunning_option:
        allowed_from = next_option_change(current)
        if allowed_from is not None and on < allowed_from:
            raise SettingsChangeRefused(
                _(
                    "The dunning option was changed on %(changed)s; it can be changed again "
                    "from %(next)s."
                )
                % {
                    "changed": date_format(current.dunning_option_changed_on),
                    "next": date_format(allowed_from),
                },
                allowed_from,
            )
        current.dunning_option_changed_on = on
    changed = [f for f in values if before[f] != values[f]]
    for field, value in values.items():
        setattr(current, field, value)
    current.save()
    if changed:
        # Only what changed, with the vendor: the settings page shows the vendor's own history
        # (``settings_history``), and only that vendor's users (and staff) see these entries.
        record(
            None,
            actor,
            SETTINGS_CHANGED,
            _("Collection settings of %(vendor)s changed") % {"vendor": vendor.name},
            before={"vendor": vendor.pk, **{k: _shown(before[k]) for k in changed}},
            after={"vendor": vendor.pk, **{k: _shown(values[k]) for k in changed}},
            vendor=vendor,
        )
    return current


SETTINGS_CHANGED = "collection.settings_changed"


def _shown(value):
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    if isinstance(value, bool):
        return value
    return str(value)


def settings_history(vendor, limit=50):
    """The changes of the vendor's collection settings, newest first: who, when, what (each
    changed field with its value before and after)."""
    from standing.activity.models import ActivityRecord

    rows = ActivityRecord.objects.filter(action=SETTINGS_CHANGED).filter(
        Q(vendor=vendor) | Q(after__vendor=vendor.pk)
    )
    history = []
    for entry in rows.order_by("-created_at", "-id")[:limit]:
        before, after = entry.before or {}, entry.after or {}
        history.append(
            {
                "at": entry.created_at,
                "who": entry.actor_label,
                "changes": [
                    {"field": key, "before": before.get(key), "after": value}
                    for key, value in after.items()
                    if key != "vendor"
                ],
            }
        )
    return history


def participates_q(settings: CollectionSettings):
    """The claims of ``settings.vendor`` that may be dunned: the vendor takes part and the
    order has no excluded product."""
    if not settings.enabled:
        return Q(pk__in=[])
    q = Q(vendor_id=settings.vendor_id)
    if settings.excluded_products:
        excluded = OrderItem.objects.filter(
            order=OuterRef("order"), sku__in=settings.excluded_products
        )
        q &= ~Exists(excluded)
    return q


def is_dunned(claim) -> bool:
    settings = settings_for(claim.vendor)
    return Claim.objects.filter(participates_q(settings), pk=claim.pk).exists()


def _startable(claim) -> bool:
    """Open and not yet started: "start dunning" is offered if the claim may be dunned."""
    return claim.status == S.OPEN and claim.dunning_started_on is None


def dunned_ids(claims) -> set[int]:
    """Of ``claims`` (a page of them), the ids of the open ones not yet started that may be
    dunned: two queries for the page (the vendors' settings, then the claims under each
    vendor's rule at once), instead of ``is_dunned`` for each row. A vendor without a settings
    row has the defaults: not taking part."""
    by_vendor = {}
    for claim in claims:
        if _startable(claim):
            by_vendor.setdefault(claim.vendor_id, []).append(claim.pk)
    if not by_vendor:
        return set()
    rule = Q(pk__in=[])
    for settings in CollectionSettings.objects.filter(vendor_id__in=list(by_vendor)):
        rule |= participates_q(settings) & Q(pk__in=by_vendor[settings.vendor_id])
    return set(Claim.objects.filter(rule).values_list("pk", flat=True))


def annotate_rows(claims, actor, on: date):
    """What each row of a claims list shows beyond the claim's fields, for a page of them (a
    list): ``actions`` (a few queries in all), ``url``, ``plan_label`` and ``days_overdue``.
    The URL is reversed and the labels translated once per page, not once per row."""
    dunned = dunned_ids(claims)
    detail = links.url_of_each("claims:detail")
    plans = links.labels(PlanKind)
    for claim in claims:
        claim.actions = allowed_actions(claim, actor, on, dunned=claim.pk in dunned)
        claim.url = detail(claim.pk)
        claim.plan_label = plans[claim.order.plan_kind]
        claim.days_overdue = max((on - claim.overdue_since).days, 0)


# --- opening claims -----------------------------------------------------------------------


def _kind(order, installments, event_type=None):
    states = {i.state for i in installments}
    if event_type == EventType.CHARGEBACK or I.CHARGED_BACK in states:
        return (
            ClaimKind.CHARGEBACK_ONE_TIME
            if order.plan_kind == PlanKind.ONE_TIME
            else ClaimKind.CHARGEBACK_INSTALLMENT
        )
    if I.STOPPED in states:
        return ClaimKind.STOPPED_INSTALLMENTS
    if I.FAILED in states:
        return ClaimKind.FAILED_INSTALLMENT
    return ClaimKind.INVOICE_OVERDUE


def overdue_parts(order, as_of: date):
    """The order's installments that make a claim on ``as_of`` (``amounts.owed_q``)."""
    return [i for i in order.installments.all() if counts(i, order, as_of)]


def build_claim(order, installments, *, kind, opened_at, on, settings=None) -> Claim:
    """An unsaved claim for ``order`` from its overdue ``installments`` (law module figures),
    opened as of the day ``on`` (the event's day, or the run's): with an automatic handover,
    dunning counts as started that day."""
    settings = settings or settings_for(order.vendor)
    customer = order.customer
    debtor = customer.kind
    first_due = min(i.due_date for i in installments)
    chargeback = kind in (ClaimKind.CHARGEBACK_INSTALLMENT, ClaimKind.CHARGEBACK_ONE_TIME)
    auto = settings.auto_handover_chargebacks if chargeback else settings.auto_handover
    return Claim(
        vendor_id=order.vendor_id,
        order=order,
        order_number=order.number,
        customer_id=order.customer_id,
        kind=kind,
        debtor=debtor,
        overdue_since=first_due,
        default_since=law.first_day_of_default(debtor=debtor, due_date=first_due),
        limitation_date=law.limitation_date(first_due),
        dunning_option=settings.dunning_option,
        auto_handover=auto,
        dunning_started_on=on if auto else None,
        opened_at=opened_at,
    )


def open_claim(order, actor, *, on: date, event_type=None) -> Claim | None:
    """Open the order's claim if money is overdue on ``on`` and no claim is running; a later
    miss on an order with a running claim adds to it (its amounts are derived). Call inside
    the transaction of the event; the order row is locked by it."""
    running = Claim.objects.filter(order=order, status__in=UNFINISHED_STATES).first()
    parts = overdue_parts(order, on)
    if running is not None:
        if parts and event_type:
            record(
                order.customer,
                actor,
                "claim.added",
                _("Order %(order)s: the missed payment adds to claim %(id)s")
                % {"order": order.number, "id": running.pk},
                after={"claim": running.pk, "event": event_type},
                internal=True,
            )
        return running
    if not parts:
        return None
    claim = build_claim(
        order, parts, kind=_kind(order, parts, event_type), opened_at=timezone.now(), on=on
    )
    try:
        with transaction.atomic():
            claim.save()
    except IntegrityError:  # opened by a concurrent run meanwhile
        return Claim.objects.filter(order=order, status__in=UNFINISHED_STATES).first()
    refresh_open_amounts(Claim.objects.filter(pk=claim.pk))
    _record_opened(claim, actor)
    return claim


def _record_opened(claim, actor):
    record(
        claim.customer,
        actor,
        "claim.opened",
        _("Claim %(id)s opened on order %(order)s (%(kind)s)")
        % {"id": claim.pk, "order": claim.order.number, "kind": ClaimKind(claim.kind).label},
        after={
            "claim": claim.pk,
            "order": claim.order.number,
            "kind": claim.kind,
            "overdue_since": claim.overdue_since,
            "auto_handover": claim.auto_handover,
        },
    )


def on_payment_event(order, stored_event, actor):
    """orders.events.AFTER_EVENT: in the event's transaction, open, add to, close or cancel
    the order's claim; then the open amount the board filters by is recomputed for the order's
    claims (the event changed their installments or costs)."""
    _claim_after_event(order, stored_event, actor)
    refresh_open_amounts(Claim.objects.filter(order=order))


def _claim_after_event(order, stored_event, actor):
    kind = stored_event.type
    if kind in (EventType.PAYMENT_FAILED, EventType.CHARGEBACK, EventType.INSTALLMENTS_STOPPED):
        open_claim(order, actor, on=stored_event.date, event_type=kind)
        return
    running = (
        Claim.objects.filter(order=order, status__in=UNFINISHED_STATES)
        .select_related("order", "customer")
        .first()
    )
    if running is None:
        return
    if kind == EventType.ORDER_CANCELLED or order.status == OrderStatus.CANCELLED:
        if running.status in (*BLOCKABLE, S.BLOCKED):
            CLAIMS.transition(
                running,
                S.CANCELED,
                actor,
                reason=_("order cancelled"),
                updates={"cancel_reason": _("order cancelled"), "closed_on": stored_event.date},
            )
        return
    if kind == EventType.PAYMENT_RECEIVED:
        close_if_paid(running, actor, on=stored_event.date)


def close_if_paid(claim, actor, *, on: date) -> bool:
    """A claim whose open total is zero is paid, whatever its stage."""
    claim.order.refresh_from_db()
    if amounts_of(claim, max(on, claim.overdue_since)).open_total > 0:
        return False
    CLAIMS.transition(
        claim,
        S.PAID,
        actor,
        reason=_("paid in full"),
        updates={"closed_on": on, "status_before_block": ""},
    )
    return True


# --- the people's actions -----------------------------------------------------------------


def _refuse(message):
    raise ClaimActionRefused(message)


def _claim_locked(claim):
    return (
        Claim.objects.select_for_update(of=("self",))
        .select_related("order", "customer", "vendor")
        .get(pk=claim.pk)
        if _can_lock_of()
        else Claim.objects.select_for_update()
        .select_related("order", "customer", "vendor")
        .get(pk=claim.pk)
    )


def _can_lock_of():
    from django.db import connection

    return connection.features.has_select_for_update_of


@transaction.atomic
def start_dunning(claim, actor, *, on: date | None = None) -> Claim:
    """The vendor's "verfolgen": dunning starts; the first letter follows with the next run."""
    require(actor, *VENDOR_SIDE)
    claim = _claim_locked(claim)
    on = on or today()
    if claim.status != S.OPEN:
        _refuse(
            _("Dunning has gone past the start already (the claim is %(state)s).")
            % {"state": S(claim.status).label}
        )
    if claim.dunning_started_on is not None:
        _refuse(
            _("Dunning started on %(on)s already.") % {"on": date_format(claim.dunning_started_on)}
        )
    if not is_dunned(claim):
        _refuse(
            _(
                "This claim is not dunned: the vendor does not take part in dunning, or the "
                "product is excluded in the collection settings."
            )
        )
    Claim.objects.filter(pk=claim.pk).update(dunning_started_on=on)
    claim.dunning_started_on = on
    record(
        claim.customer,
        actor,
        "claim.dunning_started",
        _("Claim %(id)s: dunning started") % {"id": claim.pk},
        after={"claim": claim.pk, "on": on},
    )
    return claim


def _text(value, field, message, limit=300):
    text = (value or "").strip()
    if not text:
        raise ValidationError({field: [message]})
    if len(text) > limit:
        raise ValidationError({field: [_("At most %(n)s characters, please.") % {"n": limit}]})
    return text


@transaction.atomic
def cancel(claim, actor, *, reason, on: date | None = None) -> Claim:
    """ "nicht verfolgen" / the vendor wants a cancellation / written off: ``canceled``."""
    require(actor, *VENDOR_SIDE)
    reason = _text(reason, "reason", _("Say why the claim is not pursued."))
    claim = _claim_locked(claim)
    if claim.status == S.SENT_FOR_COLLECTION and not actor.is_staff:
        _refuse(_("The claim is with the collection agency; ask support to cancel it there."))
    return CLAIMS.transition(
        claim,
        S.CANCELED,
        actor,
        reason=reason,
        updates={"cancel_reason": reason, "closed_on": on or today(), "status_before_block": ""},
    )


@transaction.atomic
def approve(claim, actor, *, on: date | None = None) -> Claim:
    """The vendor's "Freigabe": a claim waiting in ``on_hold`` goes to the agency."""
    require(actor, *VENDOR_SIDE)
    claim = _claim_locked(claim)
    on = max(on or today(), claim.second_letter_on or date.min)
    return CLAIMS.transition(claim, S.SENT_FOR_COLLECTION, actor, updates={"incasso_on": on})


@transaction.atomic
def block(claim, actor, *, reason) -> Claim:
    """Support must clarify (lawyer's letter arrived, customer dunned by hand)."""
    require(actor, *STAFF_ROLES)
    reason = _text(reason, "reason", _("Say what support has to clarify."))
    claim = _claim_locked(claim)
    return CLAIMS.transition(
        claim, S.BLOCKED, actor, reason=reason, updates={"status_before_block": claim.status}
    )


@transaction.atomic
def release(claim, actor) -> Claim:
    """Back to where the claim came from."""
    require(actor, *STAFF_ROLES)
    claim = _claim_locked(claim)
    if claim.status != S.BLOCKED:
        _refuse(_("Only a blocked claim can be released."))
    target = claim.status_before_block
    return CLAIMS.transition(
        claim, target, actor, updates={"status_before_block": "", "invalid_address": False}
    )


@transaction.atomic
def pause(claim, actor, *, until, reason, on: date | None = None) -> Claim:
    """A payment deferral ("Stundung"): no letter until after ``until``; then dunning resumes
    by itself."""
    require(actor, *VENDOR_SIDE)
    on = on or today()
    if isinstance(until, str):
        try:
            until = date.fromisoformat(until.strip())
        except ValueError:
            raise ValidationError({"until": [_("Give the date as YYYY-MM-DD.")]}) from None
    if not isinstance(until, date):
        raise ValidationError({"until": [_("Give the date as YYYY-MM-DD.")]})
    if until <= on:
        raise ValidationError({"until": [_("The pause must end after today.")]})
    if until > on + timedelta(days=366):
        raise ValidationError({"until": [_("A pause lasts at most a year.")]})
    reason = _text(reason, "reason", _("Say why dunning pauses (e.g. the deferral agreed)."))
    claim = _claim_locked(claim)
    if claim.status not in (S.OPEN, S.DUNNING_1, S.DUNNING_2, S.ON_HOLD):
        _refuse(_("A claim that is %(state)s cannot be paused.") % {"state": S(claim.status).label})
    before = claim.paused_until
    Claim.objects.filter(pk=claim.pk).update(paused_until=until, pause_reason=reason)
    claim.paused_until, claim.pause_reason = until, reason
    record(
        claim.customer,
        actor,
        "claim.paused",
        _("Claim %(id)s paused until %(until)s: %(reason)s")
        % {"id": claim.pk, "until": date_format(until), "reason": reason},
        before={"claim": claim.pk, "paused_until": before},
        after={"claim": claim.pk, "paused_until": until, "reason": reason},
    )
    return claim


@transaction.atomic
def comment(claim, actor, *, text, visibility) -> ClaimComment:
    """Internal support comments and comments the vendor (and the agency) may see."""
    require(actor, *VENDOR_SIDE)
    if visibility not in Visibility.values:
        raise ValidationError({"visibility": [_("The visibility is 'internal' or 'vendor'.")]})
    if visibility == Visibility.INTERNAL and not actor.is_staff:
        raise ValidationError(
            {"visibility": [_("Vendor users write comments the vendor may see ('vendor').")]}
        )
    text = _text(text, "text", _("Write the comment."), limit=2000)
    return ClaimComment.objects.create(
        claim=claim,
        visibility=visibility,
        text=text,
        author=actor.user,
        author_label=actor.label,
    )


ACTIONS = {
    "start_dunning": start_dunning,
    "cancel": cancel,
    "approve": approve,
    "block": block,
    "release": release,
    "pause": pause,
    "comment": comment,
}


def perform(claim, actor, action, values):
    """Run the action named ``action`` with the values a form or a JSON body gave."""
    fn = ACTIONS[action]
    if action in ("cancel", "block"):
        return fn(claim, actor, reason=values.get("reason", ""))
    if action == "pause":
        return fn(claim, actor, until=values.get("until"), reason=values.get("reason", ""))
    if action == "comment":
        return fn(claim, actor, text=values.get("text", ""), visibility=values.get("visibility"))
    return fn(claim, actor)


def allowed_actions(claim, actor, on: date | None = None, dunned=None) -> list[str]:
    """The actions to offer ``actor`` on ``claim`` now (buttons, API hints); ``dunned``:
    whether the claim may be dunned, when the caller knows it already (``annotate_rows``)."""
    on = on or today()
    names = []
    staff = actor.is_staff
    if actor.role not in VENDOR_SIDE:
        return names
    if _startable(claim) and (is_dunned(claim) if dunned is None else dunned):
        names.append("start_dunning")
    if S.CANCELED in CLAIMS.allowed(claim, actor) and (
        staff or claim.status != S.SENT_FOR_COLLECTION
    ):
        names.append("cancel")
    if claim.status == S.ON_HOLD:
        names.append("approve")
    if staff and claim.status in BLOCKABLE:
        names.append("block")
    if staff and claim.status == S.BLOCKED:
        names.append("release")
    if claim.status in (S.OPEN, S.DUNNING_1, S.DUNNING_2, S.ON_HOLD):
        names.append("pause")
    names.append("comment")
    return names


# --- payments on the claim (the offer link) -----------------------------------------------


def apply_claim_payment(claim, amount, *, on: date, actor, reference: str):
    """A payment on the claim (its payment link): applied under § 367 BGB to costs, then
    interest (ledger entries), then principal (a payment event on the order, idempotent by
    ``reference``). Closes the claim as paid when it covers everything."""
    from standing.orders import events

    actor = actor or SYSTEM
    with transaction.atomic():
        claim = _claim_locked(claim)
        if ClaimEntry.objects.filter(claim=claim, details__reference=reference).exists():
            return claim
        owed = amounts_of(claim, on)
        share = law.allocate_payment(
            amount,
            costs=max(owed.open_costs, ZERO),
            interest=max(owed.open_interest, ZERO),
            principal=owed.principal,
        )
        details = {"reference": reference}
        for kind, part in (
            (EntryKind.PAID_COSTS, share.costs),
            (EntryKind.PAID_INTEREST, share.interest),
        ):
            if part:
                ClaimEntry.objects.create(
                    claim=claim, kind=kind, on=on, amount=-part, details=details
                )
        to_order = min(share.principal + share.surplus, claim.order.open_amount)
        if to_order > 0:
            events.deliver(
                claim.order,
                actor,
                events.Event(
                    id=f"claim-{reference}"[:100],
                    type=EventType.PAYMENT_RECEIVED,
                    date=on,
                    amount=to_order,
                ),
            )
        record(
            claim.customer,
            actor,
            "claim.payment",
            _(
                "Claim %(id)s: %(amount)s EUR paid (costs %(costs)s, interest %(interest)s, "
                "principal %(principal)s)"
            )
            % {
                "id": claim.pk,
                "amount": amount,
                "costs": share.costs,
                "interest": share.interest,
                "principal": to_order,
            },
            after={"claim": claim.pk, "reference": reference, "amount": amount},
        )
        # The ledger changed (the order's event, if any, refreshed it already).
        refresh_open_amounts(Claim.objects.filter(pk=claim.pk))
        claim.refresh_from_db()
        if claim.status in UNFINISHED_STATES:
            close_if_paid(claim, actor, on=on)
        return claim


def on_link_paid(link, actor):
    """payments.ON_PAID: a claim's offer link was paid."""
    claim = Claim.objects.filter(offer_link=link).select_related("order", "customer").first()
    if claim is None:
        return
    on = timezone.localdate(link.paid_at) if link.paid_at else today()
    apply_claim_payment(claim, link.amount, on=on, actor=SYSTEM, reference=f"link-{link.token}")


def waiting_for_vendor(queryset):
    """Claims waiting for the vendor: review (not started) or approval (``on_hold``)."""
    return queryset.filter(Q(status=S.OPEN, dunning_started_on__isnull=True) | Q(status=S.ON_HOLD))


# --- lists (the API, the review list, the board) ------------------------------------------


IN_PROGRESS = "in_progress"
WAITING = "waiting"


def claim_list(
    queryset,
    *,
    as_of: date,
    status="",
    period_from: date | None = None,
    period_to: date | None = None,
    amount_min=None,
    amount_max=None,
    q="",
    vendor=None,
    amounts=True,
    open_sorted=False,
):
    """Claims filtered as the board filters them, each annotated with its amounts on ``as_of``
    (``open_total``, ``principal``, ``costs``, ``ledger_interest``). ``amounts=False`` leaves
    the amounts out (a page of ids, a count). The open amount range filters the cached
    ``open_amount`` (indexed), which is the derived ``open_total`` (``check-data``)."""
    from .amounts import annotate_amounts, refresh_stale

    if status == IN_PROGRESS:
        queryset = queryset.filter(status__in=ACTIVE_STATES)
    elif status == WAITING:
        queryset = waiting_for_vendor(queryset)
    elif status:
        if status not in S.values:
            raise ValidationError(
                {
                    "status": [
                        _("Unknown status '%(value)s'; use %(known)s.")
                        % {
                            "value": status,
                            "known": ", ".join([IN_PROGRESS, WAITING, *S.values]),
                        }
                    ]
                }
            )
        queryset = queryset.filter(status=status)
    if vendor:
        queryset = queryset.filter(vendor_id=vendor)
    if period_from:
        queryset = queryset.filter(overdue_since__gte=period_from)
    if period_to:
        queryset = queryset.filter(overdue_since__lte=period_to)
    if q:
        queryset = queryset.filter(search_q(q, queryset))
    if open_sorted or amount_min is not None or amount_max is not None:
        # The cached open amount (an index; ``amounts.refresh_open_amounts``), brought up to
        # ``as_of`` first where an installment came due since it was computed: for the range,
        # and for a list the caller sorts by it (``open_sorted``).
        refresh_stale(as_of)
    if amount_min is not None or amount_max is not None:
        queryset = _open_amount_range(queryset, amount_min, amount_max, open_sorted)
    if amounts:
        queryset = annotate_amounts(queryset, as_of)
    return queryset.select_related("order", "customer", "vendor")


class _Likely:
    """A comparison that SQLite's planner takes as true for most rows (``likelihood``), in a
    query with an order: there it walks the order's index. A count (no order) keeps the plain
    comparison, which the open-amount index answers."""

    def as_sql(self, compiler, connection):
        sql, params = super().as_sql(compiler, connection)
        query = compiler.query
        if query.order_by or (query.default_ordering and query.get_meta().ordering):
            return f"likelihood({sql}, 0.9)", params
        return sql, params


class _LikelyAtLeast(_Likely, GreaterThanOrEqual):
    pass


class _LikelyAtMost(_Likely, LessThanOrEqual):
    pass


# An amount range matching more claims than this is "broad" (see ``_open_amount_range``): more
# than the pager counts exactly, so its pages walk a sort index through at most a hundredth of
# a million claims per row shown.
BROAD_RANGE = EXACT_UP_TO


def _open_amount_range(queryset, low, high, open_sorted):
    """``queryset`` within ``low`` ≤ open amount ≤ ``high`` (either may be None).

    SQLite has no histogram: it read every claim in the range by the open-amount index and then
    sorted them all, even when the range held nearly every claim (600 ms at 1,100,000). So where
    the range is broad (more than ``BROAD_RANGE`` claims by that index) each bound is marked
    as true for most claims (``likelihood(…, 0.9)``, ``_Likely``): the page then walks its
    sort's index and stops after 25 rows, while the pager's count still reads the open-amount
    index (with the status index it read 100 ms of claims at 1,100,000). PostgreSQL's planner
    sees this from its own statistics."""
    indexed = Q()
    likely = []
    if low is not None:
        indexed &= Q(open_amount__gte=low)
        likely.append(_LikelyAtLeast(F("open_amount"), low))
    if high is not None:
        indexed &= Q(open_amount__lte=high)
        likely.append(_LikelyAtMost(F("open_amount"), high))
    if connection.vendor != "sqlite" or open_sorted:
        return queryset.filter(indexed)
    narrow = queryset.filter(indexed)
    # Remembered: where the range is narrow, the pager needs this very count.
    if capped_count(narrow, BROAD_RANGE, remember=True) <= BROAD_RANGE:
        return narrow
    return queryset.filter(*likely)


def letters_by_claim(ids) -> dict[int, list]:
    """{claim id: its dunning letters by level} for the claims ``ids`` (a page), in one query."""
    letters = {}
    for letter in Letter.objects.filter(claim_id__in=ids).order_by("claim_id", "level"):
        letters.setdefault(letter.claim_id, []).append(letter)
    return letters


def page_of(ids, as_of: date, queryset=None) -> list[Claim]:
    """The claims ``ids`` (one page, already scoped and ordered) with their amounts on ``as_of``
    as ``annotate_amounts`` names them (``principal``, ``ledger_costs``, ``ledger_interest``,
    ``costs``, ``open_total``), in the order given. Derived in Python from three plain queries
    (the claims, their orders' installments, their ledger sums): compiling the amounts'
    subqueries cost more than running them for 25 rows."""
    if not ids:
        return []
    queryset = Claim.objects.all() if queryset is None else queryset
    # Unordered (the page's order is ``ids``'): compiling and sorting by the models' default
    # order was a tenth of these queries' time.
    found = {
        claim.pk: claim
        for claim in queryset.filter(pk__in=ids)
        .select_related("order", "customer", "vendor")
        .order_by()
    }
    installments = {}
    orders = {c.order_id for c in found.values()}
    for inst in Installment.objects.filter(order_id__in=orders).order_by():
        installments.setdefault(inst.order_id, []).append(inst)
    ledger = ledger_by_claim(list(found))
    for claim in found.values():
        owed = amounts_of(claim, as_of, ledger, installments.get(claim.order_id, []))
        claim.principal = owed.principal
        claim.ledger_costs = owed.fees - owed.paid_costs
        claim.ledger_interest = owed.open_interest
        claim.costs = owed.cancellation_costs + claim.ledger_costs
        claim.open_total = owed.open_total
    return [found[pk] for pk in ids if pk in found]


def ledger_by_claim(ids) -> dict[str, dict[int, Decimal]]:
    """{entry kind: {claim id: the sum booked}} of the claims ``ids``, in one query (the
    ``ledger`` of ``amounts.amounts_of``)."""
    ledger = {kind: {} for kind in EntryKind.values}
    for claim_id, kind, total in (
        ClaimEntry.objects.filter(claim_id__in=ids)
        .values_list("claim_id", "kind")
        .annotate(total=Sum("amount"))
        .order_by()
    ):
        ledger[kind][claim_id] = round_money(total)
    return ledger


# Up to this many orders or customers matching a search, their ids go into the claims query as
# a list (an index lookup per id); a broader search stays a subquery.
SEARCH_IDS = 5000


def search_q(q: str, claims=None) -> Q:
    """The claims whose order ID starts with ``q`` (case-insensitive) or whose customer's first
    or last name matches it (the customers' search keys: Müller = Mueller). The orders (their
    number's index, ``number_prefix_q``) and the customers (``name_q``) are looked up
    first; the claims then come from their ``order_id`` and ``customer_id`` indexes, not from a
    scan of every claim joined to its order and customer. Only orders and customers with a
    claim of ``claims`` (the list's other filters and scope) are listed: the planner then
    expects as many claims as there are, not a claim for every matching customer."""
    from django.db.models import Exists, OuterRef

    from standing.customers.models import Customer
    from standing.customers.normalize import search_key
    from standing.customers.search import name_q
    from standing.orders.models import Order
    from standing.orders.services import number_prefix_q

    q = q.strip()[:100]
    lookups = [("order_id", Order.objects.filter(number_prefix_q(q)))]
    key = search_key(q)
    if key:
        # As the customer search matches names: by the beginning of the last or first name.
        people = Customer.objects.filter(name_q(key))
        lookups.append(("customer_id", people))
    match = Q(pk__in=[])
    claims = Claim.objects.all() if claims is None else claims
    for field, found in lookups:
        found = found.filter(Exists(claims.filter(**{field: OuterRef("pk")})))
        found = found.order_by().values_list("pk", flat=True)
        ids = list(found[: SEARCH_IDS + 1])
        # The ids taken as integers once (``core.idlist``): Django prepared each of them.
        match |= Q(IdIn(F(field), ids)) if len(ids) <= SEARCH_IDS else Q(**{f"{field}__in": found})
    # And the claims themselves as a list: sorting a few hundred found rows beats walking the
    # sort order's index in the hope of meeting them early (the planner cannot know where they
    # lie).
    found = claims.filter(match).order_by().values_list("pk", flat=True)
    ids = list(found[: SEARCH_IDS + 1])
    return Q(IdIn(F("pk"), ids)) if len(ids) <= SEARCH_IDS else match


# --- the letters' words (operator admins) -------------------------------------------------


def save_template(actor, *, level, language, subject, intro, closing):
    """Store the words of the letters of ``level`` in ``language``; refuses unknown
    placeholders and broken braces with a message that lists the ones to use."""
    import string

    from django.conf import settings as django_settings

    from .letters import PLACEHOLDERS
    from .models import LetterTemplate

    require(actor, Role.ADMIN)
    errors = {}
    if level not in (1, 2):
        errors["level"] = [_("The level is 1 or 2.")]
    if language not in dict(django_settings.LANGUAGES):
        errors["language"] = [_("Unknown language.")]
    values = {"subject": subject, "intro": intro, "closing": closing}
    limits = {"subject": 200, "intro": 2000, "closing": 2000}
    for field, text in values.items():
        text = (text or "").strip()
        values[field] = text
        if not text:
            errors[field] = [_("This text must not be empty.")]
            continue
        if len(text) > limits[field]:
            errors[field] = [_("At most %(n)s characters, please.") % {"n": limits[field]}]
            continue
        try:
            names = {name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name}
        except ValueError:
            names = None
        if names is None or not names <= set(PLACEHOLDERS):
            errors[field] = [
                _("Use only these placeholders in braces: %(names)s (a brace alone: {{ or }}).")
                % {"names": ", ".join("{" + p + "}" for p in PLACEHOLDERS)}
            ]
    if errors:
        raise ValidationError(errors)
    found, _created = LetterTemplate.objects.update_or_create(
        level=level, language=language, defaults={**values, "updated_by": actor.user}
    )
    record(
        None,
        actor,
        "claims.letter_template_changed",
        _("Words of dunning letter %(level)s (%(language)s) changed")
        % {"level": level, "language": language},
        after={"level": level, "language": language, **values},
        internal=True,
    )
    return found
