"""The rules of screening: registration, running the checks, and staff decisions on hits.

The credit bureau is asked outside any database transaction (it may take seconds); the
outcome is then written in one transaction: the screening with its evidence, the status
change through the customer lifecycle, and the activity records (evidence: internal only).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from standing.accounts.models import Role, User
from standing.activity.services import record
from standing.core.errors import DomainError
from standing.customers.lifecycle import taking_over_history, transition
from standing.customers.models import Customer, CustomerStatus
from standing.customers.services import create_customer
from standing.vendors.models import Vendor

from . import credit
from .matching import match_customer
from .models import (
    DENYING,
    ClearedMatch,
    Finding,
    FindingState,
    Outcome,
    ReasonKind,
    Screening,
    Trigger,
)

S = CustomerStatus


class FindingNotOpen(DomainError):
    """The hit was decided already (cleared or confirmed) or cannot be cleared."""


class Intake(models.TextChoices):
    SCREEN = "screen", gettext_lazy("Screen now, like a registration")
    TAKEN_OVER = (
        "taken_over",
        gettext_lazy("Taken over from the old system: active without screening"),
    )


def create_by_staff(actor, values: dict, intake: str) -> Customer:
    """ "Kunde anlegen": a customer entered by staff. ``screen``: exactly a registration (a
    login, the checks, the outcome). ``taken_over``: an existing customer of the system this
    one replaces, ACTIVE at once, without screening and without welcome mails."""
    if intake == Intake.SCREEN:
        return register(actor, values)
    if intake != Intake.TAKEN_OVER:
        raise ValidationError({"intake": [_("Choose how the customer is taken on.")]})
    with transaction.atomic():
        customer = create_customer(actor, **values)
        with taking_over_history():
            transition(customer, S.VERIFIED, actor)
            transition(customer, S.ACTIVE, actor)
        record(
            customer,
            actor,
            "customer.taken_over",
            _("Taken over from the old system without screening"),
        )
    return customer


def register(actor, values: dict, initial_payment: dict | None = None) -> Customer:
    """Create the customer in PENDING with a login ("Zugang"), then screen them at once."""
    with transaction.atomic():
        vendor = Vendor.objects.get(pk=actor.vendor_id) if actor.vendor_id else None
        customer = create_customer(actor, vendor=vendor, **values)
        username = customer.number
        if User.objects.filter(username=username).exists():
            username = f"{username}-{customer.pk}"
        user = User(
            username=username,
            email=customer.email,
            first_name=customer.first_name[:150],
            last_name=customer.last_name[:150],
            role=Role.CUSTOMER,
            language=customer.language,
        )
        # No password until the customer sets one through the link they are sent.
        user.set_unusable_password()
        user.save()
        customer.user = user
        customer.save(update_fields=["user"])
        record(customer, actor, "registration.received", _("Registration received"))
        transaction.on_commit(lambda: _send_received(customer.pk))
    screen(customer, actor, Trigger.REGISTRATION, initial_payment=initial_payment)
    customer.refresh_from_db(fields=["status"])
    return customer


def _send_received(customer_id):
    from .tasks import send_registration_received

    send_registration_received.enqueue(customer_id)


def _new_findings(customer, result, hits, initial_payment):
    """(kind, attribute, detail, entry, score) of every finding of this run."""
    found = []
    if initial_payment and initial_payment.get("status") == "failed":
        detail = f"{initial_payment.get('provider', '')} {initial_payment.get('reference', '')}"
        found.append((ReasonKind.PAYMENT_FAILED, "initial_payment", detail.strip(), None, None))
    if result and result.decision == credit.FAIL:
        threshold = settings.SCREENING_CREDIT_SCORE_THRESHOLD
        attribute = f"score {result.score} < {threshold}"
        found.append((ReasonKind.CREDIT, attribute, "; ".join(result.reasons), None, result.score))
    for hit in hits:
        detail = f"#{hit.entry.pk} {hit.entry.first_name} {hit.entry.last_name}".strip()
        found.append((ReasonKind.DENYLIST, hit.attribute, detail, hit.entry, hit.score))
    # A hit already on record (open, confirmed or denying) is not recorded twice.
    known = {
        (f.kind, f.attribute, f.entry_id)
        for f in customer.findings.exclude(state=FindingState.CLEARED).only(
            "kind", "attribute", "entry_id"
        )
    }
    return [f for f in found if (f[0], f[1], f[3].pk if f[3] else None) not in known]


def screen(customer, actor, trigger, initial_payment=None, with_credit=True):
    """Run the checks for ``customer`` and apply the outcome. Returns the Screening, or None
    when a deny-list re-screening found nothing new (nothing is written then)."""
    if customer.status == S.DELETED:
        return None
    provider = credit.provider() if with_credit else None
    result = provider.check(customer) if provider else None
    hits = match_customer(customer)
    with transaction.atomic():
        customer = Customer.objects.select_for_update().get(pk=customer.pk)
        found = _new_findings(customer, result, hits, initial_payment)
        if trigger == Trigger.DENYLIST and not found:
            return None
        open_reviews = customer.findings.filter(state=FindingState.REVIEW).exists()
        decides = customer.status == S.PENDING and trigger != Trigger.DENYLIST
        if customer.status == S.DENIED:
            # New reasons of a denied customer join the ones on record. Staff re-running the
            # checks of a customer whose every reason has been cleared, with a clean answer,
            # takes them to VERIFIED: the "re-screen" way out besides accepting by hand.
            state = FindingState.ACTIVE
            clean = (
                trigger == Trigger.MANUAL
                and not customer.findings.filter(state__in=DENYING).exists()
                and not (result and result.decision != credit.PASS)
            )
            outcome = Outcome.DENIED if found else Outcome.PASSED if clean else Outcome.NO_CHANGE
        elif decides and found:
            state, outcome = FindingState.ACTIVE, Outcome.DENIED
        elif decides and (open_reviews or (result and result.decision == credit.ERROR)):
            state, outcome = FindingState.REVIEW, Outcome.HELD
        elif decides:
            state, outcome = FindingState.ACTIVE, Outcome.PASSED
        else:
            state = FindingState.REVIEW
            outcome = Outcome.REVIEW if found else Outcome.NO_CHANGE
        screening = Screening.objects.create(
            customer=customer,
            trigger=trigger,
            outcome=outcome,
            credit_provider=provider.name if provider else "",
            credit_score=result.score if result else None,
            credit_decision=result.decision if result else "",
            credit_reasons=result.reasons if result else [],
            actor_label=actor.label,
        )
        findings = Finding.objects.bulk_create(
            Finding(
                screening=screening,
                customer=customer,
                kind=kind,
                attribute=attribute,
                detail=detail[:300],
                entry=entry,
                score=score,
                state=state,
            )
            for kind, attribute, detail, entry, score in found
        )
        record(
            customer,
            actor,
            "screening.run",
            _("Screening (%(trigger)s): %(outcome)s")
            % {"trigger": Trigger(trigger).label, "outcome": Outcome(outcome).label},
            after={
                "credit": " ".join(
                    str(part)
                    for part in (screening.credit_decision_label, screening.credit_score)
                    if part not in (None, "")
                ),
                "findings": "; ".join(f.display_label for f in findings),
            },
            internal=True,
        )
        if outcome == Outcome.DENIED and customer.status == S.PENDING:
            transition(customer, S.DENIED, actor)
        elif outcome == Outcome.PASSED:
            transition(customer, S.VERIFIED, actor)
    return screening


def denial_reasons(customer):
    """The findings that deny ``customer`` (for staff only)."""
    return list(customer.findings.filter(state__in=DENYING).select_related("entry"))


@transaction.atomic
def clear_finding(finding: Finding, actor):
    """ "Not a match": the entry never denies this customer again."""
    if finding.kind != ReasonKind.DENYLIST or finding.entry_id is None:
        raise FindingNotOpen(_("Only a deny-list hit with its entry can be cleared."))
    now = timezone.now()
    changed = Finding.objects.filter(
        customer_id=finding.customer_id,
        entry_id=finding.entry_id,
        state__in=[FindingState.ACTIVE, FindingState.REVIEW, FindingState.CONFIRMED],
    ).update(state=FindingState.CLEARED, decided_by_label=actor.label, decided_at=now)
    if not changed:
        raise FindingNotOpen(_("This hit was cleared already."))
    ClearedMatch.objects.get_or_create(
        customer_id=finding.customer_id,
        entry_id=finding.entry_id,
        defaults={"cleared_by_label": actor.label},
    )
    record(
        finding.customer,
        actor,
        "screening.cleared",
        _("Deny-list hit cleared as not a match: %(label)s") % {"label": finding.display_label},
        after={"entry": finding.entry_id, "score": finding.score},
        internal=True,
    )


@transaction.atomic
def confirm_finding(finding: Finding, actor):
    """A hit for review is confirmed: the customer becomes DENIED."""
    changed = Finding.objects.filter(pk=finding.pk, state=FindingState.REVIEW).update(
        state=FindingState.CONFIRMED, decided_by_label=actor.label, decided_at=timezone.now()
    )
    if not changed:
        raise FindingNotOpen(_("This hit is not waiting for a review."))
    customer = Customer.objects.select_for_update().get(pk=finding.customer_id)
    record(
        customer,
        actor,
        "screening.confirmed",
        _("Screening hit confirmed: %(label)s") % {"label": finding.display_label},
        after={"entry": finding.entry_id, "score": finding.score},
        internal=True,
    )
    if customer.status != S.DENIED:
        transition(customer, S.DENIED, actor)
