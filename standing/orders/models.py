"""Orders ("Vorgänge"), their installment schedule and the payment events applied to them.

Amounts: an order's ``amount`` is what the customer owes under it now (the sum of its
installments' amounts); ``paid_amount`` is the sum of what was paid on the installments, net of
chargebacks and refunds; ``open_amount`` is the difference. A database check on every
installment (``0 <= paid_amount <= amount``) keeps ``paid_amount + open_amount == amount``
true whatever code path writes. Fees (chargeback or return-debit fees) are kept apart as
``cancellation_costs`` and never mix into ``amount``.
"""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from standing.accounts.scoping import vendor_q
from standing.core import links


class OrderStatus(models.TextChoices):
    OPEN = "open", _("Open")
    PAID = "paid", _("Paid")
    CANCELLED = "cancelled", _("Cancelled")


class PaymentMethod(models.TextChoices):
    PAYPAL = "paypal", _("PayPal")
    CARD = "card", _("Card")
    SEPA_DIRECT_DEBIT = "sepa_direct_debit", _("SEPA direct debit")
    INVOICE = "invoice", _("Invoice")


class PlanKind(models.TextChoices):
    ONE_TIME = "one_time", _("One-time")
    INSTALLMENTS = "installments", _("Installments")


class InstallmentState(models.TextChoices):
    OPEN = "open", _("Open")
    PAID = "paid", _("Paid")
    FAILED = "failed", _("Failed")
    CHARGED_BACK = "charged_back", _("Charged back")
    STOPPED = "stopped", _("Stopped")
    CANCELLED = "cancelled", _("Cancelled")


class EventType(models.TextChoices):
    PAYMENT_RECEIVED = "payment_received", _("Payment received")
    PAYMENT_FAILED = "payment_failed", _("Payment failed")
    CHARGEBACK = "chargeback", _("Chargeback")
    INSTALLMENTS_STOPPED = "installments_stopped", _("Installments stopped")
    ORDER_CANCELLED = "order_cancelled", _("Order cancelled")
    REFUND = "refund", _("Refund")


class ItemKind(models.TextChoices):
    SALE = "sale", _("Product")
    RENTAL = "rental", _("Rented object")


class RentalState(models.TextChoices):
    """The lifecycle of a rented object (rentals.services.ITEM); empty for products sold."""

    OUT = "out", _("rented out")
    RETURNED = "returned", _("returned")


def money(verbose_name, **kwargs):
    return models.DecimalField(verbose_name, max_digits=12, decimal_places=2, **kwargs)


class Order(models.Model):
    # Unique per vendor (a vendor cannot learn another vendor's numbers from a 409).
    number = models.CharField(_("order number"), max_length=64)
    vendor = models.ForeignKey("vendors.Vendor", on_delete=models.PROTECT, related_name="orders")
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.PROTECT, related_name="orders"
    )
    amount = money(_("amount"))
    # The amount at creation; ``amount`` drops by refunds and by cancelled installments.
    original_amount = money(_("original amount"))
    paid_amount = money(_("paid amount"), default=0)
    cancellation_costs = money(_("cancellation costs"), default=0)
    payment_method = models.CharField(
        _("payment method"), max_length=20, choices=PaymentMethod.choices
    )
    plan_kind = models.CharField(_("payment plan"), max_length=16, choices=PlanKind.choices)
    plan_interval = models.CharField(max_length=10, blank=True)  # "monthly" for installments
    status = models.CharField(
        _("status"), max_length=10, choices=OrderStatus.choices, default=OrderStatus.OPEN
    )
    created_at = models.DateTimeField(_("ordered at"))
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        indexes = [
            models.Index(fields=["vendor", "status"], name="order_vendor_status"),
            # Staff and operator-wide tokens look orders up by number across vendors.
            models.Index(fields=["number"], name="order_number"),
            # The order list's order (newest first): page 1 of 3,000,000 orders without a sort.
            models.Index(fields=["-created_at", "-id"], name="order_newest_first"),
            # The same for one vendor (a vendor user's list, the vendor filter): page 1 of a
            # vendor with a million orders without sorting them (500 ms -> 1 ms measured).
            models.Index(fields=["vendor", "-created_at", "-id"], name="order_vendor_newest_first"),
            # The dunning run's reopened check: a customer's orders placed after a given one.
            models.Index(fields=["customer", "created_at"], name="order_customer_created"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["vendor", "number"], name="order_number_per_vendor"),
            models.CheckConstraint(
                condition=Q(paid_amount__gte=0) & Q(paid_amount__lte=F("amount")),
                name="order_paid_within_amount",
            ),
            models.CheckConstraint(
                condition=Q(cancellation_costs__gte=0), name="order_costs_not_negative"
            ),
        ]

    def __str__(self):
        return self.number

    def get_absolute_url(self):
        return self.url_of_each()(self)

    @staticmethod
    def url_of_each():
        """``get_absolute_url`` as a function of the order, reversed once (for a list)."""
        detail = links.url_of_each("orders:detail")
        # Numbers are unique per vendor; the vendor makes the link unambiguous for staff.
        return lambda order: f"{detail(order.number)}?vendor={order.vendor_id}"

    @property
    def open_amount(self):
        return self.amount - self.paid_amount

    vendor_scope = staticmethod(vendor_q("vendor"))

    @staticmethod
    def customer_scope(user_id):
        return Q(customer__user_id=user_id)


class Product(models.Model):
    """A line of a vendor's price list (the catalogue): whether a SKU is sold or rented, and
    its list price ("reload price" on the card reads ``list_price``)."""

    vendor = models.ForeignKey("vendors.Vendor", on_delete=models.CASCADE, related_name="products")
    sku = models.CharField(_("SKU"), max_length=64)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=8, choices=ItemKind.choices)
    list_price = money(_("list price"))

    class Meta:
        db_table = "rentals_product"  # the table it had in rentals, kept
        ordering = ["vendor", "sku"]
        verbose_name = _("product")
        constraints = [
            models.UniqueConstraint(fields=["vendor", "sku"], name="product_vendor_sku"),
            models.CheckConstraint(condition=Q(list_price__gte=0), name="product_price_positive"),
        ]

    def __str__(self):
        return f"{self.sku} {self.name}"

    @staticmethod
    def vendor_scope(vendor_id):
        return Q(vendor_id=vendor_id)


class OrderItem(models.Model):
    """A product sold or an object rented under an order; rented objects show on the card."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(_("kind"), max_length=8, choices=ItemKind.choices)
    sku = models.CharField(_("SKU"), max_length=64)
    name = models.CharField(_("name"), max_length=200)
    price = money(_("price"))
    period_from = models.DateField(_("from"), null=True, blank=True)
    period_until = models.DateField(_("until"), null=True, blank=True)
    returned_on = models.DateField(_("returned on"), null=True, blank=True)
    rental_state = models.CharField(
        _("rental state"), max_length=10, choices=RentalState.choices, blank=True, default=""
    )

    class Meta:
        ordering = ["id"]
        verbose_name = _("order item")

    def __str__(self):
        return f"{self.name} ({self.sku})"

    @staticmethod
    def vendor_scope(vendor_id):
        return Q(order__vendor_id=vendor_id)


class Installment(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="installments")
    sequence = models.PositiveSmallIntegerField(_("installment"))
    due_date = models.DateField(_("due"))
    amount = money(_("amount"))
    paid_amount = money(_("paid"), default=0)
    state = models.CharField(
        _("state"), max_length=12, choices=InstallmentState.choices, default=InstallmentState.OPEN
    )

    class Meta:
        ordering = ["order", "sequence"]
        verbose_name = _("installment")
        constraints = [
            models.UniqueConstraint(fields=["order", "sequence"], name="installment_sequence"),
            models.CheckConstraint(
                condition=Q(paid_amount__gte=0) & Q(paid_amount__lte=F("amount")),
                name="installment_paid_within_amount",
            ),
        ]
        # The overdue query reads unpaid installments by due date.
        indexes = [models.Index(fields=["state", "due_date"], name="installment_state_due")]

    def __str__(self):
        return f"{self.order_id}/{self.sequence}"

    @property
    def open_amount(self):
        return self.amount - self.paid_amount

    @staticmethod
    def vendor_scope(vendor_id):
        return Q(order__vendor_id=vendor_id)


class PaymentEvent(models.Model):
    """A payment event as delivered; its ``event_id``, unique per vendor, makes delivery
    idempotent (one vendor can neither see nor take another vendor's event ids)."""

    event_id = models.CharField(_("event id"), max_length=100)
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="events")
    # The order's vendor, kept on the event so the id is unique per vendor in the database.
    vendor = models.ForeignKey("vendors.Vendor", on_delete=models.PROTECT, related_name="+")
    type = models.CharField(_("type"), max_length=24, choices=EventType.choices)
    date = models.DateField(_("date"))
    amount = money(_("amount"), null=True, blank=True)
    installment = models.PositiveSmallIntegerField(_("installment"), null=True, blank=True)
    fee = money(_("fee"), null=True, blank=True)
    # What the event did ({installment: {before, after}}, amounts), for the timeline.
    effect = models.JSONField(default=dict)
    # The answer given to the first delivery; a duplicate delivery gets it again.
    result = models.JSONField(default=dict)
    actor_label = models.CharField(max_length=150)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["received_at", "id"]
        verbose_name = _("payment event")
        constraints = [
            models.UniqueConstraint(fields=["vendor", "event_id"], name="event_id_per_vendor"),
        ]

    def __str__(self):
        return self.event_id

    @staticmethod
    def vendor_scope(vendor_id):
        return Q(order__vendor_id=vendor_id)
