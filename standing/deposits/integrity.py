"""Integrity checks of deposit offers (``standing check-data``)."""

from django.db.models import F, Q

from standing.billing.models import DocumentKind
from standing.core.integrity import each_row, invalid_choices, repeated
from standing.payments.models import LinkStatus

from .models import BillingStep, DepositOffer, OfferStatus

O = OfferStatus  # noqa: E741


def _offers(queryset, sentence):
    return each_row(queryset, "deposit offer {pk} (customer {customer__number})", sentence)


def states_valid():
    offers = DepositOffer.objects.all()
    yield from invalid_choices(offers, "status", OfferStatus.choices)
    yield from invalid_choices(offers, "billing_step", BillingStep.choices)
    yield from _offers(offers.filter(amount__lte=0), "is not over an amount above 0")


def one_open_offer_per_customer():
    """A new offer withdraws the open one: never two open offers for one customer."""
    for row in repeated(DepositOffer.objects.filter(status=O.OFFERED), "customer__number"):
        yield f"customer {row['customer__number']} has {row['n']} open deposit offers"


def paid_offers_complete():
    """A paid offer has its date and its document (the receipt made when paid, or the invoice
    made with the offer and marked paid); an open or withdrawn one has no payment date."""
    offers = DepositOffer.objects.all()
    paid = offers.filter(status=O.PAID)
    yield from _offers(paid.filter(paid_at__isnull=True), "is paid without a payment date")
    yield from _offers(
        offers.exclude(status=O.PAID).filter(paid_at__isnull=False),
        "has a payment date but is not paid",
    )
    yield from _offers(
        paid.filter(billing_step=BillingStep.RECEIPT).exclude(document__kind=DocumentKind.RECEIPT),
        "is paid with the billing step receipt but has no receipt",
    )
    invoice = offers.filter(billing_step=BillingStep.INVOICE)
    yield from _offers(
        invoice.exclude(document__kind=DocumentKind.INVOICE),
        "has the billing step invoice but no invoice",
    )
    yield from _offers(
        invoice.filter(status=O.PAID, document__paid_at__isnull=True),
        "is paid but its invoice is not marked paid",
    )
    yield from _offers(
        offers.filter(billing_step=BillingStep.NONE, document__isnull=False),
        "has the billing step none but a document",
    )
    yield from _offers(
        offers.filter(billing_step=BillingStep.RECEIPT)
        .exclude(status=O.PAID)
        .filter(document__isnull=False),
        "has a receipt but is not paid",
    )
    yield from _offers(
        offers.filter(document__isnull=False).exclude(document__customer_id=F("customer_id")),
        "has a document of another customer",
    )


def links_agree():
    """The offer's payment link is the customer's, over the offer's amount; a link that was paid
    paid the offer, and an offer no longer open leaves no link open to pay it twice."""
    offers = DepositOffer.objects.filter(payment_link__isnull=False)
    yield from _offers(
        offers.filter(
            ~Q(payment_link__customer_id=F("customer_id")) | ~Q(payment_link__amount=F("amount"))
        ),
        "has a payment link of another customer or amount",
    )
    yield from _offers(
        offers.filter(payment_link__status=LinkStatus.PAID).exclude(status=O.PAID),
        "was paid through its link but is not paid",
    )
    yield from _offers(
        offers.exclude(status=O.OFFERED).filter(payment_link__status=LinkStatus.CREATED),
        "is no longer open but its payment link still is",
    )


CHECKS = [states_valid, one_open_offer_per_customer, paid_offers_complete, links_agree]
