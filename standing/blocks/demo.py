"""Demo blocks for ``standing demo``: one of each kind, on fixed demo customers, idempotent."""

from datetime import timedelta

from django.utils import timezone

from standing.accounts.scoping import Actor
from standing.customers.models import Customer

from .services import block_customer, expire_block, lift_block

# (demo customer, reason, duration, until in days, note, days ago it started, what followed)
DEMO = [
    (4, "missing_documents", "14d", None, "Personalausweis fehlt (Rückseite).", 2, None),
    (7, "missing_data", "1m", None, "Geburtsdatum unplausibel, Rückruf vereinbart.", 0, None),
    (10, "payment_deferral", "until", 21, "Stundung bis Monatsende vereinbart.", 1, None),
    (13, "misconduct", "indefinite", None, "Fahrzeug verspätet und beschädigt zurück.", 30, None),
    (16, "payment_default", "5d", None, "", 1, None),
    (19, "missing_documents", "1m", None, "Nachweis fehlt.", 12, "lifted"),
    (22, "missing_data", "5d", None, "Adresse unvollständig.", 40, "expired"),
]


def demo_blocks(command, users, vendors):
    staff = Actor.of(users["support"])
    admin = Actor.of(users["admin"])
    now = timezone.now()
    created = 0
    for n, reason, duration, until_days, note, days_ago, then in DEMO:
        customer = Customer.objects.filter(email=f"kunde{n:04d}@demo.standing.example").first()
        if customer is None or customer.blocks.exists():
            continue
        start = now - timedelta(days=days_ago)
        block = block_customer(
            customer,
            staff,
            reason=reason,
            duration=duration,
            note=note,
            until=(timezone.localdate() + timedelta(days=until_days)) if until_days else None,
            now=start,
        )
        if then == "lifted":
            lift_block(
                block,
                admin,
                reason="Dokumente liegen vollständig vor.",
                now=start + timedelta(days=3),
            )
        elif then == "expired":
            expire_block(block, block.ends_at)
        created += 1
    if created:
        command.stdout.write(f"Demo blocks: {created} new.")
