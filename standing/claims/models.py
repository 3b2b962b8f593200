"""Claims ("Forderungen", SPEC §7): an overdue amount on one order, dunned up to the handover.

What a claim is owed is never copied: the principal, the paid amount and the cancellation
costs are read from the order's installments; interest, fees and the parts of claim payments
that went to costs and interest sit in the claim's dated ledger (``ClaimEntry``). The status
moves only through ``lifecycle.CLAIMS`` (the shared engine); letters are unique per claim and
level, the last guard of "exactly once".
"""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from standing.accounts.scoping import vendor_q


def money(verbose_name, **kwargs):
    return models.DecimalField(verbose_name, max_digits=12, decimal_places=2, **kwargs)


class DunningOption(models.TextChoices):
    A = "a", _("a: dunning + collection + court dunning")
    B = "b", _("b: dunning + collection + cancellation")


class CollectionSettings(models.Model):
    """A vendor's collection settings ("Inkasso (Beta)", seed 003): one row per vendor."""

    vendor = models.OneToOneField(
        "vendors.Vendor", on_delete=models.CASCADE, related_name="collection_settings"
    )
    enabled = models.BooleanField(_("takes part in dunning and collection"), default=False)
    dunning_option = models.CharField(
        _("dunning option"), max_length=1, choices=DunningOption.choices, default=DunningOption.A
    )
    dunning_option_changed_on = models.DateField(_("dunning option changed on"), null=True)
    auto_handover = models.BooleanField(_("automatic handover"), default=False)
    auto_handover_chargebacks = models.BooleanField(
        _("automatic handover of chargebacks"), default=False
    )
    excluded_products = models.JSONField(_("excluded products (SKUs)"), default=list, blank=True)
    first_letter_after_days = models.PositiveSmallIntegerField(
        _("first letter after days overdue"), default=7
    )
    second_letter_after_days = models.PositiveSmallIntegerField(
        _("second letter after days"), default=14
    )
    handover_after_days = models.PositiveSmallIntegerField(_("handover after days"), default=14)
    fee_first_letter = money(_("fee of the first letter"), default=0)
    fee_second_letter = money(_("fee of the second letter"), default=0)
    updated_at = models.DateTimeField(_("last data update"), auto_now=True)

    class Meta:
        verbose_name = _("collection settings")
        verbose_name_plural = _("collection settings")
        constraints = [
            models.CheckConstraint(
                condition=Q(fee_first_letter__gte=0) & Q(fee_second_letter__gte=0),
                name="collection_fees_not_negative",
            )
        ]

    def __str__(self):
        return f"{self.vendor_id}: {self.dunning_option}"

    vendor_scope = staticmethod(vendor_q("vendor"))


class ClaimStatus(models.TextChoices):
    OPEN = "open", _("open")
    DUNNING_1 = "dunning_1", _("first letter")
    DUNNING_2 = "dunning_2", _("second letter")
    ON_HOLD = "on_hold", _("waiting for approval")
    SENT_FOR_COLLECTION = "sent_for_collection", _("with the collection agency")
    PAID = "paid", _("paid")
    CANCELED = "canceled", _("canceled")
    BLOCKED = "blocked", _("blocked")


# Claims still with us (the reopened check and the board's "in progress").
ACTIVE_STATES = (
    ClaimStatus.OPEN,
    ClaimStatus.DUNNING_1,
    ClaimStatus.DUNNING_2,
    ClaimStatus.ON_HOLD,
    ClaimStatus.BLOCKED,
)
# Not finished: a new missed payment adds to such a claim instead of opening another.
UNFINISHED_STATES = (*ACTIVE_STATES, ClaimStatus.SENT_FOR_COLLECTION)


class ClaimKind(models.TextChoices):
    FAILED_INSTALLMENT = "failed_installment", _("cancelled installment")
    CHARGEBACK_INSTALLMENT = "chargeback_installment", _("chargeback on an installment")
    STOPPED_INSTALLMENTS = "stopped_installments", _("stopped installments")
    CHARGEBACK_ONE_TIME = "chargeback_one_time", _("chargeback on a one-time payment")
    INVOICE_OVERDUE = "invoice_overdue", _("invoice past due")


class Debtor(models.TextChoices):
    CONSUMER = "consumer", _("consumer")
    BUSINESS = "business", _("business")


class Claim(models.Model):
    vendor = models.ForeignKey("vendors.Vendor", on_delete=models.PROTECT, related_name="claims")
    order = models.ForeignKey("orders.Order", on_delete=models.PROTECT, related_name="claims")
    # The order's number (which never changes), copied so that the board sorts a million claims
    # by it from an index; ``check-data`` compares it with the order's.
    order_number = models.CharField(_("order number"), max_length=64, editable=False)
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.PROTECT, related_name="claims"
    )
    kind = models.CharField(_("kind"), max_length=24, choices=ClaimKind.choices)
    debtor = models.CharField(_("debtor"), max_length=10, choices=Debtor.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=ClaimStatus.choices, default=ClaimStatus.OPEN
    )
    # Where a blocked claim came from; ``release`` returns it there.
    status_before_block = models.CharField(
        max_length=20, choices=ClaimStatus.choices, blank=True, default=""
    )
    overdue_since = models.DateField(_("overdue since"))
    default_since = models.DateField(_("in default since"), null=True, blank=True)
    limitation_date = models.DateField(_("time-barred after"), null=True, blank=True)
    # The vendor's dunning option and handover choice as they were when the claim opened.
    dunning_option = models.CharField(
        _("dunning option"), max_length=1, choices=DunningOption.choices
    )
    auto_handover = models.BooleanField(_("handed over without approval"), default=False)
    # The day dunning started (automatic, or the vendor's "verfolgen"); None: waits for review.
    dunning_started_on = models.DateField(_("dunning started on"), null=True, blank=True)
    first_letter_on = models.DateField(_("first dunning letter"), null=True, blank=True)
    second_letter_on = models.DateField(_("second dunning letter"), null=True, blank=True)
    incasso_on = models.DateField(_("handed over on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    paused_until = models.DateField(_("paused until"), null=True, blank=True)
    pause_reason = models.CharField(_("reason of the pause"), max_length=300, blank=True)
    cancel_reason = models.CharField(_("reason of the cancellation"), max_length=300, blank=True)
    reopened = models.BooleanField(_("reopened"), default=False)
    reopened_order = models.ForeignKey(
        "orders.Order",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("reopened by order"),
    )
    invalid_address = models.BooleanField(_("invalid address"), default=False)
    offer_link = models.ForeignKey(
        "payments.PaymentLink", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    opened_at = models.DateTimeField(_("opened at"))
    updated_at = models.DateTimeField(auto_now=True)
    # The board's cache of the open total (``amounts.refresh_open_amounts``; see the docstring
    # of ``amounts``): the derived figure as of the day it was computed, for filtering and
    # sorting a million claims by an index. It holds before ``open_amount_until`` (NULL: not
    # computed yet) and while no open invoice installment is past ``open_amount_invoice_due``;
    # ``check-data`` compares it with the derived value. Never shown or used as the amount owed.
    open_amount = money(_("open amount (cached)"), default=0, editable=False)
    open_amount_until = models.DateField(null=True, blank=True, editable=False)
    open_amount_invoice_due = models.DateField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-opened_at", "-id"]
        verbose_name = _("claim")
        verbose_name_plural = _("claims")
        constraints = [
            # One claim per order while it is not finished: a later miss adds to it.
            models.UniqueConstraint(
                fields=["order"],
                condition=Q(status__in=UNFINISHED_STATES),
                name="claim_one_unfinished_per_order",
            ),
            models.CheckConstraint(
                condition=(Q(first_letter_on__isnull=True) | Q(second_letter_on__isnull=True))
                | Q(first_letter_on__lte=models.F("second_letter_on")),
                name="claim_letters_in_order",
            ),
            models.CheckConstraint(
                condition=Q(second_letter_on__isnull=True)
                | Q(incasso_on__isnull=True)
                | Q(second_letter_on__lte=models.F("incasso_on")),
                name="claim_handover_after_letters",
            ),
            models.CheckConstraint(
                condition=Q(status_before_block="") | Q(status=ClaimStatus.BLOCKED),
                name="claim_came_from_only_when_blocked",
            ),
        ]
        indexes = [
            models.Index(fields=["vendor", "status"], name="claim_vendor_status"),
            models.Index(fields=["status", "overdue_since"], name="claim_status_overdue"),
            # The board's default order (most days overdue first, ties by id): page 1 is read
            # in index order, for everyone and for one vendor.
            models.Index(fields=["overdue_since", "id"], name="claim_overdue_id"),
            models.Index(fields=["vendor", "overdue_since", "id"], name="claim_vendor_overdue_id"),
            # The open amount filter and sort (the cached column), for everyone and per vendor.
            # With the status, the pager counts an amount range among the claims in progress
            # from the index alone (SQLite read 10,000 claims' rows for it: 24 ms).
            models.Index(fields=["open_amount", "id", "status"], name="claim_open_amount_status"),
            models.Index(fields=["vendor", "open_amount", "id"], name="claim_vendor_open_amount"),
            # The sort by order number, for everyone and per vendor.
            models.Index(fields=["order_number", "id"], name="claim_order_number_id"),
            models.Index(fields=["vendor", "order_number", "id"], name="claim_vendor_order_number"),
            # Waiting for the vendor (``services.waiting_for_vendor``): review or approval; few
            # of a million, counted for the claims list's tab and the start page.
            models.Index(
                fields=["vendor", "opened_at"],
                name="claim_waiting_for_vendor",
                condition=Q(status="open", dunning_started_on__isnull=True) | Q(status="on_hold"),
            ),
            # The rows whose cache time has run out (``amounts.stale_q``): only the few with a
            # change to come or not computed yet (most hold for good: ``amounts.FOREVER``).
            models.Index(
                fields=["open_amount_until"],
                name="claim_open_amount_until",
                condition=Q(open_amount_until__isnull=True) | Q(open_amount_until__lt=date.max),
            ),
            models.Index(
                fields=["open_amount_invoice_due"],
                name="claim_open_amount_invoice",
                condition=Q(open_amount_invoice_due__isnull=False),
            ),
        ]

    def __str__(self):
        return f"#{self.pk} {self.order_id} {self.status}"

    def get_absolute_url(self):
        return reverse("claims:detail", args=[self.pk])

    vendor_scope = staticmethod(vendor_q("vendor"))

    @staticmethod
    def customer_scope(user_id):
        return Q(customer__user_id=user_id)

    @property
    def waits_for_review(self):
        return self.status == ClaimStatus.OPEN and self.dunning_started_on is None


class EntryKind(models.TextChoices):
    INTEREST = "interest", _("default interest")
    DUNNING_FEE = "dunning_fee", _("dunning fee")
    FLAT_FEE = "flat_fee", _("flat fee § 288 (5) BGB")
    PAID_COSTS = "paid_costs", _("payment on costs")
    PAID_INTEREST = "paid_interest", _("payment on interest")


# Kinds booked once per claim and level (a re-run never books them twice).
BOOKED_ONCE = (EntryKind.INTEREST, EntryKind.DUNNING_FEE)


class ClaimEntry(models.Model):
    """A dated line of the claim's ledger: interest and fees owed (positive), the parts of a
    payment applied to costs and interest under § 367 BGB (negative)."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="entries")
    kind = models.CharField(_("kind"), max_length=16, choices=EntryKind.choices)
    # The dunning level it was booked with (1, 2, 3 = handover); None for payments.
    level = models.PositiveSmallIntegerField(null=True, blank=True)
    on = models.DateField(_("date"))
    amount = money(_("amount"))
    # Interest: {"through": date, "pieces": [...], "provisional": bool}; payments: the link.
    details = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["on", "id"]
        verbose_name = _("ledger entry")
        constraints = [
            models.UniqueConstraint(
                fields=["claim", "kind", "level"],
                condition=Q(kind__in=BOOKED_ONCE),
                name="claim_entry_once_per_level",
            ),
            # The 40 EUR flat fee: once per claim, whatever the level that charged it.
            models.UniqueConstraint(
                fields=["claim"],
                condition=Q(kind=EntryKind.FLAT_FEE),
                name="claim_flat_fee_once",
            ),
        ]

    def __str__(self):
        return f"{self.claim_id} {self.kind} {self.amount}"

    @staticmethod
    def vendor_scope(vendor_id):
        return Q(claim__vendor_id=vendor_id)


class DunningRun(models.Model):
    """One dunning run: as of which day, for which vendor, what it did."""

    as_of = models.DateField(_("as of"))
    vendor = models.ForeignKey(
        "vendors.Vendor", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    dry_run = models.BooleanField(_("dry run"), default=False)
    actor_label = models.CharField(max_length=150)
    started_at = models.DateTimeField(_("started at"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # {"opened": n, "letters_1": n, "letters_2": n, "handovers": n, "on_hold": n, ...}
    summary = models.JSONField(default=dict)
    print_file = models.FileField(upload_to="dunning/runs/", blank=True, max_length=300)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("dunning run")

    def __str__(self):
        return f"{self.as_of} ({self.pk})"

    def get_absolute_url(self):
        return reverse("claims:run", args=[self.pk])

    @staticmethod
    def vendor_scope(vendor_id):
        return Q(vendor_id=vendor_id)


class DeliveryState(models.TextChoices):
    PENDING = "pending", _("pending")
    QUEUED = "queued", _("handed to the outbox")
    NO_EMAIL = "no_email", _("no email address")


def letter_path(instance, filename):
    return f"dunning/letters/{instance.claim_id}/{filename}"


class Letter(models.Model):
    """A dunning letter (level 1 or 2): what it demanded, its PDF and its email."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="letters")
    level = models.PositiveSmallIntegerField(_("level"))
    on = models.DateField(_("date"))
    run = models.ForeignKey(
        DunningRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="letters"
    )
    principal = money(_("open principal"))
    costs = money(_("costs"))
    interest = money(_("interest"))
    fees = money(_("fees"))
    total = money(_("total"))
    deadline = models.DateField(_("payment deadline"))
    language = models.CharField(max_length=8, default="de")
    pdf = models.FileField(upload_to=letter_path, blank=True, max_length=300)
    rendered_at = models.DateTimeField(null=True, blank=True)
    email_state = models.CharField(
        max_length=10, choices=DeliveryState.choices, default=DeliveryState.PENDING
    )
    emailed_at = models.DateTimeField(null=True, blank=True)
    # The email in the customer's outbox (its state: queued, sent, failed).
    message = models.ForeignKey(
        "customers.Message", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["claim", "level"]
        verbose_name = _("dunning letter")
        constraints = [
            models.UniqueConstraint(fields=["claim", "level"], name="letter_once_per_level"),
            models.CheckConstraint(condition=Q(level__in=[1, 2]), name="letter_level_1_or_2"),
        ]
        indexes = [
            models.Index(
                fields=["id"], name="letter_not_rendered", condition=Q(rendered_at__isnull=True)
            )
        ]

    def __str__(self):
        return f"{self.claim_id}/{self.level}"

    @staticmethod
    def vendor_scope(vendor_id):
        return Q(claim__vendor_id=vendor_id)

    @staticmethod
    def customer_scope(user_id):
        return Q(claim__customer__user_id=user_id)


class Visibility(models.TextChoices):
    INTERNAL = "internal", _("internal (support only)")
    VENDOR = "vendor", _("for the vendor and the agency")


class ClaimComment(models.Model):
    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="comments")
    visibility = models.CharField(_("visibility"), max_length=10, choices=Visibility.choices)
    text = models.TextField(_("comment"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    author_label = models.CharField(max_length=150)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("comment")

    def __str__(self):
        return self.text[:50]

    @staticmethod
    def vendor_scope(vendor_id):
        # A vendor never sees internal support comments.
        return Q(claim__vendor_id=vendor_id, visibility=Visibility.VENDOR)


class LetterTemplate(models.Model):
    """The words of a dunning letter an operator admin may change (subject, opening and closing
    paragraph) per level and language; the amounts, the interest pieces, the deadline, the
    payment link and the GiroCode are always the letter's own. ``{placeholders}`` are filled
    from the claim (``letters.PLACEHOLDERS``)."""

    level = models.PositiveSmallIntegerField(_("level"))
    language = models.CharField(_("language"), max_length=8)
    subject = models.CharField(_("subject"), max_length=200)
    intro = models.TextField(_("opening paragraph"))
    closing = models.TextField(_("closing paragraph"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("letter template")
        constraints = [
            models.UniqueConstraint(fields=["level", "language"], name="letter_template_once"),
            models.CheckConstraint(condition=Q(level__in=[1, 2]), name="letter_template_level"),
        ]

    def __str__(self):
        return f"{self.level}/{self.language}"
