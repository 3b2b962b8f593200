"""The figures of "Übersicht Inkasso" (the collection overview), each aggregated by the
database in one query over the claims the viewer may see:

- the open amount of the claims not finished (still with us or with the agency) by days
  overdue: 0–30, 31–60, 61–90, over 90;
- the amounts recovered per month over the last 12 months: payments received on an order
  while its claim ran (from the day it was overdue through the day it closed), and the parts of
  claim payments applied to costs and interest (§ 367 BGB, the claim's ledger);
- the number of claims per state;
- the claims not finished whose limitation date falls within the next 90 days.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext_lazy as _

from standing.core.money import ZERO, round_money
from standing.orders.models import EventType, PaymentEvent

from .amounts import annotate_amounts
from .models import UNFINISHED_STATES, ClaimEntry, ClaimStatus, EntryKind

LIMITATION_WARNING_DAYS = 90
MONTHS = 12
NEARING_SHOWN = 50
BUCKETS = (
    ("0-30", _("0–30 days"), 0, 30),
    ("31-60", _("31–60 days"), 31, 60),
    ("61-90", _("61–90 days"), 61, 90),
    ("90+", _("over 90 days"), 91, None),
)


@dataclass
class Bar:
    key: str
    label: str
    value: Decimal | int
    count: int = 0
    width: float = 0.0  # share of the widest bar, 0…100
    url: str = ""


def _scale(bars):
    top = max((b.value for b in bars), default=0)
    for bar in bars:
        bar.width = round(float(bar.value) / float(top) * 100, 2) if top and bar.value > 0 else 0
    return bars


def age_buckets(claims, today: date):
    """Open amount and number of the unfinished claims by days overdue (one query)."""
    open_claims = annotate_amounts(claims.filter(status__in=UNFINISHED_STATES), today)
    sums = {}
    for key, _label, low, high in BUCKETS:
        # days overdue = today − overdue_since; a claim not yet overdue counts as 0 days.
        window = Q() if low == 0 else Q(overdue_since__lte=today - timedelta(days=low))
        if high is not None:
            window &= Q(overdue_since__gte=today - timedelta(days=high))
        sums[f"a{key}"] = Sum("open_total", filter=window)
        sums[f"n{key}"] = Count("pk", filter=window)
    totals = open_claims.aggregate(**sums)
    return _scale(
        [
            Bar(
                key,
                label,
                round_money(totals[f"a{key}"] or ZERO),
                count=totals[f"n{key}"] or 0,
            )
            for key, label, _low, _high in BUCKETS
        ]
    )


def _months(today: date):
    """The first days of the last ``MONTHS`` months, oldest first (this month last)."""
    first = today.replace(day=1)
    months = []
    for _i in range(MONTHS):
        months.append(first)
        first = (first - timedelta(days=1)).replace(day=1)
    return months[::-1]


def recovered_per_month(claims, today: date):
    """Payments recovered per month, last 12 months (two grouped queries)."""
    months = _months(today)
    since = months[0]
    running = claims.filter(order=OuterRef("order"), overdue_since__lte=OuterRef("date")).filter(
        Q(closed_on__isnull=True) | Q(closed_on__gte=OuterRef("date"))
    )
    by_month = {m: ZERO for m in months}
    events = (
        PaymentEvent.objects.filter(
            type=EventType.PAYMENT_RECEIVED, date__gte=since, date__lte=today, amount__gt=0
        )
        .filter(Exists(running))
        .annotate(month=TruncMonth("date"))
        .values("month")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    ledger = (
        ClaimEntry.objects.filter(
            claim__in=claims.values("pk"),
            kind__in=(EntryKind.PAID_COSTS, EntryKind.PAID_INTEREST),
            on__gte=since,
            on__lte=today,
        )
        .annotate(month=TruncMonth("on"))
        .values("month")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    for row in events:
        by_month[_first_day(row["month"])] += row["total"] or ZERO
    for row in ledger:
        by_month[_first_day(row["month"])] -= row["total"] or ZERO
    return _scale(
        [Bar(m.isoformat(), m.strftime("%m/%Y"), round_money(v)) for m, v in by_month.items()]
    )


def _first_day(value):
    if hasattr(value, "date") and callable(value.date):
        value = value.date()
    return value.replace(day=1)


def per_state(claims):
    """The number of claims per state, every state listed (one query)."""
    counts = dict(claims.values_list("status").annotate(n=Count("pk")).order_by())
    return _scale(
        [Bar(value, str(label), counts.get(value, 0)) for value, label in ClaimStatus.choices]
    )


def nearing_limitation(claims, today: date):
    """Unfinished claims time-barred within the next 90 days, soonest first."""
    soon = claims.filter(
        status__in=UNFINISHED_STATES,
        limitation_date__gte=today,
        limitation_date__lte=today + timedelta(days=LIMITATION_WARNING_DAYS),
    )
    rows = list(
        annotate_amounts(soon, today)
        .select_related("order", "customer", "vendor")
        .order_by("limitation_date", "pk")[:NEARING_SHOWN]
    )
    for claim in rows:
        claim.days_left = (claim.limitation_date - today).days
    return {"count": soon.count(), "rows": rows}


def overview(claims, today: date, *, actor=None, vendor=None):
    """Everything the page shows, for the claims ``claims`` (already scoped)."""
    buckets = age_buckets(claims, today)
    months = recovered_per_month(claims, today)
    states = per_state(claims)
    return {
        "today": today,
        "buckets": buckets,
        "open_total": sum((b.value for b in buckets), ZERO),
        "open_count": sum(b.count for b in buckets),
        "months": months,
        "recovered_total": sum((b.value for b in months), ZERO),
        "states": states,
        "claims_total": sum(b.value for b in states),
        "nearing": nearing_limitation(claims, today),
        "warning_days": LIMITATION_WARNING_DAYS,
    }
