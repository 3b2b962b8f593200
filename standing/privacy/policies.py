"""The record policies of the models that hang on a customer (``standing.customers.records``):
what a merge moves, what the export writes, what the erasure deletes, anonymises or keeps for
its retention period. Registered by this app's ``ready()`` for the apps that existed before it;
an app added later registers its own in its ``ready()`` (see the README of this app).
"""

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from standing.customers.records import (
    DELETE,
    DROP,
    KEEP,
    MOVE,
    RETAIN,
    UNIQUE,
    Conflict,
    RecordPolicy,
    register,
    register_erasure_blocker,
)


def both_blocked(survivor, other):
    from standing.blocks.models import Block

    now = timezone.now()
    active = Block.objects.filter(Block.active_q(now), customer__in=[survivor, other])
    if active.filter(customer=survivor).exists() and active.filter(customer=other).exists():
        return [
            Conflict(
                _("Both customers are blocked; every block moves to %(number)s.")
                % {"number": survivor.number}
            )
        ]
    return []


def two_open_offers(survivor, other):
    from standing.deposits.models import DepositOffer, OfferStatus

    open_offers = DepositOffer.objects.filter(
        status=OfferStatus.OFFERED, customer__in=[survivor, other]
    )
    if open_offers.values("customer").distinct().count() == 2:
        return [
            Conflict(
                _(
                    "Both customers have an open deposit offer; a customer has one at a time. "
                    "Withdraw one of them first."
                ),
                blocking=True,
            )
        ]
    return []


def payment_pending(customer):
    from standing.payments.models import LinkStatus, PaymentLink

    pending = PaymentLink.objects.filter(
        customer=customer, status=LinkStatus.CREATED, expires_at__gt=timezone.now()
    )
    count = pending.count()
    if count:
        return _(
            "%(count)d payment link(s) are still open, so a payment may yet arrive. Wait until "
            "they are paid or expired (the last on %(date)s)."
        ) % {
            "count": count,
            "date": timezone.localtime(max(pending.values_list("expires_at", flat=True))).date(),
        }
    return None


def claims_at_different_stages(survivor, other):
    from django.apps import apps

    claim = apps.get_model("claims", "Claim")
    states = {
        customer.number: sorted(
            set(claim.objects.filter(customer=customer).values_list("status", flat=True))
        )
        for customer in (survivor, other)
    }
    if all(states.values()) and states[survivor.number] != states[other.number]:
        return [
            Conflict(
                _(
                    "Both customers have claims, at different stages (%(states)s); they all move "
                    "to %(number)s and keep their stage."
                )
                % {
                    "states": "; ".join(f"{n}: {', '.join(s)}" for n, s in states.items()),
                    "number": survivor.number,
                }
            )
        ]
    return []


def claim_with_the_agency(customer):
    """While a claim is with the collection agency, or still being collected by us (its letters
    need the name and address, and the dunning run would go on writing to a pseudonym), the
    data is needed to pursue the claim (Art. 17 (3) e GDPR): erasure waits until it is paid or
    cancelled."""
    from django.apps import apps

    claim = apps.get_model("claims", "Claim")
    unfinished = claim.objects.filter(
        customer=customer,
        status__in=["open", "dunning_1", "dunning_2", "on_hold", "blocked", "sent_for_collection"],
    )
    agency = list(
        unfinished.filter(status="sent_for_collection").values_list("order__number", flat=True)
    )
    if agency:
        return _(
            "A claim is with the collection agency (order %(orders)s); erase once it is paid or "
            "cancelled."
        ) % {"orders": ", ".join(agency)}
    ours = list(unfinished.values_list("order__number", flat=True))
    if ours:
        return _(
            "A claim is still being collected (order %(orders)s); erase once it is paid or "
            "cancelled."
        ) % {"orders": ", ".join(ours)}
    return None


def erase_claim_papers(claims):
    """A claim's letters are PDFs with the name and address: the files go (the letter rows,
    with their amounts, stay with the claim); support comments are blanked; a dunning run's
    merged print file holding one of the letters goes too."""
    from django.apps import apps

    letter = apps.get_model("claims", "Letter")
    run = apps.get_model("claims", "DunningRun")
    comment = apps.get_model("claims", "ClaimComment")
    letters = letter.objects.filter(claim__in=claims)
    runs = run.objects.filter(pk__in=letters.exclude(run=None).values("run")).exclude(print_file="")
    for rows, name in ((letters.exclude(pdf=""), "pdf"), (runs, "print_file")):
        for obj in rows.iterator():
            getattr(obj, name).delete(save=False)
        rows.update(**{name: ""})
    comment.objects.filter(claim__in=claims).update(text="–")


def register_claims():
    """The claims app (issue 11), when installed: claims move with a merge, are exported with
    their ledger, letters and comments, and are kept 10 years (books) after an erasure."""
    register(
        "claims.Claim",
        "customer",
        RecordPolicy(
            gettext_lazy("claims"),
            conflicts=claims_at_different_stages,
            export="claims",
            export_related={
                "claim_entries": ("claims.ClaimEntry", "claim__customer"),
                "claim_letters": ("claims.Letter", "claim__customer"),
                "claim_comments": (
                    "claims.ClaimComment",
                    "claim__customer",
                    Q(visibility="internal"),
                ),
            },
            erase=RETAIN,
            anonymise={"pause_reason": "", "cancel_reason": ""},
            retention="books",
            retention_date="opened_at",
            on_erase=erase_claim_papers,
        ),
    )
    register_erasure_blocker(claim_with_the_agency)


def register_all():
    register(
        "activity.ActivityRecord",
        "customer",
        RecordPolicy(
            gettext_lazy("activity records"),
            export="activity",
            evidence=Q(internal=True),
            erase=DELETE,
        ),
    )
    register(
        "customers.Customer",
        "merged_into",
        RecordPolicy(gettext_lazy("earlier merged customer numbers"), erase=KEEP),
    )
    register(
        "customers.CustomerVendor",
        "customer",
        RecordPolicy(
            gettext_lazy("vendor links"),
            merge=UNIQUE,
            unique_with=("vendor",),
            export="vendors",
            erase=KEEP,
        ),
    )
    register("customers.Note", "customer", RecordPolicy(gettext_lazy("notes"), export="notes"))
    register(
        "customers.CustomerFile",
        "customer",
        RecordPolicy(gettext_lazy("uploaded documents"), export="files"),
    )
    register(
        "customers.Message", "customer", RecordPolicy(gettext_lazy("messages"), export="messages")
    )
    register(
        "billing.Document",
        "customer",
        RecordPolicy(
            gettext_lazy("Belege (invoices, receipts)"),
            export="documents",
            erase=RETAIN,
            # The PDF shows the name and address: it goes, and is rendered again (from the
            # pseudonymised customer) should it be needed while the Beleg is kept.
            anonymise={"pdf": ""},
            retention="voucher",
            retention_date="issued_at",
            export_related={"document_lines": ("billing.DocumentLine", "document__customer")},
        ),
    )
    register(
        "blocks.Block",
        "customer",
        RecordPolicy(gettext_lazy("blocks"), conflicts=both_blocked, export="blocks"),
    )
    register(
        "deposits.DepositOffer",
        "customer",
        RecordPolicy(
            gettext_lazy("deposit offers"),
            conflicts=two_open_offers,
            export="deposit_offers",
            erase=RETAIN,
            retention="voucher",
            retention_date="created_at",
        ),
    )
    register(
        "deposits.VerifiedActionRun",
        "customer",
        RecordPolicy(
            gettext_lazy("actions run on verification"),
            merge=UNIQUE,
            unique_with=("action",),
            export="verified_actions",
        ),
    )
    register("customers.StaffTask", "customer", RecordPolicy(gettext_lazy("tasks"), export="tasks"))
    register(
        "orders.Order",
        "customer",
        RecordPolicy(
            gettext_lazy("orders"),
            export="orders",
            erase=RETAIN,
            retention="books",
            retention_date="created_at",
            export_related={
                "order_items": ("orders.OrderItem", "order__customer"),
                "installments": ("orders.Installment", "order__customer"),
                "payment_events": ("orders.PaymentEvent", "order__customer"),
            },
        ),
    )
    register(
        "payments.PaymentLink",
        "customer",
        RecordPolicy(
            gettext_lazy("payment links"),
            export="payment_links",
            erase=RETAIN,
            retention="voucher",
            retention_date="created_at",
        ),
    )
    register(
        "rentals.DamageCase",
        "customer",
        RecordPolicy(
            gettext_lazy("damage cases"),
            export="damage_cases",
            erase=RETAIN,
            # What happened is told in the description, with names: it goes.
            anonymise={"description": "–"},
            retention="letters",
            retention_date="date",
        ),
    )
    register(
        "rentals.Voucher", "customer", RecordPolicy(gettext_lazy("vouchers"), export="vouchers")
    )
    register(
        "screening.CustomerKeys",
        "customer",
        RecordPolicy(gettext_lazy("screening keys"), merge=DROP),
    )
    register(
        "screening.Screening",
        "customer",
        RecordPolicy(gettext_lazy("screenings"), export="screenings", evidence=True),
    )
    register(
        "screening.Finding",
        "customer",
        RecordPolicy(
            gettext_lazy("screening findings"), export="screening_findings", evidence=True
        ),
    )
    register(
        "screening.ClearedMatch",
        "customer",
        RecordPolicy(
            gettext_lazy("cleared false positives"),
            merge=UNIQUE,
            unique_with=("entry",),
            export="cleared_matches",
            evidence=True,
        ),
    )
    for fk in ("a", "b"):
        register(
            "duplicates.DuplicatePair",
            fk,
            RecordPolicy(gettext_lazy("duplicate suggestions"), DROP),
        )
    register(
        "privacy.Erasure",
        "customer",
        RecordPolicy(gettext_lazy("erasure records"), merge=MOVE, erase=KEEP),
    )
    register(
        "privacy.RetainedRecord",
        "customer",
        RecordPolicy(gettext_lazy("retained records"), merge=MOVE, erase=KEEP),
    )
    register(
        "privacy.ExportRequest", "customer", RecordPolicy(gettext_lazy("export requests"), DROP)
    )
    register(
        "privacy.EvidenceRestriction",
        "customer",
        RecordPolicy(
            gettext_lazy("legal restrictions of the export"),
            export="evidence_restrictions",
            staff_only=True,
        ),
    )
    register_erasure_blocker(payment_pending)
    from django.apps import apps

    if apps.is_installed("standing.claims"):
        register_claims()
