"""The screening outcomes for a denied customer (SPEC §2): offer a deposit, accept without
one, verify (deposit paid by invoice), activate, delete; and the deposit offer lifecycle.

Billing step ``invoice``: the invoice is issued when the offer is made (the customer needs it
to pay) and marked paid when the deposit arrives. Billing step ``receipt``: the receipt is
issued when the deposit is paid. ``none``: no document."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from standing.activity.services import record
from standing.billing import services as billing
from standing.billing.models import DEPOSIT_GROUP, CostType, DocumentKind
from standing.core import lifecycle
from standing.core.errors import DomainError
from standing.core.money import format_money, parse_amount
from standing.customers.lifecycle import allowed_transitions
from standing.customers.lifecycle import transition as customer_transition
from standing.customers.models import CustomerStatus
from standing.customers.services import send_message
from standing.payments import services as payments
from standing.payments.models import LinkStatus

from .models import BillingStep, DepositOffer, OfferStatus, StaffTask, TaskStatus

S = CustomerStatus
O = OfferStatus  # noqa: E741

TRANSITIONS = {
    (O.OFFERED, O.PAID): "paid",
    (O.OFFERED, O.WITHDRAWN): "withdrawn",
}


class OfferNotOpen(lifecycle.TransitionNotAllowed):
    """The offer is no longer open (paid or withdrawn)."""


class OfferChangedMeanwhile(lifecycle.ChangedMeanwhile, OfferNotOpen):
    pass


OFFER = lifecycle.Lifecycle(
    "deposit_offer",
    DepositOffer,
    TRANSITIONS,
    action_prefix="deposit",
    describe=lambda offer: gettext_lazy("The deposit offer"),
    refusal=lambda offer, frm, to: (
        gettext_lazy("The deposit offer is %(status)s and cannot become %(to)s.")
        % {"status": O(frm).label, "to": O(to).label}
    ),
    summary=lambda offer, frm, to: (
        _("Deposit offer over %(amount)s: %(status)s")
        % {"amount": format_money(offer.amount), "status": O(to).label}
    ),
    not_allowed=OfferNotOpen,
    changed=OfferChangedMeanwhile,
)


class WrongStatus(DomainError):
    """The action needs the customer in another status."""


# What each action on the deposit panel does to the customer's status: (the status it leads to,
# the status it starts from — None: any the customer lifecycle allows). The panel's buttons and
# the services' preconditions both ask ``can()``, and ``can()`` asks the customer lifecycle.
ACTIONS = {
    "offer": (S.VERIFIED, S.DENIED, gettext_lazy("A deposit offer")),
    "accept": (S.VERIFIED, S.DENIED, gettext_lazy("Accepting")),
    "verify": (S.VERIFIED, S.DENIED, gettext_lazy("Verifying")),
    "activate": (S.ACTIVE, None, gettext_lazy("Activating")),
    "delete": (S.DELETED, None, gettext_lazy("Deleting")),
}


def can(customer, action, actor=None) -> bool:
    """Whether ``action`` is possible for ``customer`` in their current status."""
    target, start, _label = ACTIONS[action]
    if start is not None and customer.status != start:
        return False
    return target in allowed_transitions(customer, actor)


def _require_status(customer, action):
    # Lock the customer's row, so two staff members acting at once are served one after the
    # other and the second sees the first one's outcome.
    customer.status = (
        type(customer)
        .objects.select_for_update()
        .values_list("status", flat=True)
        .get(pk=customer.pk)
    )
    if not can(customer, action):
        raise WrongStatus(
            _("%(action)s is not possible: customer %(number)s is %(status)s.")
            % {
                "action": ACTIONS[action][2],
                "number": customer.number,
                "status": S(customer.status).label,
            }
        )


def deposit_cost_types():
    return CostType.objects.filter(group__name=DEPOSIT_GROUP)


def open_offer(customer):
    return DepositOffer.objects.filter(customer=customer, status=O.OFFERED).first()


@transaction.atomic
def offer_transition(offer, to, actor):
    updates = {"paid_at": timezone.now()} if to == O.PAID else {}
    return OFFER.transition(offer, to, actor, updates=updates)


def _clean_offer(amount, billing_step, cost_type_code):
    errors = {}
    try:
        # The one money validator: more than two decimals is refused, never rounded.
        amount = parse_amount(str(amount) if isinstance(amount, float) else amount)
    except ValidationError as error:
        errors["amount"] = error.messages
    else:
        if amount <= 0:
            errors["amount"] = [_("The deposit must be more than 0.")]
    if billing_step not in BillingStep.values:
        errors["billing_step"] = [_("Choose invoice, receipt or none as the billing step.")]
    cost_type = deposit_cost_types().filter(code=cost_type_code).first()
    if cost_type is None:
        errors["cost_type"] = [
            _("Choose a cost type of the cost group “%(group)s”.") % {"group": DEPOSIT_GROUP}
        ]
    if errors:
        raise ValidationError(errors)
    return amount, cost_type


def _withdraw_open(customer, actor):
    offer = open_offer(customer)
    if offer is None:
        return
    offer_transition(offer, O.WITHDRAWN, actor)
    link = offer.payment_link
    if link is not None and link.status == LinkStatus.CREATED:
        payments.transition(link, LinkStatus.EXPIRED, actor)


@transaction.atomic
def offer_deposit(
    customer, actor, amount, billing_step, cost_type_code, payment_link=False, provider=None
):
    """Offer a deposit to a denied customer; a previous open offer is withdrawn."""
    _require_status(customer, "offer")
    amount, cost_type = _clean_offer(amount, billing_step, cost_type_code)
    _withdraw_open(customer, actor)
    with translation.override(customer.language or settings.LANGUAGE_CODE):
        purpose = _("Deposit %(customer)s") % {"customer": customer.number}
    offer = DepositOffer.objects.create(
        customer=customer,
        amount=amount,
        billing_step=billing_step,
        cost_type=cost_type,
        created_by=actor.user,
    )
    if payment_link:
        offer.payment_link = payments.create_link(customer, amount, purpose, actor, provider)
    if billing_step == BillingStep.INVOICE:
        offer.document = _issue(offer, DocumentKind.INVOICE, actor, paid=False)
    offer.save(update_fields=["payment_link", "document"])
    record(
        customer,
        actor,
        "deposit.offered",
        _("Deposit of %(amount)s offered (%(step)s, %(cost_type)s)")
        % {
            "amount": format_money(amount),
            "step": BillingStep(billing_step).label,
            "cost_type": cost_type.code,
        },
        after={"amount": amount, "billing_step": billing_step, "payment_link": bool(payment_link)},
    )
    _send_offer_email(offer, actor)
    return offer


def _issue(offer, kind, actor, paid):
    with translation.override(offer.customer.language or settings.LANGUAGE_CODE):
        description = _("Deposit for customer account %(number)s") % {
            "number": offer.customer.number
        }
        return billing.issue_document(
            offer.customer,
            kind,
            offer.cost_type,
            [(description, 1, offer.amount)],
            actor,
            vat_rate=Decimal("0"),
            paid=paid,
        )


def _send_offer_email(offer, actor):
    """Tell the customer the amount and how to pay. Never a reason for the denial."""
    customer = offer.customer
    if not customer.email:
        return
    with translation.override(customer.language or settings.LANGUAGE_CODE):
        subject = _("Your deposit for your customer account %(number)s") % {
            "number": customer.number
        }
        lines = [
            _("Hello %(name)s,") % {"name": customer.first_name},
            "",
            _("we are glad to accept you as a customer against a deposit of %(amount)s.")
            % {"amount": format_money(offer.amount)},
        ]
        if offer.payment_link:
            lines.append(_("Please pay it here: %(url)s") % {"url": offer.payment_link.payment_url})
        elif offer.document:
            lines.append(
                _("Please transfer it quoting the invoice number %(n)s.") % {"n": offer.document}
            )
        else:
            lines.append(_("We will let you know how to pay it."))
        lines += ["", _("As soon as the deposit has arrived, your account is confirmed."), ""]
        lines.append(settings.COMPANY["name"])
        send_message(customer, actor, subject, "\n".join(lines))


@transaction.atomic
def mark_offer_paid(offer, actor):
    """The deposit arrived: the offer is paid, its document made or marked paid, and a
    customer still DENIED becomes VERIFIED."""
    offer_transition(offer, O.PAID, actor)
    if offer.billing_step == BillingStep.RECEIPT:
        offer.document = _issue(offer, DocumentKind.RECEIPT, actor, paid=True)
        offer.save(update_fields=["document"])
    elif offer.billing_step == BillingStep.INVOICE and offer.document:
        billing.mark_paid(offer.document, actor)
    customer = offer.customer
    customer.refresh_from_db(fields=["status"])
    if customer.status == S.DENIED:
        customer_transition(
            customer,
            S.VERIFIED,
            actor,
            summary=_("Verified: deposit paid"),
            details={"by": "deposit"},
        )
    return offer


def on_link_paid(link, actor):
    """payments.ON_PAID: a deposit paid through its link verifies the customer by itself."""
    offer = DepositOffer.objects.select_related("customer").filter(payment_link=link).first()
    if offer is not None and offer.status == O.OFFERED:
        mark_offer_paid(offer, actor)


@transaction.atomic
def accept(customer, actor):
    """Accept a denied customer without a deposit (a first-class action, no 1 € workaround)."""
    _require_status(customer, "accept")
    _withdraw_open(customer, actor)
    return customer_transition(customer, S.VERIFIED, actor, summary=_("Accepted without deposit"))


@transaction.atomic
def verify(customer, actor):
    """Staff mark the deposit as paid (by invoice or otherwise): the customer becomes VERIFIED."""
    _require_status(customer, "verify")
    offer = open_offer(customer)
    if offer is None:
        raise WrongStatus(
            _("Customer %(number)s has no open deposit offer; make one or accept without deposit.")
            % {"number": customer.number}
        )
    offer.customer = customer
    link = offer.payment_link
    if link is not None and link.status == LinkStatus.CREATED:
        # Paid another way: the link must not take the money a second time.
        payments.transition(link, LinkStatus.EXPIRED, actor)
    mark_offer_paid(offer, actor)
    customer.refresh_from_db(fields=["status"])
    return customer


@transaction.atomic
def activate(customer, actor):
    _require_status(customer, "activate")
    return customer_transition(customer, S.ACTIVE, actor)


@transaction.atomic
def delete(customer, actor):
    """DELETED: the customer's login is deactivated, so logging in is refused."""
    _require_status(customer, "delete")
    _withdraw_open(customer, actor)
    customer_transition(customer, S.DELETED, actor)
    if customer.user_id:
        type(customer.user).objects.filter(pk=customer.user_id).update(is_active=False)
        record(customer, actor, "login.deactivated", _("Login deactivated"))
    return customer


# --- staff tasks ----------------------------------------------------------------------------
class TaskNotOpen(lifecycle.TransitionNotAllowed):
    pass


TASK = lifecycle.Lifecycle(
    "staff_task",
    StaffTask,
    {(TaskStatus.OPEN, TaskStatus.DONE): "done"},
    action_prefix="task",
    internal=True,
    describe=lambda task: _("Task “%(title)s”") % {"title": task.title},
    refusal=lambda task, frm, to: _("This task is done already."),
    summary=lambda task, frm, to: _("Task done: %(title)s") % {"title": task.title},
    not_allowed=TaskNotOpen,
    changed=type("TaskChangedMeanwhile", (lifecycle.ChangedMeanwhile, TaskNotOpen), {}),
)


def complete_task(task: StaffTask, actor) -> StaffTask:
    """Staff mark a task done: once, with who and when, in the customer's activity."""
    return TASK.transition(
        task, TaskStatus.DONE, actor, updates={"done_at": timezone.now(), "done_by": actor.user}
    )
