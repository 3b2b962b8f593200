"""The payment link lifecycle (one table, one function) and the provider callbacks."""

import logging
from datetime import timedelta
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from standing.accounts.scoping import SYSTEM, Actor
from standing.core import lifecycle
from standing.core.errors import DomainError
from standing.core.money import format_money
from standing.core.registry import Registry

from .models import LinkStatus, PaymentLink, WebhookEvent
from .providers import get_provider

log = logging.getLogger(__name__)
L = LinkStatus

TRANSITIONS = {
    (L.CREATING, L.CREATED): "created",
    (L.CREATING, L.FAILED): "failed",
    (L.CREATING, L.EXPIRED): "expired",
    (L.CREATED, L.PAID): "paid",
    (L.CREATED, L.FAILED): "failed",
    (L.CREATED, L.EXPIRED): "expired",
}

# Called inside the transaction that marks a link paid: fn(link, actor). The deposits app
# registers here to mark its offer paid and verify the customer.
ON_PAID = Registry("payment link paid hooks")
# Called inside the transaction that opens a link (it has its payment URL): fn(link, actor).
# The deposits app registers here to send the offer email with the link.
ON_CREATED = Registry("payment link created hooks")
# A link a remote provider has not registered after this long is given up (FAILED).
GIVE_UP_CREATING = timedelta(days=1)
RETRY_AFTER = timedelta(minutes=2)


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
        _("Payment link over %(amount)s (%(provider)s)")
        % {"amount": format_money(link.amount, currency=link.currency), "provider": link.provider}
        if to == L.CREATED
        else _("Payment link over %(amount)s: %(status)s")
        % {"amount": format_money(link.amount, currency=link.currency), "status": L(to).label}
    ),
    not_allowed=LinkNotOpen,
    changed=LinkChangedMeanwhile,
)


@transaction.atomic
def create_link(customer, amount, purpose, actor, provider=None) -> PaymentLink:
    """A payment link, "being created" until the provider knows it. A local provider (the
    sandbox) registers it at once; a remote one (PayPal) is asked by a task after commit, so
    no network call runs inside this transaction."""
    provider = get_provider(provider)
    link = PaymentLink.objects.create(
        customer=customer,
        amount=amount,
        purpose=purpose,
        currency=settings.CURRENCY,
        provider=provider.name,
        status=L.CREATING,
        expires_at=timezone.now() + timedelta(days=settings.PAYMENT_LINK_DAYS),
        created_by=actor.user if actor else None,
    )
    if provider.remote:
        transaction.on_commit(lambda: _enqueue_registration(link.pk))
    else:
        _open(link, provider.create(link), actor)
    return link


def _enqueue_registration(link_id):
    from .tasks import register_link

    register_link.enqueue(link_id)


def _open(link, url, actor):
    """CREATING → CREATED with the provider's URL (inside a transaction)."""
    LINK.transition(
        link,
        L.CREATED,
        actor,
        updates={"payment_url": url, "provider_reference": link.provider_reference},
        details={"purpose": link.purpose, "url": url},
    )
    for handler in ON_CREATED:
        handler(link, actor)
    return link


def register_remote(link_id) -> str:
    """The task's work: ask the remote provider (outside any transaction), then open the
    link. A provider error leaves it "being created"; the tick retries it."""
    link = PaymentLink.objects.select_related("customer", "created_by").get(pk=link_id)
    if link.status != L.CREATING:
        return "not being created"
    url = get_provider(link.provider).create(link)  # the network call, no transaction open
    actor = Actor.of(link.created_by) if link.created_by else SYSTEM
    try:
        with transaction.atomic():
            _open(link, url, actor)
    except LinkNotOpen:
        return "withdrawn meanwhile"
    return "created"


def retry_pending_links(now):
    """Tick: register links a failed or lost task left "being created"; give up after a day.
    Capture approved PayPal orders whose capture has not completed yet."""
    from .tasks import capture_link

    pending = PaymentLink.objects.filter(status=L.CREATING, created_at__lte=now - RETRY_AFTER)
    given_up = 0
    for link in pending.filter(created_at__lte=now - GIVE_UP_CREATING):
        try:
            transition(link, L.FAILED, SYSTEM, reference="provider did not answer")
            given_up += 1
        except LinkNotOpen:
            continue
    retried = list(pending.values_list("pk", flat=True)[:200])
    for pk in retried:
        _enqueue_registration(pk)
    captures = list(
        PaymentLink.objects.filter(
            status=L.CREATED, capture_requested_at__lte=now - RETRY_AFTER
        ).values_list("pk", flat=True)[:200]
    )
    for pk in captures:
        capture_link.enqueue(pk)
    parts = [
        f"{n} {what}"
        for n, what in (
            (len(retried), "link(s) to register"),
            (given_up, "given up"),
            (len(captures), "capture(s) retried"),
        )
        if n
    ]
    return f"payment links: {', '.join(parts)}" if parts else None


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
    return link.status in (L.CREATING, L.CREATED) and link.expires_at <= (now or timezone.now())


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
    for link in PaymentLink.objects.filter(status__in=[L.CREATING, L.CREATED], expires_at__lte=now):
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


def _enqueue_capture(link_id):
    from .tasks import capture_link

    capture_link.enqueue(link_id)


def capture_remote(link_id) -> str:
    """The task's work: capture an approved PayPal order, outside any transaction. A provider
    error leaves the request standing; the tick tries again."""
    link = PaymentLink.objects.get(pk=link_id)
    if link.status != L.CREATED or link.capture_requested_at is None:
        return "nothing to capture"
    get_provider(link.provider).capture(link.provider_reference)
    return "captured"


@transaction.atomic
def handle_paypal_event(event: dict, provider) -> str:
    """Apply one verified PayPal webhook, exactly once per event id. Nothing here calls
    PayPal: an approved order is captured by a task after commit."""
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
        # The capture is a network call: a task after commit, retried by the tick.
        PaymentLink.objects.filter(pk=link.pk).update(capture_requested_at=timezone.now())
        transaction.on_commit(lambda: _enqueue_capture(link.pk))
        return "capture_queued"
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
