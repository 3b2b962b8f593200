"""The card's actions panel (merge, export, erase) and the customer's own page (/me/): their
payment links, letters and Belege, and the data export."""

from django.utils import timezone

from standing.billing.models import Document
from standing.customers.models import MessageStatus
from standing.payments.models import LinkStatus, PaymentLink

from . import services
from .models import Erasure, EvidenceRestriction


def actions(request, customer, actor):
    return {
        "restriction": EvidenceRestriction.objects.filter(customer=customer).first(),
        "erasure": Erasure.objects.filter(customer=customer).first(),
        "is_admin": actor.is_admin,
    }


def portal(request, customer, actor):
    return {
        "requests": services.open_requests(customer)[:3],
        "links": PaymentLink.objects.filter(
            customer=customer, status=LinkStatus.CREATED, expires_at__gt=timezone.now()
        ),
        "letters": customer.messages.filter(status=MessageStatus.SENT)[:20],
        "documents": Document.objects.filter(customer=customer)[:20],
    }
