"""The payment link lifecycle (one table, one function) and the provider callbacks."""

import logging
from datetime import timedelta
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from standing.accounts.scoping import SYSTEM
from standing.activity.services import record
from standing.core import lifecycle
from standing.core.errors import DomainError
from standing.core.money import format_money

from .models import LinkStatus, PaymentLink, WebhookEvent
from .providers import get_provider

log = logging.getLogger(__name__)
L = LinkStatus

TRANSITIONS = {
    (L.CREATED, L.PAID): "paid",
    (L.CREATED, L.FAILED): "failed",
    (L.CREATED, L.EXPIRED): "expired",
}

# Called inside the transaction that marks a link paid: fn(link, actor). The deposits app
# registers here to mark its offer paid and verify the customer.
ON_PAID: list = []


class LinkNotOpen(lifecycle.TransitionNotAllowed):
    """The link is no longer open (paid, failed or expired)."""


class LinkChangedMeanwhile(lifecycle.ChangedMeanwhile, LinkNotOpen):
    pass


LINK = lifecycle.Lifecycle(
    "payment_link",
    PaymentLink,
    TRANSITIONS,
    action_prefix="payment_link",
    describe=lambda link: gettext_lazy("The payment link"),
    refusal=lambda link, frm, to: (
        gettext_lazy("The payment link is %(status)s and cannot become %(to)s.")
        % {"status": L(frm).label, "to": L(to).label}
    ),
    summary=lambda link, frm, to: (
        _("Payment link over %(amount)s: %(status)s")
        % {"amount": format_money(link.amount, currency=link.currency), "status": L(to).label}
    ),
    not_allowed=LinkNotOpen,
    changed=LinkChangedMeanwhile,
)


@transaction.atomic
def create_link(customer, amount, purpose, actor, provider=None) -> PaymentLink:
    """Create a link and register it with the provider; a provider failure rolls it back."""
    provider = get_provider(provider)
    link = PaymentLink.objects.create(
        customer=customer,
        amount=amount,
        purpose=purpose,
        currency=settings.CURRENCY,
        provider=provider.name,
        expires_at=timezone.now() + timedelta(days=settings.PAYMENT_LINK_DAYS),
        created_by=actor.user if actor else None,
    )
    link.payment_url = provider.create(link)
    link.save(update_fields=["payment_url", "provider_reference"])
    record(
        customer,
        actor,
        "payment_link.created",
        _("Payment link over %(amount)s (%(provider)s)")
        % {"amount": format_money(link.amount, currency=link.currency), "provider": link.provider},
        after={"purpose": purpose, "url": link.payment_url},
    )
    return link


@transaction.atomic
def transition(link: PaymentLink, to, actor, reference=""):
    values = {}
    if to == L.PAID:
        values = {"paid_at": timezone.now(), "capture_reference": reference[:100]}
    LINK.transition(link, to, actor, updates=values, details={"reference": reference})
    if to == L.PAID:
        for handler in ON_PAID:
            handler(link, actor)
    return link


def is_expired(link, now=None):
    return link.status == L.CREATED and link.expires_at <= (now or timezone.now())


@transaction.atomic
def sandbox_pay(link: PaymentLink, outcome: str):
    """The sandbox page's button: pay or fail the link (as the customer would at PayPal)."""
    if link.provider != "sandbox":
        raise DomainError(_("This link is paid through %(p)s.") % {"p": link.provider})
    if is_expired(link):
        return transition(link, L.EXPIRED, SYSTEM)
    to = L.PAID if outcome == "success" else L.FAILED
    return transition(link, to, SYSTEM, reference=f"sandbox-{outcome}")


def expire_links(now):
    """Tick job: open links past their end expire (each in its own transaction)."""
    count = 0
    for link in PaymentLink.objects.filter(status=L.CREATED, expires_at__lte=now):
        try:
            transition(link, L.EXPIRED, SYSTEM)
            count += 1
        except LinkNotOpen:
            continue  # paid or failed meanwhile
    return f"payment links expired: {count}" if count else None


def _amount_matches(link, resource):
    amount = resource.get("amount") or {}
    try:
        value = Decimal(str(amount.get("value")))
    except (InvalidOperation, TypeError):
        return False
    return value == link.amount and amount.get("currency_code") == link.currency


def _link_for_capture(resource):
    token = resource.get("custom_id") or ""
    order_id = ((resource.get("supplementary_data") or {}).get("related_ids") or {}).get("order_id")
    links = PaymentLink.objects.select_related("customer").filter(provider="paypal")
    return (
        links.filter(token=token).first()
        if token
        else links.filter(provider_reference=order_id).first()
        if order_id
        else None
    )


@transaction.atomic
def handle_paypal_event(event: dict, provider) -> str:
    """Apply one verified PayPal webhook, exactly once per event id. A provider error (capture)
    rolls the event row back, so PayPal's retry processes it again."""
    try:
        with transaction.atomic():
            WebhookEvent.objects.create(
                provider="paypal",
                event_id=str(event["id"])[:100],
                event_type=str(event.get("event_type", ""))[:100],
                payload=event,
            )
    except IntegrityError:
        return "duplicate"
    kind = event.get("event_type")
    resource = event.get("resource") or {}
    if kind == "CHECKOUT.ORDER.APPROVED":
        link = PaymentLink.objects.filter(
            provider="paypal", provider_reference=str(resource.get("id", ""))
        ).first()
        if link is None or link.status != L.CREATED:
            return "ignored"
        provider.capture(link.provider_reference)
        return "captured"
    if kind == "PAYMENT.CAPTURE.COMPLETED":
        link = _link_for_capture(resource)
        if link is None or link.status != L.CREATED:
            return "ignored"
        if not _amount_matches(link, resource):
            log.warning("PayPal capture %s does not match link %s", resource.get("id"), link.pk)
            return "ignored"
        transition(link, L.PAID, SYSTEM, reference=str(resource.get("id", "")))
        return "paid"
    if kind in ("PAYMENT.CAPTURE.DENIED", "PAYMENT.CAPTURE.DECLINED"):
        link = _link_for_capture(resource)
        if link is None or link.status != L.CREATED:
            return "ignored"
        transition(link, L.FAILED, SYSTEM, reference=str(resource.get("id", "")))
        return "failed"
    return "ignored"
