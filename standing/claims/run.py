"""The dunning run (SPEC §7, issue 12 §4): set-based, as of any day, exactly once.

Order of the steps for the day ``as_of``:
1. open the claims the day brings (missed installments that came due, invoices past due);
2. the reopened check on every claim still with us: the same customer ordered the same
   product (SKU) again in a later order → ``canceled``, ``reopened``, ``reopened_order``;
3. claims paid in full → ``paid``;
4. per vendor that takes part: the first letter, the second letter, the handover (``on_hold``,
   ``sent_for_collection``, or ``blocked`` with ``invalid_address``).

Each step is one transaction; each move is one conditional UPDATE through the lifecycle engine,
which returns only the rows it moved, so two runs at once, or a run started again after it was
killed, never move a claim twice, and ``Letter``'s unique (claim, level) is the last guard.
PDFs and emails are made by tasks enqueued after the commit (``letters.py``).
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import NamedTuple

from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q, Subquery, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from standing.accounts.scoping import SYSTEM
from standing.activity.services import build_record
from standing.core.money import ZERO, round_money
from standing.customers.models import Customer
from standing.law import services as law
from standing.orders.models import Installment, Order, OrderItem, OrderStatus

from . import services
from .amounts import (
    amounts_of,
    annotate_amounts,
    interest_through,
    owed_q,
    pieces_json,
    refresh_open_amounts,
    refresh_stale,
)
from .lifecycle import CLAIMS
from .models import (
    UNFINISHED_STATES,
    Claim,
    ClaimEntry,
    ClaimStatus,
    CollectionSettings,
    DunningRun,
    EntryKind,
    Letter,
)

S = ClaimStatus
CHUNK = 2000  # claims per transaction (the lifecycle engine's bulk chunk)
PAYMENT_DAYS = 14  # the payment deadline a letter sets
HANDOVER_LEVEL = 3
SUMMARY_KEYS = (
    "opened",
    "reopened",
    "paid",
    "letters_1",
    "letters_2",
    "handovers",
    "on_hold",
    "blocked",
)


@dataclass
class Outcome:
    run: DunningRun | None
    summary: dict = field(default_factory=lambda: dict.fromkeys(SUMMARY_KEYS, 0))
    letters: list = field(default_factory=list)


def day_end(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


def run(as_of: date, *, vendor=None, dry_run=False, actor=SYSTEM) -> Outcome:
    """One dunning run as of ``as_of`` (any day, past or future). A dry run computes the same
    summary inside a transaction that is rolled back: nothing is kept or sent."""
    if dry_run:
        with transaction.atomic():
            outcome = _run(as_of, vendor, actor, keep=False)
            transaction.set_rollback(True)
        outcome.run = None
        return outcome
    return _run(as_of, vendor, actor, keep=True)


def _run(as_of, vendor, actor, keep):
    record = DunningRun.objects.create(
        as_of=as_of,
        vendor=vendor,
        dry_run=not keep,
        actor_label=actor.label,
        started_at=timezone.now(),
    )
    outcome = Outcome(run=record)
    scope = Q(vendor=vendor) if vendor is not None else Q()
    outcome.summary["opened"] = open_due_claims(as_of, vendor, actor)
    outcome.summary["reopened"] = close_reopened(as_of, scope, actor)
    outcome.summary["paid"] = close_paid(as_of, scope, actor)
    settings_rows = CollectionSettings.objects.filter(enabled=True).select_related("vendor")
    if vendor is not None:
        settings_rows = settings_rows.filter(vendor=vendor)
    for settings in settings_rows:
        _letters_and_handover(as_of, settings, actor, record, outcome)
    record.summary = outcome.summary
    record.finished_at = timezone.now()
    record.save(update_fields=["summary", "finished_at"])
    if keep and outcome.letters:
        from .letters import enqueue_letters

        transaction.on_commit(lambda: enqueue_letters(outcome.letters, record.pk))
    return outcome


def _found(queryset, states) -> dict:
    """The pks of ``queryset`` by status, for the states given: the selecting condition (an
    anti-join over the orders, the due dates) is evaluated once, not once per state and per
    chunk of the engine's moves."""
    found = {}
    for pk, status in queryset.filter(status__in=states).order_by("pk").values_list("pk", "status"):
        found.setdefault(status, []).append(pk)
    return found


def _move(pks, frm, to, actor, *, after=None, **options) -> list:
    """Move the claims ``pks`` (found before) that are still in ``frm``, chunk by chunk, each
    chunk in its own transaction (with ``after(moved)`` in it); returns the pks moved."""
    moved = []
    for start in range(0, len(pks), CHUNK):
        with transaction.atomic():
            done = CLAIMS.transition_bulk(
                Claim.objects.filter(pk__in=pks[start : start + CHUNK]), frm, to, actor, **options
            )
            if after is not None and done:
                after(done)
        moved += done
    return moved


# --- 1. claims the day brings ---------------------------------------------------------------


def open_due_claims(as_of, vendor, actor) -> int:
    """Claims for orders on which money is overdue on ``as_of`` and no claim runs (an event
    opens most claims at once; this catches the ones that only come due: stopped installments
    reaching their due date, invoices past due)."""
    due = Installment.objects.filter(owed_q(as_of), order=OuterRef("pk"))
    # A claim running, or one the vendor cancelled (or that was reopened): the run does not
    # open another for the same order (a new payment event still does).
    running = Claim.objects.filter(
        order=OuterRef("pk"), status__in=[*UNFINISHED_STATES, S.CANCELED]
    )
    orders = Order.objects.filter(Exists(due), ~Exists(running), status=OrderStatus.OPEN)
    if vendor is not None:
        orders = orders.filter(vendor=vendor)
    settings_cache = {}
    opened, last = 0, 0
    while True:
        batch = list(
            orders.filter(pk__gt=last)
            .select_related("customer")
            .prefetch_related("installments")
            .order_by("pk")[:CHUNK]
        )
        if not batch:
            return opened
        last = batch[-1].pk
        stamp = timezone.now()
        claims = []
        for order in batch:
            parts = services.overdue_parts(order, as_of)
            if not parts:
                continue
            if order.vendor_id not in settings_cache:
                settings_cache[order.vendor_id] = services.settings_for(order.vendor)
            claims.append(
                services.build_claim(
                    order,
                    parts,
                    kind=services._kind(order, parts),
                    opened_at=stamp,
                    on=as_of,
                    settings=settings_cache[order.vendor_id],
                )
            )
        with transaction.atomic():
            # A claim opened meanwhile by an event or another run wins (one per order).
            Claim.objects.bulk_create(claims, ignore_conflicts=True)
            mine = Claim.objects.filter(
                opened_at=stamp, order_id__in=[c.order_id for c in claims]
            ).select_related("order")
            refresh_open_amounts(mine)
            records = [
                build_record(
                    None,
                    actor,
                    "claim.opened",
                    _("Claim %(id)s opened on order %(order)s")
                    % {"id": c.pk, "order": c.order.number},
                    after={"claim": c.pk, "order": c.order.number, "kind": c.kind},
                    customer_id=c.customer_id,
                )
                for c in mine
            ]
            from standing.activity.models import ActivityRecord

            ActivityRecord.objects.bulk_create(records)
            opened += len(records)


# --- 2. reopened, 3. paid ---------------------------------------------------------------------


def _later_same_product(as_of):
    """A later order of the same customer, placed by ``as_of``, with a product of the
    claim's order (and not cancelled)."""
    skus = OrderItem.objects.filter(order_id=OuterRef(OuterRef("order_id"))).values("sku")
    return (
        Order.objects.filter(
            customer_id=OuterRef("customer_id"),
            created_at__gt=OuterRef("order__created_at"),
            created_at__lt=day_end(as_of),
            items__sku__in=skus,
        )
        .exclude(status=OrderStatus.CANCELLED)
        .exclude(pk=OuterRef("order_id"))
    )


def _reordered(as_of):
    """The items of the claim's order that its customer ordered again (the same SKU) in a
    later order placed by ``as_of`` and not cancelled. The same condition as
    ``_later_same_product``, written as one join (item → order → customer → later order →
    its item with the same SKU) so that the database walks it per claim along the indexes
    (orders by customer and creation time; items by order), instead of hashing every order
    and testing each pair of a customer's orders against a subquery."""
    later = "order__customer__orders__"
    return OrderItem.objects.filter(
        **{
            "order_id": OuterRef("order_id"),
            f"{later}created_at__gt": OuterRef("order__created_at"),
            f"{later}created_at__lt": day_end(as_of),
            f"{later}status__in": [s for s in OrderStatus.values if s != OrderStatus.CANCELLED],
            f"{later}items__sku": F("sku"),
        }
    )


def close_reopened(as_of, scope, actor) -> int:
    later = _later_same_product(as_of)
    reopenable = (S.OPEN, S.DUNNING_1, S.DUNNING_2, S.ON_HOLD)
    found = _found(Claim.objects.filter(scope).filter(Exists(_reordered(as_of))), reopenable)
    first_later = Subquery(later.order_by("created_at", "pk").values("pk")[:1])

    def link_later_order(moved):
        found = Claim.objects.filter(pk__in=moved).annotate(new=first_later)
        rows = [Claim(pk=pk, reopened_order_id=new) for pk, new in found.values_list("pk", "new")]
        Claim.objects.bulk_update(rows, ["reopened_order"])

    total = 0
    for frm in [state for state in reopenable if state in found]:
        total += len(
            _move(
                found[frm],
                frm,
                S.CANCELED,
                actor,
                after=link_later_order,
                reason="reopened",
                updates={
                    "reopened": True,
                    "closed_on": as_of,
                    "cancel_reason": _("reopened: the customer ordered the product again"),
                },
            )
        )
    return total


def close_paid(as_of, scope, actor) -> int:
    """Claims with nothing open: no installment of theirs owed (an anti-join, cheap for the
    many claims that still owe), then nothing open in the ledger either."""
    owing = Installment.objects.filter(owed_q(as_of), order=OuterRef("order"))
    candidates = list(
        Claim.objects.filter(scope)
        .filter(~Exists(owing), overdue_since__lte=as_of, status__in=UNFINISHED_STATES)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    # The ledger sums only for those, in a second query: in one, PostgreSQL computed them
    # for every unfinished claim before the anti-join had dropped the ones still owing.
    found = {}
    for start in range(0, len(candidates), CHUNK):
        chunk = Claim.objects.filter(pk__in=candidates[start : start + CHUNK])
        part = _found(annotate_amounts(chunk, as_of).filter(open_total__lte=0), UNFINISHED_STATES)
        for status, pks in part.items():
            found.setdefault(status, []).extend(pks)
    total = 0
    for frm in [state for state in UNFINISHED_STATES if state in found]:
        total += len(
            _move(
                found[frm],
                frm,
                S.PAID,
                actor,
                reason="paid in full",
                updates={"closed_on": as_of, "status_before_block": ""},
            )
        )
    return total


# --- 4. letters and the handover ---------------------------------------------------------------


def _due(as_of, settings):
    not_paused = Q(paused_until__isnull=True) | Q(paused_until__lt=as_of)
    return Claim.objects.filter(services.participates_q(settings)).filter(not_paused)


def _letters_and_handover(as_of, settings, actor, record, outcome):
    due = _due(as_of, settings)
    first = due.filter(
        dunning_started_on__lte=as_of,
        overdue_since__lte=as_of - timedelta(days=settings.first_letter_after_days),
    )
    second = due.filter(
        first_letter_on__lte=as_of - timedelta(days=settings.second_letter_after_days)
    )
    handover = due.filter(
        second_letter_on__lte=as_of - timedelta(days=settings.handover_after_days)
    )
    # Each selection is evaluated once; the moves (and the letters booked with them) go chunk
    # by chunk, each chunk one transaction.
    for level, frm, to, queryset, field_name, key in (
        (1, S.OPEN, S.DUNNING_1, first, "first_letter_on", "letters_1"),
        (2, S.DUNNING_1, S.DUNNING_2, second, "second_letter_on", "letters_2"),
    ):
        pks = _found(queryset, [frm]).get(frm, [])

        def book_letters(moved, level=level):
            outcome.letters.extend(book(moved, level, as_of, settings, record))

        moved = _move(
            pks,
            frm,
            to,
            actor,
            after=book_letters,
            reason=f"run {record.pk}",
            updates={field_name: as_of},
        )
        outcome.summary[key] += len(moved)
    incomplete = Q(customer__street="") | Q(customer__postal_code="") | Q(customer__city="")
    blocked = _move(
        _found(handover.filter(incomplete), [S.DUNNING_2]).get(S.DUNNING_2, []),
        S.DUNNING_2,
        S.BLOCKED,
        actor,
        reason="invalid address",
        updates={"invalid_address": True, "status_before_block": S.DUNNING_2},
    )
    outcome.summary["blocked"] += len(blocked)
    sent = _move(
        _found(handover.filter(auto_handover=True).exclude(incomplete), [S.DUNNING_2]).get(
            S.DUNNING_2, []
        ),
        S.DUNNING_2,
        S.SENT_FOR_COLLECTION,
        actor,
        after=lambda moved: book(moved, HANDOVER_LEVEL, as_of, settings, record),
        reason=f"run {record.pk}",
        updates={"incasso_on": as_of},
    )
    outcome.summary["handovers"] += len(sent)
    held = _move(
        _found(handover.filter(auto_handover=False).exclude(incomplete), [S.DUNNING_2]).get(
            S.DUNNING_2, []
        ),
        S.DUNNING_2,
        S.ON_HOLD,
        actor,
        reason=f"run {record.pk}",
    )
    outcome.summary["on_hold"] += len(held)
    if held and not record.dry_run:
        from .letters import ask_vendor_approval

        vendor_id, count = settings.vendor_id, len(held)
        transaction.on_commit(lambda: ask_vendor_approval(vendor_id, count, as_of))


class _Installment(NamedTuple):
    """The columns of an installment the figures need (a batch loads thousands)."""

    due_date: date
    amount: Decimal
    paid_amount: Decimal
    state: str


def book(pks, level, as_of, settings, run_record) -> list[int]:
    """Book interest (through ``as_of``) and fees for the claims ``pks`` just moved to a
    letter (level 1, 2) or the handover (3), and make their letters. Returns the letter ids.

    Per chunk: one query for the claims (only the columns needed), one for their installments,
    one for their ledger so far, and the inserts."""
    letter_ids = []
    rates = law.RateTable(law.base_rate_table()) if pks else None
    for start in range(0, len(pks), CHUNK):
        chunk = pks[start : start + CHUNK]
        claims = _claims_for_booking(chunk)
        installments = {}
        # Ordered by the columns themselves: an installment's default ordering ("order")
        # would join the orders for their creation time.
        for order_id, *row in (
            Installment.objects.filter(order_id__in=[c.order_id for c in claims])
            .order_by("order_id", "sequence")
            .values_list("order_id", "due_date", "amount", "paid_amount", "state")
        ):
            installments.setdefault(order_id, []).append(_Installment(*row))
        ledger = {k: {} for k in EntryKind.values}
        for claim_id, kind, amount in (
            ClaimEntry.objects.filter(claim_id__in=chunk)
            .values_list("claim_id", "kind")
            .annotate(total=Sum("amount"))
        ):
            ledger[kind][claim_id] = round_money(amount)
        entries = []
        for claim in claims:
            rows = installments.get(claim.order_id, [])
            entries += _entries(claim, rows, level, as_of, settings, ledger, rates)
        ClaimEntry.objects.bulk_create(entries)
        # The board's cached open amount of the claims booked (one UPDATE for the chunk).
        refresh_open_amounts(Claim.objects.filter(pk__in={e.claim_id for e in entries}))
        for entry in entries:
            totals = ledger[entry.kind]
            totals[entry.claim_id] = totals.get(entry.claim_id, ZERO) + entry.amount
        if level in (1, 2):
            letters = [
                _letter(
                    claim, installments.get(claim.order_id, []), level, as_of, run_record, ledger
                )
                for claim in claims
            ]
            made = Letter.objects.bulk_create(letters)
            if all(letter.pk for letter in made):
                letter_ids += [letter.pk for letter in made]
            else:  # databases that do not return ids from a bulk insert
                letter_ids += list(
                    Letter.objects.filter(claim_id__in=chunk, level=level).values_list(
                        "pk", flat=True
                    )
                )
    return letter_ids


CLAIM_COLUMNS = ("id", "order_id", "customer_id", "debtor", "default_since", "overdue_since")
ORDER_COLUMNS = ("id", "amount", "paid_amount", "cancellation_costs", "payment_method")


def _claims_for_booking(pks) -> list:
    """The claims ``pks`` with their orders and customers (only the columns the figures and
    the letter need): three primary-key lookups. One query joining the three made PostgreSQL
    hash the whole order and customer tables for each chunk of claims (a sequential scan per
    chunk). No ORDER BY either: the models' default orderings would sort for nothing."""
    claims = list(Claim.objects.filter(pk__in=pks).only(*CLAIM_COLUMNS).order_by())
    orders = Order.objects.filter(pk__in={c.order_id for c in claims}).only(*ORDER_COLUMNS)
    orders = {order.pk: order for order in orders.order_by()}
    customers = Customer.objects.filter(pk__in={c.customer_id for c in claims})
    customers = {c.pk: c for c in customers.only("id", "language").order_by()}
    for claim in claims:
        claim.order = orders[claim.order_id]
        claim.customer = customers[claim.customer_id]
    return claims


def _entries(claim, installments, level, as_of, settings, ledger, rates):
    total, pieces, provisional = interest_through(claim, installments, as_of, rates=rates)
    entries = []
    booked = ledger[EntryKind.INTEREST].get(claim.pk) or ZERO
    more = round_money(total - booked)
    if more > 0:
        entries.append(
            ClaimEntry(
                claim_id=claim.pk,
                kind=EntryKind.INTEREST,
                level=level,
                on=as_of,
                amount=more,
                details={
                    "through": as_of.isoformat(),
                    "total": str(total),
                    "provisional": provisional,
                    "provisional_from": next(
                        (p.start.isoformat() for p in pieces if p.provisional), None
                    ),
                    "pieces": pieces_json(pieces),
                },
            )
        )
    if level in (1, 2):
        configured = settings.fee_first_letter if level == 1 else settings.fee_second_letter
        fee = law.dunning_fee(
            debtor=claim.debtor,
            configured=configured,
            letter_date=as_of,
            default_since=claim.default_since,
            already_charged=False,
        )
        if fee > 0:
            entries.append(
                ClaimEntry(
                    claim_id=claim.pk,
                    kind=EntryKind.DUNNING_FEE,
                    level=level,
                    on=as_of,
                    amount=fee,
                )
            )
        flat = law.flat_fee(claim.debtor)
        in_default = claim.default_since is not None and claim.default_since <= as_of
        if flat > 0 and in_default and claim.pk not in ledger[EntryKind.FLAT_FEE]:
            entries.append(
                ClaimEntry(
                    claim_id=claim.pk, kind=EntryKind.FLAT_FEE, level=level, on=as_of, amount=flat
                )
            )
    return entries


def _letter(claim, installments, level, as_of, run_record, ledger):
    owed = amounts_of(claim, as_of, ledger=ledger, installments=installments)
    return Letter(
        claim_id=claim.pk,
        level=level,
        on=as_of,
        run=run_record,
        principal=owed.principal,
        costs=owed.cancellation_costs,
        interest=owed.open_interest,
        fees=owed.fees - owed.paid_costs,
        total=owed.open_total,
        deadline=as_of + timedelta(days=PAYMENT_DAYS),
        language=claim.customer.language if claim.customer.language in ("de", "en") else "de",
    )


# --- the tick ------------------------------------------------------------------------------------


def daily_run(now):
    """The worker's tick: one run per day (the first tick of a day runs it; later ticks of the
    same day find a finished run and do nothing)."""
    day = timezone.localdate(now)
    done = DunningRun.objects.filter(as_of=day, vendor=None, finished_at__isnull=False)
    if done.filter(dry_run=False).exists():
        return None
    outcome = run(day)
    done = {k: v for k, v in outcome.summary.items() if v}
    return f"dunning run {day}: {done}" if done else None


def refresh_board_amounts(now):
    """The worker's tick: the board's cached open amounts whose day has passed (an installment
    came due) are recomputed, set-based; usually none."""
    done = refresh_stale(timezone.localdate(now))
    return f"open amounts refreshed: {done}" if done else None
