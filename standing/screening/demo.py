"""Demo data of screening: a few deny-list entries, and proper reasons for the demo's DENIED
customers (idempotent: entries by their note, reasons only where none exist)."""

from datetime import date

from django.utils.translation import gettext as _

from standing.activity.services import record
from standing.customers.models import Customer, CustomerStatus

from .models import DenyEntry, Finding, FindingState, Outcome, ReasonKind, Screening, Trigger

ENTRIES = [
    {
        "first_name": "Max",
        "last_name": "Betrüger",
        "birth_date": date(1980, 5, 17),
        "email": "max.betrueger@gmail.com",
        "note": "Demo: Zahlungsausfall 2023, Inkasso erfolglos",
    },
    {"phone": "+4915123456789", "note": "Demo: Rufnummer aus Betrugsfall"},
    {"iban": "DE89370400440532013000", "note": "Demo: Rücklastschriften"},
    {
        "first_name": "Erika",
        "last_name": "Muster-Lüdenscheidt",
        "birth_date": date(1975, 2, 3),
        "street": "Musterweg 13",
        "postal_code": "12345",
        "city": "Musterstadt",
        "note": "Demo: Fahrzeug nicht zurückgegeben",
    },
    {"document_number": "L01X00T47", "note": "Demo: gefälschter Ausweis"},
]


def demo_step(command, users, vendors):
    admin = users.get("admin")
    for values in ENTRIES:
        if not DenyEntry.objects.filter(note=values["note"]).exists():
            DenyEntry.objects.create(**values, added_by=admin, added_by_label="admin")
    denied = Customer.objects.filter(status=CustomerStatus.DENIED, findings__isnull=True)
    for i, customer in enumerate(denied.order_by("id")):
        screening = Screening.objects.create(
            customer=customer,
            trigger=Trigger.REGISTRATION,
            outcome=Outcome.DENIED,
            credit_provider="sandbox",
            credit_score=312 if i % 3 == 0 else 640,
            credit_decision="fail" if i % 3 == 0 else "pass",
            actor_label="system",
        )
        entry = None
        if i % 3 == 0:
            kind, attribute, detail, score = ReasonKind.CREDIT, "score 312 < 400", "", 312
        elif i % 3 == 1:
            entry = DenyEntry.objects.create(
                email=customer.email,
                note=f"Demo: {customer.number}",
                added_by=admin,
                added_by_label="admin",
            )
            kind, attribute, detail, score = ReasonKind.DENYLIST, "email", f"#{entry.pk}", 100
        else:
            kind, attribute, detail, score = (
                ReasonKind.PAYMENT_FAILED,
                "initial_payment",
                "paypal DEMO-FAILED",
                None,
            )
        finding = Finding.objects.create(
            screening=screening,
            customer=customer,
            kind=kind,
            attribute=attribute,
            detail=detail,
            entry=entry,
            score=score,
            state=FindingState.ACTIVE,
        )
        record(
            customer,
            None,
            "screening.run",
            _("Screening (demo data): %(finding)s") % {"finding": finding.display_label},
            after={"findings": finding.display_label},
            internal=True,
        )
    command.stdout.write(f"Deny list: {DenyEntry.objects.count()} entries.")
