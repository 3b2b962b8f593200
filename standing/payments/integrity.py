"""Integrity checks of payment links and provider webhooks (``standing check-data``)."""

from django.db.models import F, Q

from standing.core.integrity import each_row, invalid_choices, repeated

from .models import LinkStatus, PaymentLink, WebhookEvent

L = LinkStatus


def _links(queryset, sentence):
    return each_row(queryset, "payment link {pk} ({status})", sentence)


def states_valid():
    links = PaymentLink.objects.all()
    yield from invalid_choices(links, "status", LinkStatus.choices)
    yield from _links(links.filter(amount__lte=0), "is not over an amount above 0")
    yield from _links(links.filter(expires_at__lt=F("created_at")), "expires before it was made")


def state_and_capture_agree():
    """Paid: with its date and the provider's capture reference, and it was open once (has its
    URL). Not paid: neither date nor capture. Being created: no URL yet, nothing to capture."""
    links = PaymentLink.objects.all()
    paid = links.filter(status=L.PAID)
    yield from _links(
        paid.filter(Q(paid_at__isnull=True) | Q(capture_reference="")),
        "is paid without a payment date or capture reference",
    )
    yield from _links(paid.filter(payment_url=""), "is paid but was never open (no URL)")
    yield from _links(
        links.exclude(status=L.PAID).filter(Q(paid_at__isnull=False) | ~Q(capture_reference="")),
        "has a payment date or capture reference but is not paid",
    )
    creating = links.filter(status=L.CREATING)
    yield from _links(
        creating.filter(~Q(payment_url="") | Q(capture_requested_at__isnull=False)),
        "is still being created but has a URL or a capture requested",
    )
    yield from _links(
        links.filter(status=L.CREATED, payment_url=""), "is open but has no URL to pay at"
    )


def webhooks_once():
    for row in repeated(WebhookEvent.objects.all(), "provider", "event_id"):
        yield f"webhook {row['provider']}:{row['event_id']} was applied {row['n']} times"


CHECKS = [states_valid, state_and_capture_agree, webhooks_once]
