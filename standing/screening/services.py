"""The rules of screening: registration, running the checks, and staff decisions on hits.

The credit bureau is asked outside any database transaction (it may take seconds); the
outcome is then written in one transaction: the screening with its evidence, the status
change through the customer lifecycle, and the activity records (evidence: internal only).
"""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from standing.accounts.models import Role, User
from standing.activity.services import record
from standing.core import lifecycle, locks
from standing.core.models import Sequence
from standing.customers import outbox
from standing.customers.lifecycle import taking_over_history, transition
from standing.customers.models import Customer, CustomerStatus
from standing.customers.normalize import search_key
from standing.customers.services import clean_master_data, create_customer, link_vendor
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
# Who may register customers: the operator's staff and integrations. (A vendor's own shop
# registers through an integration token of that vendor.)
REGISTRARS = (Role.INTEGRATION, Role.ADMIN, Role.SUPPORT)


class FindingNotOpen(lifecycle.TransitionNotAllowed):
    """The hit was decided already (cleared or confirmed) or cannot be cleared."""


def repeated_registration(values: dict):
    """The customer a registration repeats, or None: the same email, or the same name and
    birth date, registered within ``REGISTRATION_REPEAT_DAYS``. Answering a repeat with that
    customer (not a fresh, freshly screened record) is what keeps a client from finding out by
    trial which attribute tripped the check (SPEC §2)."""
    email, name, birth_date = _identity(values)
    since = timezone.now() - timedelta(days=settings.REGISTRATION_REPEAT_DAYS)
    same = Q()
    if email:
        same |= Q(email_key=email)
    if name.strip() and birth_date:
        same |= Q(search_name=name, birth_date=birth_date)
    if not same:
        return None
    return Customer.objects.filter(same, created_at__gte=since).order_by("created_at", "pk").first()


class FindingChangedMeanwhile(lifecycle.ChangedMeanwhile, FindingNotOpen):
    pass


F = FindingState
FINDING_TRANSITIONS = {
    # Staff: "not a match" (the entry never denies this customer again).
    (F.ACTIVE, F.CLEARED): "cleared",
    (F.REVIEW, F.CLEARED): "cleared",
    (F.CONFIRMED, F.CLEARED): "cleared",
    # Staff confirm a hit put before them for review.
    (F.REVIEW, F.CONFIRMED): "confirmed",
}


def _clearable(finding, actor):
    if finding.kind != ReasonKind.DENYLIST or finding.entry_id is None:
        return _("Only a deny-list hit with its entry can be cleared.")
    return None


def _finding_refusal(finding, frm, to):
    if to == F.CLEARED:
        return _("This hit was cleared already.")
    return _("This hit is not waiting for a review.")


# The services write the activity record (one per decision, with the evidence); the engine
# checks the table and writes each finding's transition row.
FINDING = lifecycle.Lifecycle(
    "finding",
    Finding,
    FINDING_TRANSITIONS,
    field="state",
    record=False,
    customer=None,
    guards={F.CLEARED: _clearable},
    refusal=_finding_refusal,
    not_allowed=FindingNotOpen,
    changed=FindingChangedMeanwhile,
)


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


def _identity(values):
    values = clean_master_data(dict(values))
    email = (values.get("email") or "").strip().lower()
    name = search_key(f"{values.get('last_name', '')} {values.get('first_name', '')} ")
    return email, name, values.get("birth_date")


def same_person(customer, values) -> bool:
    """Whether ``values`` carry all of the customer's identity: email, name and birth date.
    Only then does a vendor's registration link the vendor to an existing customer (and let
    it read the card): an email alone, or a name and birth date alone, may be guessed."""
    email, name, birth_date = _identity(values)
    return (
        bool(email)
        and customer.email_key == email
        and customer.search_name == name
        and customer.birth_date == birth_date
    )


def _lock_registrations():
    """Take the registrations' lock row (one locking read once the row exists, as migration
    0006 makes it)."""
    if not Sequence.objects.select_for_update().filter(key="registrations").exists():
        locks.lock(Sequence.objects.get_or_create(key="registrations")[0])


def register(actor, values: dict, initial_payment: dict | None = None) -> Customer:
    """Create the customer in PENDING with a login ("Zugang"), then screen them at once.

    A registration repeating a recent one (see ``repeated_registration``) is answered with
    that customer, unscreened and unchanged; staff see the attempt in the activity log."""
    with transaction.atomic():
        # One registration after the other (the fast part only; screening runs afterwards),
        # so the same person registering twice at once is still found as a repeat.
        _lock_registrations()
        vendor = Vendor.objects.get(pk=actor.vendor_id) if actor.vendor_id else None
        if (existing := repeated_registration(values)) is not None:
            if vendor is not None and same_person(existing, values):
                link_vendor(existing, vendor)
            record(
                existing,
                actor,
                "registration.repeated",
                _("Registration repeated; answered with this customer, not screened again"),
                after={k: v for k, v in values.items() if k != "iban"},
                internal=True,
            )
            return existing
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
        _send_received(customer)
    screening = screen(customer, actor, Trigger.REGISTRATION, initial_payment=initial_payment)
    # The status the screening left (its customer is the row it locked and moved on).
    customer.status = screening.customer.status
    return customer


def _send_received(customer):
    """The neutral confirmation (through the outbox): the same words whatever the screening
    decides."""
    if not customer.email:
        return
    with translation.override(customer.language or settings.LANGUAGE_CODE):
        subject = _("Your registration")
        body = _(
            "Hello %(name)s,\n\nthank you for registering. Your customer number is %(number)s.\n"
            "We will get in touch with you by email.\n\nKind regards\nYour customer service"
        ) % {"name": customer.full_name, "number": customer.number}
    outbox.enqueue(customer, subject, body)


def _new_findings(customer, result, hits, initial_payment, on_record):
    """(kind, attribute, detail, entry, score) of every finding of this run; ``on_record``:
    the customer's findings that are not cleared."""
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
    known = {(f.kind, f.attribute, f.entry_id) for f in on_record}
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
        on_record = list(
            customer.findings.exclude(state=FindingState.CLEARED).only(
                "kind", "attribute", "entry_id", "state"
            )
        )
        found = _new_findings(customer, result, hits, initial_payment, on_record)
        if trigger == Trigger.DENYLIST and not found:
            return None
        open_reviews = any(f.state == FindingState.REVIEW for f in on_record)
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
    """ "Not a match": the entry never denies this customer again (every open finding of the
    same customer and entry is cleared with it)."""
    if why := _clearable(finding, actor):
        raise FindingNotOpen(why, obj=finding, frm=finding.state, to=F.CLEARED)
    now = timezone.now()
    same = Finding.objects.filter(customer_id=finding.customer_id, entry_id=finding.entry_id)
    updates = {"decided_by_label": actor.label, "decided_at": now}
    changed = [
        pk
        for frm in (F.ACTIVE, F.REVIEW, F.CONFIRMED)
        for pk in FINDING.transition_bulk(same, frm, F.CLEARED, actor, updates=updates)
    ]
    if not changed:
        raise FindingNotOpen(_("This hit was cleared already."), obj=finding, to=F.CLEARED)
    finding.state = F.CLEARED
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
    FINDING.transition(
        finding,
        F.CONFIRMED,
        actor,
        updates={"decided_by_label": actor.label, "decided_at": timezone.now()},
    )
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
