"""What a claim is owed, derived and never copied (SPEC §7 "Claims").

- principal: the unpaid parts of the order's owed installments that are due (``due_date`` on or
  before the day asked about); read from the installments;
- order amount, paid amount and cancellation costs: read from the order;
- interest and fees: the claim's ledger (``ClaimEntry``), as booked with each letter and the
  handover; the parts of claim payments applied to costs and interest (§ 367 BGB) are negative
  entries of the same ledger.

``open_total = principal + open costs + open interest``; a claim whose open total is zero is
paid. The same figures come as one query's annotations (``annotate_amounts``) for the run, the
board and the API, and as a dataclass for one claim (``amounts_of``).

The board filters and sorts a million claims by the open total, which the database cannot do
from correlated subqueries at that size. So ``Claim.open_amount`` keeps the open total as of the
day it was computed — a cache of this module's derived figure, never read as the amount owed
(pages, letters, payments and the API keep deriving it) and never written from anywhere but
``refresh_open_amounts``: it is recomputed set-based in the same transaction by every writer of
its inputs (payment events, claim payments, the run's ledger entries, new claims), and
``Claim.open_amount_until`` says until when it holds (the first day on which another
installment comes due; NULL: not computed yet). The board refreshes the few rows past that day
before it filters (``refresh_stale``), and ``check-data`` compares every current row with the
derived value (``integrity.open_amount_cache``).
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import (
    DateField,
    DecimalField,
    ExpressionWrapper,
    F,
    Min,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce

from standing.core.money import ZERO, round_money
from standing.law import services as law
from standing.orders.models import Installment, InstallmentState, Order, PaymentMethod

from .models import Claim, ClaimEntry, EntryKind

MONEY = DecimalField(max_digits=12, decimal_places=2)
COST_KINDS = (EntryKind.DUNNING_FEE, EntryKind.FLAT_FEE, EntryKind.PAID_COSTS)
INTEREST_KINDS = (EntryKind.INTEREST, EntryKind.PAID_INTEREST)


def _sum(queryset, group, expression):
    """A correlated ``SELECT SUM(expression) … GROUP BY group`` (zero when there are no rows)."""
    return Coalesce(
        Subquery(
            queryset.order_by().values(group).annotate(total=Sum(expression)).values("total")[:1],
            output_field=MONEY,
        ),
        Value(ZERO),
        output_field=MONEY,
    )


# Installment states that make a claim once they are due: a failed collection, a chargeback,
# stopped installments. An installment merely open counts only on an invoice, from the day
# after its due date (the others are still being collected by the payment service).
MISSED = (InstallmentState.FAILED, InstallmentState.CHARGED_BACK, InstallmentState.STOPPED)


def owed_q(as_of: date, prefix=""):
    """The installments a claim is made of on ``as_of`` (one rule for opening, principal,
    interest and the run)."""
    p = prefix
    return Q(
        **{f"{p}state__in": MISSED, f"{p}due_date__lte": as_of},
        **{f"{p}paid_amount__lt": F(f"{p}amount")},
    ) | Q(
        **{
            f"{p}order__payment_method": PaymentMethod.INVOICE,
            f"{p}state": InstallmentState.OPEN,
            f"{p}due_date__lt": as_of,
        },
        **{f"{p}paid_amount__lt": F(f"{p}amount")},
    )


def counts(inst, order, as_of: date) -> bool:
    """``owed_q`` for one installment in memory."""
    if inst.paid_amount >= inst.amount:
        return False
    if inst.state in MISSED:
        return inst.due_date <= as_of
    return (
        order.payment_method == PaymentMethod.INVOICE
        and inst.state == InstallmentState.OPEN
        and inst.due_date < as_of
    )


def principal_expr(as_of: date, order_ref="order"):
    """The claim's open principal on ``as_of``: unpaid parts of the installments it is made of."""
    due = Installment.objects.filter(owed_q(as_of), order=OuterRef(order_ref))
    return _sum(due, "order", ExpressionWrapper(F("amount") - F("paid_amount"), output_field=MONEY))


def ledger_expr(kinds):
    entries = ClaimEntry.objects.filter(claim=OuterRef("pk"), kind__in=kinds)
    return _sum(entries, "claim", F("amount"))


def annotate_amounts(queryset, as_of: date):
    """Claims with ``principal``, ``ledger_costs`` (fees less costs paid), ``ledger_interest``
    (booked less paid), ``costs`` (the order's cancellation costs plus ledger costs) and
    ``open_total``, all computed by the database."""
    return queryset.annotate(
        principal=principal_expr(as_of),
        ledger_costs=ledger_expr(COST_KINDS),
        ledger_interest=ledger_expr(INTEREST_KINDS),
    ).annotate(
        costs=ExpressionWrapper(
            F("order__cancellation_costs") + F("ledger_costs"), output_field=MONEY
        ),
        open_total=ExpressionWrapper(
            F("principal")
            + F("order__cancellation_costs")
            + F("ledger_costs")
            + F("ledger_interest"),
            output_field=MONEY,
        ),
    )


# --- the board's cache of the open total (see the module's docstring) ------------------------

# ``open_amount_until`` of a claim whose open total changes with no later due date.
FOREVER = date.max
REFRESH_CHUNK = 5000


def _min_due(queryset):
    return Subquery(
        queryset.order_by().values("order").annotate(first=Min("due_date")).values("first")[:1],
        output_field=DateField(),
    )


def open_until_expr(as_of: date):
    """The first day after ``as_of`` on which the principal may change by itself: the next
    missed installment coming due (counted on its due date), the next open invoice installment
    coming due (counted from the day after). Payments and events change it too; they refresh
    it."""
    unpaid = Installment.objects.filter(order=OuterRef("order"), paid_amount__lt=F("amount"))
    missed = _min_due(unpaid.filter(state__in=MISSED, due_date__gt=as_of))
    # An invoice installment due on D counts from D + 1: the first day it changes the total is
    # the day after the first due date not before ``as_of``.
    invoice = unpaid.filter(
        order__payment_method=PaymentMethod.INVOICE,
        state=InstallmentState.OPEN,
        due_date__gte=as_of,
    ).order_by("due_date")
    invoice_next = invoice.values("due_date")[:1]
    return missed, invoice_next


def _open_amount_expr(as_of: date):
    """The claim's open total on ``as_of`` as an expression without joins (for an UPDATE):
    principal + the order's cancellation costs + the ledger (costs and interest, booked less
    paid: every kind of entry)."""
    costs = Subquery(
        Order.objects.filter(pk=OuterRef("order_id")).values("cancellation_costs")[:1],
        output_field=MONEY,
    )
    ledger = _sum(ClaimEntry.objects.filter(claim=OuterRef("pk")), "claim", F("amount"))
    return ExpressionWrapper(principal_expr(as_of) + costs + ledger, output_field=MONEY)


def refresh_open_amounts(queryset=None, as_of: date | None = None) -> int:
    """Recompute ``open_amount`` and ``open_amount_until`` of the claims of ``queryset`` (all
    claims by default) as of ``as_of`` (today), set-based: one UPDATE per chunk of ids. Called in
    the transaction of whatever changed the claim's inputs; returns the rows updated."""
    from .services import today

    as_of = as_of or today()
    queryset = Claim.objects.all() if queryset is None else queryset
    return _refresh(list(queryset.order_by("pk").values_list("pk", flat=True)), as_of)


def _refresh(ids: list[int], as_of: date) -> int:
    missed, invoice_next = open_until_expr(as_of)
    done = 0
    for start in range(0, len(ids), REFRESH_CHUNK):
        chunk = ids[start : start + REFRESH_CHUNK]
        done += Claim.objects.filter(pk__in=chunk).update(
            open_amount=_open_amount_expr(as_of),
            open_amount_until=Coalesce(missed, Value(FOREVER), output_field=DateField()),
            open_amount_invoice_due=Subquery(invoice_next, output_field=DateField()),
        )
    return done


def stale_q(as_of: date):
    """Claims whose cached open total may not hold on ``as_of``."""
    return (
        Q(open_amount_until__isnull=True)
        | Q(open_amount_until__lte=as_of)
        | Q(open_amount_invoice_due__lt=as_of)
    )


def stale_ids(as_of: date) -> list[int]:
    """The ids of the claims ``stale_q`` names (usually none)."""
    return list(_stale_union(as_of))


def _stale_union(as_of: date):
    """``stale_q`` as one ``UNION`` of a lookup per condition, each on its partial index: SQLite
    plans the ``OR`` of the three as a scan of every claim. The second part repeats its index's
    condition so that SQLite sees the index applies."""
    parts = (
        Q(open_amount_until__isnull=True),
        Q(open_amount_until__lt=FOREVER, open_amount_until__lte=as_of),
        Q(open_amount_invoice_due__lt=as_of),
    )
    first, *rest = (Claim.objects.filter(p).order_by().values_list("pk", flat=True) for p in parts)
    return first.union(*rest).order_by()


def refresh_stale(as_of: date | None = None) -> int:
    """Bring the cache up to ``as_of`` where time or a bulk load left it behind."""
    from .services import today

    as_of = as_of or today()
    return _refresh(sorted(stale_ids(as_of)), as_of)


@dataclass(frozen=True)
class Amounts:
    order_amount: Decimal
    paid_amount: Decimal
    principal: Decimal  # open and due
    cancellation_costs: Decimal
    fees: Decimal  # dunning fees and the flat fee booked
    paid_costs: Decimal
    interest: Decimal  # interest booked
    paid_interest: Decimal

    @property
    def open_costs(self):
        return self.cancellation_costs + self.fees - self.paid_costs

    @property
    def open_interest(self):
        return self.interest - self.paid_interest

    @property
    def open_total(self):
        return self.principal + self.open_costs + self.open_interest


def amounts_of(claim, as_of: date, ledger=None, installments=None) -> Amounts:
    """One claim's figures; ``ledger`` ({kind: {claim_id: sum}}) and ``installments`` save the
    queries in batches."""
    order = claim.order
    if installments is None:
        installments = order.installments.all()
    principal = sum(
        (i.amount - i.paid_amount for i in installments if counts(i, order, as_of)),
        ZERO,
    )
    if ledger is not None:
        ledger = {k: ledger.get(k, {}).get(claim.pk, ZERO) for k in EntryKind.values}
    else:
        ledger = {k: ZERO for k in EntryKind.values}
        for kind, total in (
            ClaimEntry.objects.filter(claim=claim).values_list("kind").annotate(t=Sum("amount"))
        ):
            ledger[kind] = round_money(total)
    return Amounts(
        order_amount=order.amount,
        paid_amount=order.paid_amount,
        principal=round_money(principal),
        cancellation_costs=order.cancellation_costs,
        fees=ledger[EntryKind.DUNNING_FEE] + ledger[EntryKind.FLAT_FEE],
        paid_costs=-ledger[EntryKind.PAID_COSTS],
        interest=ledger[EntryKind.INTEREST],
        paid_interest=-ledger[EntryKind.PAID_INTEREST],
    )


def interest_through(claim, installments, last_day: date, rates=None):
    """Default interest on the claim's open principal through ``last_day``: each overdue
    installment from its own first day of default (never before the claim's), on its part
    still open; the law module sums the exact pieces of all of them and rounds once.

    Returns (total, pieces, provisional). Payments already made lower the principal for the
    whole period: Standing never claims more interest than is owed. ``rates``: the base-rate
    table read once for a batch (``law.RateTable``).
    """
    results = []
    for inst in installments:
        if not counts(inst, claim.order, last_day):
            continue
        first = law.first_day_of_default(debtor=claim.debtor, due_date=inst.due_date)
        if claim.default_since and first < claim.default_since:
            first = claim.default_since
        open_part = inst.amount - inst.paid_amount
        results.append(law.default_interest(open_part, claim.debtor, first, last_day, rates=rates))
    interest = law.combined(results)
    return interest.total, list(interest.pieces), interest.provisional


def accrued_interest(claim, as_of: date, rates=None):
    """The default interest owed on ``as_of`` (booked or not) as the law module's
    ``Interest``, for pages that show its pieces (``law/_pieces.html``)."""
    total, pieces, provisional = interest_through(
        claim, list(claim.order.installments.all()), as_of, rates=rates
    )
    return law.Interest(total=total, pieces=tuple(pieces), provisional=provisional)


def pieces_json(pieces):
    return [
        {
            "from": p.start.isoformat(),
            "to": p.end.isoformat(),
            "days": p.days,
            "rate": str(p.rate),
            "principal": str(p.principal),
            "amount": str(round_money(p.amount)),
            "provisional": p.provisional,
        }
        for p in pieces
    ]
