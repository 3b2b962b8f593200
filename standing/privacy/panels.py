"""The card's actions panel (merge, export, erase) and the customer's own page (/me/): their
payment links, letters and Belege, and the data export."""

from django.utils import timezone

from standing.billing.models import Document
from standing.customers.models import CustomerStatus, MessageStatus
from standing.payments.models import LinkStatus, PaymentLink

from . import services
from .models import Erasure, EvidenceRestriction


def actions(request, customer, actor):
    # An erasure leaves the customer DELETED, and an erased card shows no restriction: each is
    # read only when it can show (this panel is on every card).
    erased = customer.status == CustomerStatus.DELETED
    erasure = Erasure.objects.filter(customer=customer).first() if erased else None
    restriction = None if erasure else EvidenceRestriction.objects.filter(customer=customer).first()
    return {"restriction": restriction, "erasure": erasure, "is_admin": actor.is_admin}


def portal(request, customer, actor):
    return {
        "requests": services.open_requests(customer)[:3],
        "links": PaymentLink.objects.filter(
            customer=customer, status=LinkStatus.CREATED, expires_at__gt=timezone.now()
        ),
        "letters": customer.messages.filter(status=MessageStatus.SENT)[:20],
        "documents": Document.objects.filter(customer=customer)[:20],
    }
