from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from standing.accounts.scoping import via_customer

from .normalize import search_key


class CustomerStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    VERIFIED = "verified", _("Verified")
    ACTIVE = "active", _("Active")
    DENIED = "denied", _("Denied")
    DELETED = "deleted", _("Deleted")
    # Merged into another customer: a tombstone whose number points to the survivor.
    MERGED = "merged", _("Merged")


class CustomerKind(models.TextChoices):
    CONSUMER = "consumer", _("Consumer")
    BUSINESS = "business", _("Business")


class Permission(models.TextChoices):
    RESERVE = "reserve", _("Reserve")
    BOOK = "book", _("Book")
    PAY_BY_INVOICE = "pay_by_invoice", _("Pay by invoice")


class Grant(models.TextChoices):
    INHERIT = "inherit", _("inherit")
    ALLOW = "allow", _("allow")
    DENY = "deny", _("deny")


class CustomerGroup(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    # {permission: "allow" | "deny"}; a missing key inherits the defaults from the settings.
    permissions = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Customer(models.Model):
    number = models.CharField(_("customer number"), max_length=20, unique=True)
    kind = models.CharField(
        _("kind"), max_length=10, choices=CustomerKind.choices, default=CustomerKind.CONSUMER
    )
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    company_name = models.CharField(_("company"), max_length=200, blank=True)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)  # E.164
    iban = models.CharField(_("IBAN"), max_length=34, blank=True)
    # Identity card or passport number ("Ausweisnummer"), upper case without spaces.
    document_number = models.CharField(_("ID document number"), max_length=40, blank=True)
    street = models.CharField(_("street and number"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=10, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    country = models.CharField(_("country"), max_length=2, default="DE")
    group = models.ForeignKey(
        CustomerGroup,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        verbose_name=_("customer group"),
        related_name="customers",
    )
    language = models.CharField(_("language"), max_length=8, default="de")
    status = models.CharField(
        _("status"), max_length=10, choices=CustomerStatus.choices, default=CustomerStatus.PENDING
    )
    # {permission: "allow" | "deny"}; a missing key inherits from the group.
    permissions = models.JSONField(default=dict, blank=True)
    general_info = models.TextField(_("general info"), blank=True)
    # Set on the tombstone of a merge: the customer this one lives on in.
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_from"
    )
    # The customer's own login ("Zugang"), created by registration or invitation.
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="customer",
    )
    # Lower-case, transliterated "last first company", the first name and the email address,
    # searched by prefix; each indexed with the id by migration 0008 (``customers.search``).
    search_name = models.CharField(max_length=400, editable=False)
    first_key = models.CharField(max_length=100, editable=False)
    email_key = models.CharField(max_length=254, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        indexes = [
            models.Index(fields=["status", "-id"], name="customer_status_id"),
            models.Index(fields=["phone"], name="customer_phone"),
        ]

    def __str__(self):
        return f"{self.number} {self.full_name}"

    def save(self, *args, **kwargs):
        self.search_name = search_key(f"{self.last_name} {self.first_name} {self.company_name}")
        self.first_key = search_key(self.first_name)
        self.email_key = self.email.lower()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {
                *kwargs["update_fields"],
                "search_name",
                "first_key",
                "email_key",
                "updated_at",
            }
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("customers:card", args=[self.number])

    @property
    def full_name(self):
        name = f"{self.first_name} {self.last_name}".strip()
        return f"{name} ({self.company_name})" if self.company_name else name

    vendor_scope = via_customer("pk")

    @staticmethod
    def customer_scope(user_id):
        return Q(user_id=user_id)


class CustomerVendor(models.Model):
    """That a vendor deals with a customer (registered through it or ordered from it):
    what a vendor user may see of the customer follows from this link."""

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="vendor_links")
    vendor = models.ForeignKey("vendors.Vendor", on_delete=models.CASCADE)
    since = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["vendor", "customer"], name="customer_vendor_once")
        ]

    def __str__(self):
        return f"{self.customer_id}@{self.vendor_id}"


class Note(models.Model):
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    text = models.TextField(_("note"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.text[:50]


def customer_file_path(instance, filename):
    return f"customers/{instance.customer_id}/{filename}"


class CustomerFile(models.Model):
    """An uploaded document on the card ("Dokumente"): ID copies, contracts, letters."""

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(upload_to=customer_file_path, max_length=300)
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.name


class MessageStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    SENT = "sent", _("sent")
    FAILED = "failed", _("failed")


class Message(models.Model):
    """An email to the customer, kept with its attachments and its delivery state."""

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="messages")
    to = models.EmailField()
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("message"))
    attachments = models.ManyToManyField(CustomerFile, blank=True)
    status = models.CharField(
        max_length=10, choices=MessageStatus.choices, default=MessageStatus.QUEUED
    )
    error = models.CharField(max_length=300, blank=True)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # The outbox (customers/outbox.py): a kind with a renderer makes its text when it is sent
    # (an invitation's link is never stored); attempts, the next one, and the sending lease.
    kind = models.CharField(max_length=40, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    locked_until = models.DateTimeField(null=True, blank=True)
    # The attempt holding the lease (claimed before sending): only it may record the outcome.
    attempt_id = models.UUIDField(null=True, blank=True)
    # The Message-ID header, the same for every attempt: receivers drop a repeated delivery.
    message_id = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="message_outbox_due")]

    def __str__(self):
        return self.subject


class TaskStatus(models.TextChoices):
    OPEN = "open", _("open")
    DONE = "done", _("done")


class StaffTask(models.Model):
    """A to-do for staff ("Aufgabe") about a customer, e.g. to welcome a newly verified one
    (rules: customers/staff_tasks.py)."""

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
        db_table = "deposits_stafftask"  # the table it had in deposits, kept
        ordering = ["done_at", "-created_at", "-id"]
        indexes = [models.Index(fields=["done_at", "-created_at"], name="staff_task_open")]

    def __str__(self):
        return self.title

    vendor_scope = via_customer("customer")
