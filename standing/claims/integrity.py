"""Integrity checks of claims (``standing check-data``): states, the order of their dates, one
letter per level, and amounts that are the order's payments plus the claim's ledger."""

from django.db.models import ExpressionWrapper, F, Q

from standing.core.integrity import CENT_TOLERANCE, apart, each_row, invalid_choices, repeated

from .amounts import COST_KINDS, INTEREST_KINDS, MONEY, annotate_amounts, ledger_expr, stale_q
from .models import (
    BOOKED_ONCE,
    Claim,
    ClaimEntry,
    ClaimKind,
    ClaimStatus,
    Debtor,
    DeliveryState,
    EntryKind,
    Letter,
)

S = ClaimStatus
FINISHED = (S.PAID, S.CANCELED)
# The letter the status says went out (on hold and with the agency: both letters).
LETTER_OF = {
    S.DUNNING_1: "first_letter_on",
    S.DUNNING_2: "second_letter_on",
    S.ON_HOLD: "second_letter_on",
    S.SENT_FOR_COLLECTION: "incasso_on",
}


def _claims(queryset, sentence):
    return each_row(queryset, "claim {pk} (order {order__number})", sentence)


def states_valid():
    claims = Claim.objects.all()
    yield from invalid_choices(claims, "status", ClaimStatus.choices)
    yield from invalid_choices(claims, "kind", ClaimKind.choices)
    yield from invalid_choices(claims, "debtor", Debtor.choices)
    yield from invalid_choices(
        claims.exclude(status_before_block=""), "status_before_block", ClaimStatus.choices
    )
    yield from _claims(
        claims.exclude(status=S.BLOCKED).exclude(status_before_block=""),
        "remembers a status before a block but is not blocked",
    )
    yield from _claims(
        claims.exclude(vendor_id=F("order__vendor_id"), customer_id=F("order__customer_id")),
        "is filed under another vendor or customer than its order",
    )
    yield from _claims(
        claims.filter(status__in=FINISHED, closed_on__isnull=True), "is finished but not closed"
    )
    yield from _claims(
        claims.exclude(status__in=FINISHED).filter(closed_on__isnull=False),
        "is closed but not finished",
    )
    for row in repeated(claims.exclude(status__in=FINISHED), "order__number"):
        yield f"order {row['order__number']} has {row['n']} unfinished claims"
    yield from invalid_choices(Letter.objects.all(), "email_state", DeliveryState.choices)


def dates_in_order():
    """First letter ≤ second letter ≤ handover, no level skipped, and the status matches the
    last step taken."""
    claims = Claim.objects.all()
    yield from _claims(
        claims.filter(
            Q(second_letter_on__lt=F("first_letter_on"))
            | Q(incasso_on__lt=F("second_letter_on"))
            | Q(incasso_on__lt=F("first_letter_on"))
        ),
        "has its letter and handover dates out of order",
    )
    yield from _claims(
        claims.filter(second_letter_on__isnull=False, first_letter_on__isnull=True),
        "has a second letter without a first",
    )
    yield from _claims(
        claims.filter(first_letter_on__lt=F("overdue_since")),
        "was dunned before it was overdue",
    )
    for status, field in LETTER_OF.items():
        yield from _claims(
            claims.filter(status=status, **{f"{field}__isnull": True}),
            f"is {status} but has no {field}",
        )
    yield from _claims(
        claims.filter(status=S.OPEN, first_letter_on__isnull=False),
        "is open but a letter went out",
    )


def one_letter_per_level():
    """One letter per claim and level (1 or 2), dated as the claim says it went out, its
    total the sum of its parts."""
    for row in repeated(Letter.objects.all(), "claim_id", "level"):
        yield f"claim {row['claim_id']} has {row['n']} letters of level {row['level']}"
    letters = Letter.objects.all()
    yield from each_row(
        letters.exclude(level__in=[1, 2]), "dunning letter {pk}", "has a level other than 1, 2"
    )
    misdated = letters.filter(
        Q(level=1) & ~Q(on=F("claim__first_letter_on"))
        | Q(level=1, claim__first_letter_on__isnull=True)
        | Q(level=2) & ~Q(on=F("claim__second_letter_on"))
        | Q(level=2, claim__second_letter_on__isnull=True)
    )
    yield from each_row(
        misdated,
        "dunning letter {pk} (level {level}, claim {claim_id})",
        "is not dated as its claim says",
    )
    wrong = letters.filter(
        apart([(F("total"), F("principal") + F("costs") + F("interest") + F("fees"))])
    )
    yield from each_row(
        wrong, "dunning letter {pk} of claim {claim_id}:", "its total is not the sum of its parts"
    )


def amounts_from_the_ledger():
    """What a claim is owed is the order's open part plus its ledger: fees and interest are
    booked positive (once per level), what was paid on them negative, and never more is paid
    on costs (the order's cancellation costs and the fees) or interest than was booked."""
    entries = ClaimEntry.objects.all()
    yield from invalid_choices(entries, "kind", EntryKind.choices)
    owed = entries.filter(kind__in=(EntryKind.INTEREST, EntryKind.DUNNING_FEE, EntryKind.FLAT_FEE))
    paid = entries.filter(kind__in=(EntryKind.PAID_COSTS, EntryKind.PAID_INTEREST))
    wrong_sign = owed.filter(amount__lt=0) | paid.filter(amount__gt=0)
    yield from each_row(
        wrong_sign, "ledger entry {pk} of claim {claim_id} ({kind})", "has the wrong sign"
    )
    for row in repeated(entries.filter(kind__in=BOOKED_ONCE), "claim_id", "kind", "level"):
        yield f"claim {row['claim_id']} has {row['kind']} of level {row['level']} booked twice"
    for row in repeated(entries.filter(kind=EntryKind.FLAT_FEE), "claim_id"):
        yield f"claim {row['claim_id']} has the flat fee booked {row['n']} times"
    overpaid = (
        Claim.objects.annotate(
            ledger_costs=ledger_expr(COST_KINDS), ledger_interest=ledger_expr(INTEREST_KINDS)
        )
        .annotate(
            open_costs=ExpressionWrapper(
                F("order__cancellation_costs") + F("ledger_costs"), output_field=MONEY
            )
        )
        .filter(Q(ledger_interest__lt=-CENT_TOLERANCE) | Q(open_costs__lt=-CENT_TOLERANCE))
    )
    yield from _claims(overpaid, "has more paid on its costs or interest than was owed")


def open_amount_cache():
    """The board's cached open amount (``Claim.open_amount``) is the derived open total of
    every claim whose cache holds today; rows whose day has passed are refreshed by the tick and
    the board, not wrong."""
    from .services import today

    as_of = today()
    current = annotate_amounts(Claim.objects.exclude(stale_q(as_of)), as_of)
    wrong = current.filter(apart([(F("open_amount"), F("open_total"))]))
    yield from each_row(
        wrong,
        "claim {pk} (order {order__number}): the cached open amount {open_amount} is not the "
        "derived open total {open_total};",
        "recompute it (claims.amounts.refresh_open_amounts)",
    )


def order_number_copied():
    """The order number copied onto the claim (the board's sort) is its order's."""
    wrong = Claim.objects.exclude(order_number=F("order__number"))
    yield from each_row(
        wrong,
        "claim {pk} (order {order__number}): the order number copied onto it is {order_number};",
        "copy its order's number again",
    )


CHECKS = [
    states_valid,
    dates_in_order,
    one_letter_per_level,
    amounts_from_the_ledger,
    open_amount_cache,
    order_number_copied,
]
