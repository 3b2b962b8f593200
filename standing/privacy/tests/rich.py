"""A customer with every kind of related record, made through the services (as staff would),
for the merge, export and erasure tests."""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from standing.accounts.scoping import SYSTEM, Actor
from standing.blocks import services as blocks
from standing.claims import run as dunning
from standing.claims import services as claims
from standing.claims.models import Claim
from standing.customers import access
from standing.customers import services as customers
from standing.deposits import services as deposits
from standing.orders import events
from standing.orders import services as orders
from standing.orders.models import ItemKind, PaymentMethod, PlanKind
from standing.payments import services as payments
from standing.payments.models import LinkStatus, PaymentLink
from standing.rentals import services as rentals
from standing.screening import denylist
from standing.screening import services as screening
from standing.screening.models import Finding, Trigger

# Personal data that appears nowhere else in the test database.
PERSON = {
    "first_name": "Wilhelmine",
    "last_name": "Zwirbelmeier",
    "birth_date": date(1979, 3, 14),
    "email": "w.zwirbelmeier@example.org",
    "phone": "+49 151 23456789",
    "iban": "DE02120300000000202051",
    "document_number": "L01X00T47",
    "street": "Ulmenweg 7",
    "postal_code": "04109",
    "city": "Leipzig",
}
# The same values as stored (normalised) and as written in dates.
NEEDLES = [
    "Wilhelmine",
    "Zwirbelmeier",
    "zwirbelmeier",
    "1979-03-14",
    "14.03.1979",
    "w.zwirbelmeier@example.org",
    "+4915123456789",
    "15123456789",
    "DE02120300000000202051",
]


@dataclass
class Rich:
    customer: object
    order: object
    link: object
    claim: object


def make_rich_customer(vendor, staff_user, capture, **overrides):
    """``capture``: pytest-django's django_capture_on_commit_callbacks, so tasks run (PDFs,
    emails) as they would after the commit."""
    actor = Actor.of(staff_user)
    with capture(execute=True):
        customer = customers.create_customer(actor, vendor=vendor, **(PERSON | overrides))
    with capture(execute=True):
        customers.add_note(customer, actor, "Rief an: Wilhelmine Zwirbelmeier, 0151 23456789")
        stored = customers.upload_file(
            customer,
            actor,
            SimpleUploadedFile(
                "ausweis-zwirbelmeier.pdf",
                b"%PDF-1.4 Wilhelmine Zwirbelmeier 14.03.1979",
                content_type="application/pdf",
            ),
        )
        customers.send_message(
            customer,
            actor,
            "Ihr Ausweis, Frau Zwirbelmeier",
            "Liebe Wilhelmine Zwirbelmeier, bitte senden Sie uns Ihren Ausweis.",
            [stored.pk],
        )
        access.invite(customer, actor)
    # Screening: one deny-list hit cleared as a false positive, one that denies.
    document_entry = denylist.add_entry(actor, {"document_number": PERSON["document_number"]})
    denylist.add_entry(actor, {"street": PERSON["street"], "postal_code": PERSON["postal_code"]})
    with capture(execute=True):
        screening.screen(customer, actor, Trigger.MANUAL)
    finding = Finding.objects.get(customer=customer, entry=document_entry)
    screening.clear_finding(finding, actor)
    customer.refresh_from_db()
    # A deposit offer with its invoice, paid through the link: VERIFIED with its actions.
    with capture(execute=True):
        offer = deposits.offer_deposit(customer, actor, "100.00", "invoice", "deposit", True)
    link = offer.payment_link
    with capture(execute=True):
        payments.transition(link, LinkStatus.PAID, SYSTEM, reference="sandbox-success")
    customer.refresh_from_db()
    with capture(execute=True):
        order = orders.create_order(
            actor,
            number=f"Z-{customer.number}",
            vendor=vendor,
            customer=customer,
            amount=Decimal("300.00"),
            payment_method=PaymentMethod.SEPA_DIRECT_DEBIT,
            created_at=timezone.make_aware(datetime(2026, 1, 2, 10, 0)),
            plan_kind=PlanKind.INSTALLMENTS,
            count=3,
            first_due=date(2026, 1, 31),
            items=[
                {
                    "kind": ItemKind.RENTAL,
                    "sku": "CAR-S",
                    "name": "Kleinwagen",
                    "price": Decimal("300.00"),
                    "period_from": date(2026, 1, 2),
                    "period_until": date(2026, 1, 9),
                }
            ],
        )
        events.deliver(
            order,
            actor,
            events.Event(
                id=f"ev-{customer.number}",
                type="payment_received",
                date=date(2026, 1, 31),
                amount=Decimal("100.00"),
                installment=1,
            ),
        )
        blocks.block_customer(
            customer, actor, reason="missing_documents", duration="14d", note="Zwirbelmeier"
        )
        rentals.add_damage(
            order.items.get(),
            actor,
            date=date(2026, 1, 8),
            description="Kratzer, gemeldet von Wilhelmine Zwirbelmeier",
            amount=Decimal("50.00"),
        )
        rentals.add_voucher(customer, actor, vendor=vendor, value=Decimal("10.00"))
    # A claim from a failed installment, dunned once (letter PDF, merged print file), with an
    # internal and a vendor comment; the letter's payment link has expired since.
    collection = claims.settings_for(vendor)
    collection.enabled, collection.first_letter_after_days, collection.auto_handover = True, 0, True
    collection.save()
    events.deliver(
        order,
        SYSTEM,
        events.Event(
            id=f"ev-fail-{customer.number}",
            type="payment_failed",
            date=date(2026, 2, 28),
            installment=2,
        ),
    )
    with capture(execute=True):
        dunning.run(date(2026, 3, 30))
    claim = Claim.objects.get(customer=customer)
    claims.comment(claim, actor, text="intern: Frau Zwirbelmeier rief an", visibility="internal")
    claims.comment(claim, actor, text="Kundin Zwirbelmeier zahlt bald", visibility="vendor")
    # Written off since: a claim still being collected would refuse the erasure.
    claim = claims.cancel(claim, actor, reason="Forderung ausgebucht")
    for open_link in PaymentLink.objects.filter(customer=customer, status=LinkStatus.CREATED):
        payments.transition(open_link, LinkStatus.EXPIRED, SYSTEM)
    customer.refresh_from_db()
    return Rich(customer, order, link, claim)
