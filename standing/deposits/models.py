"""Deposit offers ("Kautionsangebote") to denied customers, the record of the actions that ran
when a customer became VERIFIED, and the small staff tasks those actions create."""

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _


def _vendor_scope(path):
    def scope(vendor_id):
        from standing.customers.models import CustomerVendor

        links = CustomerVendor.objects.filter(customer=OuterRef(path), vendor_id=vendor_id)
        return Q(Exists(links))

    return staticmethod(scope)


class BillingStep(models.TextChoices):
    INVOICE = "invoice", _("Invoice")
    RECEIPT = "receipt", _("Receipt")
    NONE = "none", _("Nothing")


class OfferStatus(models.TextChoices):
    OFFERED = "offered", _("offered")
    PAID = "paid", _("paid")
    WITHDRAWN = "withdrawn", _("withdrawn")


class DepositOffer(models.Model):
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.PROTECT, related_name="deposit_offers"
    )
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    billing_step = models.CharField(_("billing step"), max_length=10, choices=BillingStep.choices)
    cost_type = models.ForeignKey(
        "billing.CostType", on_delete=models.PROTECT, verbose_name=_("cost type")
    )
    payment_link = models.OneToOneField(
        "payments.PaymentLink",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="deposit_offer",
    )
    # The invoice (made with the offer) or the receipt (made when paid).
    document = models.ForeignKey(
        "billing.Document", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=OfferStatus.choices, default=OfferStatus.OFFERED
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)
    paid_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("deposit offer")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="deposit_amount_positive"),
            # At most one open offer per customer: a new offer withdraws the old one.
            models.UniqueConstraint(
                fields=["customer"],
                condition=Q(status="offered"),
                name="one_open_deposit_offer",
            ),
        ]

    def __str__(self):
        return f"{self.amount} ({self.get_status_display()})"

    vendor_scope = _vendor_scope("customer")


class VerifiedActionRun(models.Model):
    """That a configured VERIFIED action ran for a customer: unique, so it runs once per
    customer ever, also when the customer becomes VERIFIED a second time."""

    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.CASCADE, related_name="verified_actions"
    )
    action = models.CharField(max_length=40)
    ran_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["customer", "action"], name="verified_action_once")
        ]

    def __str__(self):
        return f"{self.customer_id}:{self.action}"


class TaskStatus(models.TextChoices):
    OPEN = "open", _("open")
    DONE = "done", _("done")


class StaffTask(models.Model):
    """A to-do for staff ("Aufgabe"), e.g. to welcome a newly verified customer."""

    customer = models.ForeignKey(
        "customers.Customer", null=True, on_delete=models.CASCADE, related_name="staff_tasks"
    )
    title = models.CharField(_("task"), max_length=200)
    status = models.CharField(
        _("status"), max_length=8, choices=TaskStatus.choices, default=TaskStatus.OPEN
    )
    created_at = models.DateTimeField(auto_now_add=True)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        ordering = ["done_at", "-created_at", "-id"]
        indexes = [models.Index(fields=["done_at", "-created_at"], name="staff_task_open")]

    def __str__(self):
        return self.title

    vendor_scope = _vendor_scope("customer")
