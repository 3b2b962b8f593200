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
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import DecimalField, ExpressionWrapper, F, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from standing.core.money import ZERO, round_money
from standing.law import services as law
from standing.orders.models import Installment, InstallmentState, PaymentMethod

from .models import ClaimEntry, EntryKind

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
