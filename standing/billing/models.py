"""Cost groups and cost types ("Kostenarten"), and documents ("Belege"): invoices and receipts
numbered without gaps per kind and year."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from standing.accounts.scoping import via_customer

DEPOSIT_GROUP = "Kaution"
DEPOSIT_COST_TYPE = "deposit"


class CostGroup(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("cost group")

    def __str__(self):
        return self.name


class CostType(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    group = models.ForeignKey(
        CostGroup, on_delete=models.PROTECT, related_name="cost_types", verbose_name=_("group")
    )

    class Meta:
        ordering = ["group__name", "name"]
        verbose_name = _("cost type")

    def __str__(self):
        return f"{self.name} ({self.code})"


class DocumentKind(models.TextChoices):
    INVOICE = "invoice", _("Invoice")
    RECEIPT = "receipt", _("Receipt")


# The number prefix of each kind: RE-2026-00001 (Rechnung), QU-2026-00001 (Quittung).
PREFIX = {DocumentKind.INVOICE: "RE", DocumentKind.RECEIPT: "QU"}


def document_pdf_path(instance, filename):
    return f"documents/{instance.year}/{filename}"


class Document(models.Model):
    """A "Beleg". Its lines and totals never change after it is issued; only ``paid_at`` and
    the rendered PDF are filled in later."""

    kind = models.CharField(_("kind"), max_length=10, choices=DocumentKind.choices)
    number = models.CharField(_("number"), max_length=20, unique=True)
    year = models.PositiveSmallIntegerField()
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.PROTECT, related_name="documents"
    )
    cost_type = models.ForeignKey(CostType, on_delete=models.PROTECT, verbose_name=_("cost type"))
    subject = models.CharField(_("subject"), max_length=200)
    currency = models.CharField(max_length=3, default="EUR")
    # Percent; deposits are not subject to VAT (no exchange of services), so 0 for them.
    vat_rate = models.DecimalField(_("VAT rate"), max_digits=5, decimal_places=2, default=0)
    net_total = models.DecimalField(_("net"), max_digits=12, decimal_places=2)
    vat_total = models.DecimalField(_("VAT"), max_digits=12, decimal_places=2)
    gross_total = models.DecimalField(_("total"), max_digits=12, decimal_places=2)
    issued_at = models.DateTimeField(_("issued"))
    paid_at = models.DateTimeField(_("paid"), null=True, blank=True)
    pdf = models.FileField(upload_to=document_pdf_path, max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        ordering = ["-issued_at", "-id"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        constraints = [
            models.CheckConstraint(condition=Q(vat_rate__gte=0), name="document_vat_not_negative")
        ]

    def __str__(self):
        return self.number

    vendor_scope = via_customer("customer")

    @staticmethod
    def customer_scope(user_id):
        return Q(customer__user_id=user_id)


class DocumentLine(models.Model):
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveSmallIntegerField()
    description = models.CharField(_("description"), max_length=200)
    quantity = models.DecimalField(max_digits=9, decimal_places=2, default=1)
    unit_price = models.DecimalField(max_digits=12, decimal_places=2)
    amount = models.DecimalField(max_digits=12, decimal_places=2)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["document", "position"], name="document_line_once")
        ]

    def __str__(self):
        return self.description
