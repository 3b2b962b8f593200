"""Data export requests, erasures and the bookkeeping records an erasure keeps until their
retention ends (SPEC §5)."""

import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _


class Erasure(models.Model):
    """That a customer's personal data was erased: the fact, without personal data. The
    customer row stays pseudonymised while retained records need it (then ``customer`` is
    null and ``number`` tells which one it was)."""

    customer = models.OneToOneField(
        "customers.Customer", null=True, on_delete=models.SET_NULL, related_name="erasure"
    )
    number = models.CharField(_("customer number"), max_length=20, unique=True)
    erased_at = models.DateTimeField(_("erased"))
    erased_by_label = models.CharField(max_length=150)
    # {label: count} of what was kept for its retention, as the confirmation named it.
    kept = models.JSONField(default=dict)
    retention_until = models.DateField(_("kept until"), null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-erased_at"]
        verbose_name = _("erasure")

    def __str__(self):
        return f"{self.number} {self.erased_at:%Y-%m-%d}"


class RetainedRecord(models.Model):
    """A bookkeeping record of an erased customer, kept pseudonymised until ``retain_until``
    (the end of its retention period); the tick deletes it the day after."""

    customer = models.ForeignKey(
        "customers.Customer", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    model = models.CharField(max_length=100)  # "app_label.model"
    object_id = models.BigIntegerField()
    kind = models.CharField(max_length=10)  # voucher | books | letters
    retain_until = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["model", "object_id"], name="retained_record_once")
        ]
        indexes = [models.Index(fields=["retain_until"], name="retained_record_due")]

    def __str__(self):
        return f"{self.model}#{self.object_id} until {self.retain_until}"


def new_token():
    return secrets.token_urlsafe(32)


class ExportRequest(models.Model):
    """The customer asked for their data on their own page; the link works until it expires."""

    customer = models.ForeignKey("customers.Customer", on_delete=models.CASCADE, related_name="+")
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    requested_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    downloaded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]

    def __str__(self):
        return f"{self.customer_id} until {self.expires_at:%Y-%m-%d %H:%M}"


class EvidenceRestriction(models.Model):
    """The operator records a legal restriction (Art. 15 (4) GDPR, § 34 BDSG): the screening
    evidence is left out of this customer's data export while it exists."""

    customer = models.ForeignKey("customers.Customer", on_delete=models.CASCADE, related_name="+")
    reason = models.TextField(_("legal reason"))
    recorded_by_label = models.CharField(max_length=150)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-recorded_at", "-id"]

    def __str__(self):
        return self.reason[:60]
