"""Issuing documents ("Belege") and keeping the cost types."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from standing.activity.services import record
from standing.core.models import next_value
from standing.core.money import round_money

from .models import PREFIX, CostGroup, CostType, Document, DocumentKind, DocumentLine


@transaction.atomic
def issue_document(
    customer, kind, cost_type, lines, actor, subject="", vat_rate=Decimal("0"), paid=False
) -> Document:
    """Create an invoice or receipt with ``lines`` [(description, quantity, unit price)].

    The number comes from the gapless counter ``{kind}-{year}`` inside this transaction, so a
    rollback gives it back. The PDF is rendered by a task once the transaction commits."""
    if kind not in DocumentKind.values:
        raise ValidationError({"kind": [_("Unknown document kind.")]})
    if not lines:
        raise ValidationError({"lines": [_("A document needs at least one line.")]})
    vat_rate = Decimal(vat_rate)
    if vat_rate < 0:
        raise ValidationError({"vat_rate": [_("The VAT rate cannot be negative.")]})
    now = timezone.now()
    year = timezone.localdate(now).year
    number = f"{PREFIX[kind]}-{year}-{next_value(f'{kind}-{year}'):05d}"
    # The line amount is computed from the rounded unit price, so the printed line adds up.
    rows = [
        (d, Decimal(q), round_money(p), round_money(Decimal(q) * round_money(p)))
        for d, q, p in lines
    ]
    net = sum((amount for *_rest, amount in rows), Decimal("0"))
    vat = round_money(net * vat_rate / 100)
    document = Document.objects.create(
        kind=kind,
        number=number,
        year=year,
        customer=customer,
        cost_type=cost_type,
        subject=subject or f"{DocumentKind(kind).label} {number}",
        vat_rate=vat_rate,
        net_total=net,
        vat_total=vat,
        gross_total=net + vat,
        issued_at=now,
        paid_at=now if paid else None,
        created_by=actor.user if actor else None,
    )
    DocumentLine.objects.bulk_create(
        DocumentLine(
            document=document,
            position=i,
            description=d,
            quantity=q,
            unit_price=p,
            amount=a,
        )
        for i, (d, q, p, a) in enumerate(rows, start=1)
    )
    record(
        customer,
        actor,
        "document.issued",
        _("%(kind)s %(number)s issued over %(total)s")
        % {"kind": DocumentKind(kind).label, "number": number, "total": document.gross_total},
        after={"number": number, "cost_type": cost_type.code, "total": document.gross_total},
    )
    from .tasks import render_document_pdf

    transaction.on_commit(lambda: render_document_pdf.enqueue(document.pk))
    return document


@transaction.atomic
def mark_paid(document: Document, actor):
    """Record that an invoice was paid; a second call changes nothing."""
    now = timezone.now()
    if Document.objects.filter(pk=document.pk, paid_at__isnull=True).update(paid_at=now):
        document.paid_at = now
        record(
            document.customer,
            actor,
            "document.paid",
            _("%(number)s marked paid") % {"number": document.number},
        )
    return document


def store_pdf(document: Document) -> Document:
    """Render and keep the PDF once; later calls return the stored file."""
    from .pdf import render_document

    if document.pdf:
        return document
    document.pdf.save(f"{document.number}.pdf", ContentFile(render_document(document)), save=False)
    Document.objects.filter(pk=document.pk, pdf="").update(pdf=document.pdf.name)
    return document


def add_cost_group(name) -> CostGroup:
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": [_("The cost group needs a name.")]})
    if CostGroup.objects.filter(name__iexact=name).exists():
        raise ValidationError({"name": [_("A cost group of that name exists already.")]})
    return CostGroup.objects.create(name=name)


def save_cost_type(code, name, group, cost_type=None) -> CostType:
    """Add a cost type, or rename it / move it to another group (its code stays)."""
    errors = {}
    if not (name or "").strip():
        errors["name"] = [_("The cost type needs a name.")]
    if cost_type is None:
        if not code:
            errors["code"] = [_("The cost type needs a code (letters, digits, - and _).")]
        elif CostType.objects.filter(code=code).exists():
            errors["code"] = [_("A cost type with that code exists already.")]
    if errors:
        raise ValidationError(errors)
    cost_type = cost_type or CostType(code=code)
    cost_type.name, cost_type.group = name.strip(), group
    cost_type.save()
    return cost_type
