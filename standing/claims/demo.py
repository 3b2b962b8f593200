"""Demo claims for ``standing demo``: both vendors take part (Autovermietung Nord reviews its
claims and approves each handover; FitnessWelt Süd hands over automatically and excludes one
product), and the real dunning run replays the last months day by day, with people's actions
in between, so that claims stand in every state with their letters. Idempotent: once a demo
run exists, nothing is replayed again."""

from datetime import datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from standing.accounts.scoping import SYSTEM, Actor
from standing.orders import services as orders
from standing.orders.demo import NORD, SUED
from standing.orders.models import ItemKind, PaymentMethod, PlanKind

from . import run as dunning
from . import services
from .models import Claim, ClaimStatus, DunningRun, Visibility

S = ClaimStatus
DAYS = 110


def demo_collection_settings(command, users, vendors):
    """Before the demo orders' events: the vendors' collection settings, so that the claims
    those events open follow them (runs first, before ``demo_orders``)."""
    if DunningRun.objects.filter(actor_label="demo").exists():
        return
    today = timezone.localdate()
    since = today - timedelta(days=DAYS)
    services.change_settings(
        vendors[NORD],
        SYSTEM,
        on=since,
        enabled=True,
        dunning_option="a",
        auto_handover=False,
        auto_handover_chargebacks=True,
        first_letter_after_days=7,
        second_letter_after_days=14,
        handover_after_days=10,
    )
    services.change_settings(
        vendors[SUED],
        SYSTEM,
        on=since,
        enabled=True,
        dunning_option="b",
        auto_handover=True,
        auto_handover_chargebacks=True,
        excluded_products=["PT-10"],
        first_letter_after_days=5,
        second_letter_after_days=14,
        handover_after_days=7,
        fee_first_letter=Decimal("0.00"),
        fee_second_letter=Decimal("1.45"),
    )


def demo_claims(command, users, vendors):
    """Replay the dunning runs of the last months, day by day, with the vendor's reviews."""
    if DunningRun.objects.filter(actor_label="demo").exists():
        return
    today = timezone.localdate()
    nord = vendors[NORD]
    vendor1 = Actor.of(users["vendor1"])
    support = Actor.of(users["support"])
    start = today - timedelta(days=DAYS)
    for offset in range(DAYS + 1):
        day = start + timedelta(days=offset)
        _review(nord, day, vendor1)
        dunning.run(day, actor=_Demo())
    _after(today, vendor1, support, nord)
    counts = {s: Claim.objects.filter(status=s).count() for s in S.values}
    command.stdout.write(f"Demo claims: {counts}")


class _Demo:
    """The actor of the replayed runs ("demo"), so ``standing demo`` knows it replayed."""

    user = None
    role = "admin"
    vendor_id = None
    is_staff = True
    label = "demo"


def _review(nord, day, vendor):
    """Autovermietung Nord reviews each claim a week after it fell overdue and pursues it;
    claims of stopped installments stay in its review list."""
    due = Claim.objects.filter(
        vendor=nord,
        status=S.OPEN,
        dunning_started_on__isnull=True,
        overdue_since=day - timedelta(days=7),
    ).exclude(kind="stopped_installments")
    for claim in due:
        services.start_dunning(claim, vendor, on=day)


def _after(today, vendor, support, nord):
    """Actions after the replay, so that every state shows: an approval, a block, a pause, a
    cancellation, a comment of each kind, a reopened claim and a claim paid by its link."""
    held = list(Claim.objects.filter(vendor=nord, status=S.ON_HOLD).order_by("pk"))
    if len(held) > 1:
        services.approve(held[0], vendor, on=today)
        services.comment(held[0], vendor, text="Freigabe erteilt.", visibility=Visibility.VENDOR)
    running = list(Claim.objects.filter(status__in=[S.DUNNING_1, S.DUNNING_2]).order_by("pk"))
    if running:
        services.block(running[0], support, reason="Anwaltsschreiben eingegangen, wird geprüft.")
        services.comment(
            running[0],
            support,
            text="Kunde bestreitet die Forderung; Rückruf am Montag.",
            visibility=Visibility.INTERNAL,
        )
    if len(running) > 1:
        services.pause(
            running[1],
            support,
            until=today + timedelta(days=21),
            reason="Stundung bis Monatsende vereinbart.",
            on=today,
        )
    waiting = list(
        Claim.objects.filter(status=S.OPEN, dunning_started_on__isnull=True).order_by("pk")
    )
    if len(waiting) > 1:
        services.cancel(waiting[-1], vendor, reason="Kunde hat sich gemeldet, Kulanz.", on=today)
    _reopen_one(today)
    _pay_one(today)


def _reopen_one(today):
    """A customer ordered the same product again: the next run cancels the claim as reopened."""
    claim = (
        Claim.objects.filter(status=S.DUNNING_2, vendor__name=NORD)
        .select_related("order", "customer", "vendor")
        .order_by("-pk")
        .first()
    )
    if claim is None:
        return
    item = claim.order.items.first()
    orders.create_order(
        SYSTEM,
        number=f"RE-{claim.order.number}",
        vendor=claim.vendor,
        customer=claim.customer,
        amount=claim.order.original_amount,
        payment_method=PaymentMethod.PAYPAL,
        created_at=timezone.make_aware(datetime.combine(today, time(9, 0))),
        plan_kind=PlanKind.ONE_TIME,
        due=today + timedelta(days=14),
        items=[
            {
                "kind": item.kind if item else ItemKind.SALE,
                "sku": item.sku if item else "X",
                "name": item.name if item else "Produkt",
                "price": claim.order.original_amount,
            }
        ],
    )
    dunning.run(today, actor=_Demo())


def _pay_one(today):
    """A customer pays the whole claim through the payment link of their letter."""
    from standing.payments.services import sandbox_pay

    from .letters import ensure_offer_link

    claim = (
        Claim.objects.filter(status=S.DUNNING_1)
        .select_related("order", "customer", "vendor", "offer_link")
        .order_by("pk")
        .first()
    )
    if claim is None:
        return
    owed = services.amounts_of(claim, today)
    link = ensure_offer_link(claim, owed.open_total)
    sandbox_pay(link, "success")
