"""The rules of the data export around the file itself: who gets which export, the customer's
own request with its expiring link, the operator's legal restriction of the evidence."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from standing.activity.services import record
from standing.core.errors import DomainError

from . import export
from .models import EvidenceRestriction, ExportRequest


class LinkExpired(DomainError):
    status = 410


def start_export(customer, actor):
    """The export's bytes for ``actor``: staff get the screening evidence (an access request
    under Art. 15 is answered by staff), unless the operator recorded a restriction; the
    customer's own export never shows a screening reason. Logged when it starts."""
    include_evidence = actor.is_staff
    record(
        customer,
        actor,
        "customer.exported",
        _("Data export downloaded (screening evidence: %(state)s)")
        % {"state": export.evidence_state(customer, include_evidence)},
    )
    return export.stream_zip(customer, include_evidence)


@transaction.atomic
def request_export(customer, actor) -> ExportRequest:
    """On the customer's own page: a link to their export, valid for a few days."""
    request = ExportRequest.objects.create(
        customer=customer,
        expires_at=timezone.now() + timedelta(hours=settings.PRIVACY_EXPORT_LINK_HOURS),
    )
    record(
        customer,
        actor,
        "customer.export_requested",
        _("Data export requested on the customer's page (link valid until %(until)s)")
        % {"until": timezone.localtime(request.expires_at).strftime("%d.%m.%Y %H:%M")},
    )
    return request


def open_requests(customer):
    return ExportRequest.objects.filter(customer=customer, expires_at__gt=timezone.now())


def request_by_token(customer, token) -> ExportRequest:
    """The customer's own request behind ``token``; another customer's token is not found."""
    found = ExportRequest.objects.filter(customer=customer, token=token).first()
    if found is None:
        raise Http404("No such export link.")
    if found.expires_at <= timezone.now():
        raise LinkExpired(_("This link has expired; request a new export on your page."))
    ExportRequest.objects.filter(pk=found.pk, downloaded_at__isnull=True).update(
        downloaded_at=timezone.now()
    )
    return found


@transaction.atomic
def restrict_evidence(customer, actor, reason) -> EvidenceRestriction:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Name the legal reason for the restriction.")]})
    restriction = EvidenceRestriction.objects.create(
        customer=customer, reason=reason, recorded_by_label=actor.label
    )
    record(
        customer,
        actor,
        "privacy.restricted",
        _("Screening evidence withheld from the data export: %(reason)s") % {"reason": reason},
        internal=True,
    )
    return restriction


@transaction.atomic
def lift_restriction(customer, actor):
    deleted, _n = EvidenceRestriction.objects.filter(customer=customer).delete()
    if deleted:
        record(
            customer,
            actor,
            "privacy.restriction_lifted",
            _("The screening evidence is part of the data export again"),
            internal=True,
        )
