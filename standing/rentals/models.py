"""Damage cases and vouchers of the customer card (the price list, ``Product``, is the orders'
catalogue). Rented objects themselves
are order items (``orders.OrderItem`` of kind ``rental``): they belong to an order."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from standing.accounts.scoping import vendor_q
from standing.orders.models import Product, money  # noqa: F401  (the catalogue is the orders')


class DamageStatus(models.TextChoices):
    REPORTED = "reported", _("Reported")
    INVOICED = "invoiced", _("Invoiced")
    SETTLED = "settled", _("Settled")
    WAIVED = "waived", _("Waived")


class DamageCase(models.Model):
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.CASCADE, related_name="damage_cases"
    )
    vendor = models.ForeignKey("vendors.Vendor", on_delete=models.PROTECT)
    order = models.ForeignKey(
        "orders.Order", null=True, blank=True, on_delete=models.SET_NULL, related_name="damages"
    )
    # The object's name is kept: the order item may be removed later.
    object_name = models.CharField(_("object"), max_length=200)
    date = models.DateField(_("date"))
    description = models.TextField(_("description"))
    amount = money(_("amount"))
    status = models.CharField(
        _("status"), max_length=10, choices=DamageStatus.choices, default=DamageStatus.REPORTED
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("damage case")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="damage_amount_positive")
        ]

    def __str__(self):
        return f"{self.date} {self.object_name}"

    vendor_scope = staticmethod(vendor_q("vendor"))


class Voucher(models.Model):
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.CASCADE, related_name="vouchers"
    )
    vendor = models.ForeignKey("vendors.Vendor", on_delete=models.PROTECT)
    code = models.CharField(_("code"), max_length=40, unique=True)
    value = money(_("value"), null=True, blank=True)
    percent = models.DecimalField(
        _("percent"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    redeemed_at = models.DateTimeField(_("redeemed"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("voucher")
        constraints = [
            # Exactly one of value (EUR) and percent.
            models.CheckConstraint(
                condition=(Q(value__isnull=False, value__gt=0) & Q(percent__isnull=True))
                | (
                    Q(value__isnull=True)
                    & Q(percent__isnull=False, percent__gt=0, percent__lte=100)
                ),
                name="voucher_value_or_percent",
            )
        ]

    def __str__(self):
        return self.code

    vendor_scope = staticmethod(vendor_q("vendor"))
