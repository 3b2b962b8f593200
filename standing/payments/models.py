"""Payment links (SPEC §6): an amount the customer pays through a provider's page."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from standing.accounts.scoping import via_customer


class LinkStatus(models.TextChoices):
    # Registered with a remote provider by a task after commit (no network call inside a
    # transaction); the customer gets the link once it is open.
    CREATING = "creating", _("being created")
    CREATED = "created", _("open")
    PAID = "paid", _("paid")
    FAILED = "failed", _("failed")
    EXPIRED = "expired", _("expired")


def new_token():
    return secrets.token_urlsafe(24)


class PaymentLink(models.Model):
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.PROTECT, related_name="payment_links"
    )
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    currency = models.CharField(max_length=3, default="EUR")
    purpose = models.CharField(_("purpose"), max_length=200)
    status = models.CharField(
        _("status"), max_length=10, choices=LinkStatus.choices, default=LinkStatus.CREATED
    )
    provider = models.CharField(_("provider"), max_length=20)
    # The provider's id for the payment (PayPal: the order id), set when the link is created.
    provider_reference = models.CharField(max_length=100, blank=True, db_index=True)
    # Where the customer pays: the provider's approve link, or our sandbox page.
    payment_url = models.URLField(max_length=500, blank=True)
    capture_reference = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    paid_at = models.DateTimeField(null=True, blank=True)
    # PayPal approved the order: the capture is a task after commit, retried by the tick.
    capture_requested_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("payment link")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_link_amount_positive")
        ]
        indexes = [models.Index(fields=["status", "expires_at"], name="payment_link_open")]

    def __str__(self):
        return f"{self.amount} {self.currency} · {self.purpose}"

    vendor_scope = via_customer("customer")

    @staticmethod
    def customer_scope(user_id):
        return Q(customer__user_id=user_id)


class WebhookEvent(models.Model):
    """Every provider webhook we accepted, once: the unique event id makes a repeated delivery
    a no-op."""

    provider = models.CharField(max_length=20)
    event_id = models.CharField(max_length=100)
    event_type = models.CharField(max_length=100)
    payload = models.JSONField()
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["provider", "event_id"], name="webhook_event_once")
        ]

    def __str__(self):
        return f"{self.provider}:{self.event_id}"
