from functools import cache

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from standing.core import rawsql


class BlockStatus(models.TextChoices):
    """The recorded lifecycle of a block (see ``services.TRANSITIONS``).

    ``active`` means "not yet ended by an event": whether the block blocks at a given moment
    is computed from its times (``active_q``), so a timed block whose end has passed stops
    blocking at once, and becomes ``expired`` when the tick writes its expiry to the log.
    """

    ACTIVE = "active", _("active")
    LIFTED = "lifted", _("lifted")
    EXPIRED = "expired", _("expired")


class BlockState(models.TextChoices):
    """What a block is at a moment, as staff and the API see it."""

    SCHEDULED = "scheduled", _("scheduled")
    ACTIVE = "active", _("active")
    EXPIRED = "expired", _("expired")
    LIFTED = "lifted", _("lifted")


class BlockReason(models.Model):
    """The configurable reason list ("Sperrgrund"); SPEC §10's codes come from migration 0002."""

    code = models.SlugField(max_length=40, unique=True)
    label = models.CharField(_("label"), max_length=100)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["label"]

    def __str__(self):
        return self.label


class Block(models.Model):
    """A block ("Sperre") of a customer from ``starts_at`` until ``ends_at`` (None: indefinite).

    Whether it blocks is computed from the current time, so a timed block stops blocking at its
    end for every check, before any job has run. ``lifted_at`` ends it early (manual unblock).
    """

    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.CASCADE, related_name="blocks"
    )
    reason = models.ForeignKey(BlockReason, on_delete=models.PROTECT, verbose_name=_("reason"))
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("staff"),
    )
    note = models.TextField(_("note"), blank=True)
    starts_at = models.DateTimeField(_("since"))
    ends_at = models.DateTimeField(_("until"), null=True, blank=True)
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    lift_reason = models.TextField(blank=True)
    # Set once the system has written the expiry into the activity log.
    expiry_logged_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=BlockStatus.choices, default=BlockStatus.ACTIVE
    )
    # sha256 of a legacy CSV row, so importing the same file twice adds nothing.
    legacy_key = models.CharField(max_length=64, null=True, blank=True, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_at", "-id"]
        indexes = [
            models.Index(fields=["customer", "lifted_at", "ends_at"], name="block_customer_active"),
            models.Index(
                fields=["ends_at"],
                name="block_expiry_due",
                condition=Q(status=BlockStatus.ACTIVE, ends_at__isnull=False),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gt=models.F("starts_at")),
                name="block_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(status=BlockStatus.LIFTED, lifted_at__isnull=False)
                | (~Q(status=BlockStatus.LIFTED) & Q(lifted_at__isnull=True)),
                name="block_lifted_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(status=BlockStatus.EXPIRED)
                | Q(ends_at__isnull=False, expiry_logged_at__isnull=False),
                name="block_expired_has_end",
            ),
        ]

    def __str__(self):
        return f"{self.customer_id}: {self.reason} {self.starts_at:%Y-%m-%d}–{self.ends_at or '∞'}"

    @staticmethod
    def active_q(now):
        """The blocks that block at ``now``."""
        return Q(starts_at__lte=now, lifted_at__isnull=True) & (
            Q(ends_at__isnull=True) | Q(ends_at__gt=now)
        )

    def is_active(self, now):
        return (
            self.starts_at <= now
            and self.lifted_at is None
            and (self.ends_at is None or self.ends_at > now)
        )

    def state_at(self, now) -> BlockState:
        if self.status == BlockStatus.LIFTED:
            return BlockState.LIFTED
        if self.ends_at is not None and self.ends_at <= now:
            return BlockState.EXPIRED
        if self.starts_at > now:
            return BlockState.SCHEDULED
        return BlockState.ACTIVE


def blocked_exists(now):
    """A subquery expression: the outer customer has a block active at ``now``."""
    return Exists(Block.objects.filter(Block.active_q(now), customer=OuterRef("pk")))


class CustomerBlocks:
    """The blocks' part of a customer's standing (registered with customers.standing)."""

    def ends_of_active(self, customer, now):
        # Unordered: the standing takes the latest end (or none), whatever the order.
        return list(
            Block.objects.filter(Block.active_q(now), customer_id=customer.pk)
            .order_by()
            .values_list("ends_at", flat=True)
        )

    def active_ends(self, customer_ids, now):
        return (
            Block.objects.filter(Block.active_q(now), customer_id__in=customer_ids)
            .order_by()
            .values_list("customer_id", "ends_at")
        )

    def blocked_customers(self, now):
        return Block.objects.filter(Block.active_q(now)).values("customer_id")

    def blocked_q(self, now):
        return Q(blocked_exists(now))

    def active_ends_join(self, now):
        at = rawsql.prepare(Block._meta.get_field("starts_at"), now)
        return *_active_ends_join(), [at, at]

    def end(self, value):
        return rawsql.convert(Block._meta.get_field("ends_at"), value)


@cache
def _active_ends_join():
    # Block.active_q, written out; a test compares it with the ORM's answer.
    q, b = rawsql.quote, rawsql.quote("active_block")
    block = Block._meta
    customer = block.get_field("customer")
    starts, ends, lifted = (
        q(block.get_field(f).column) for f in ("starts_at", "ends_at", "lifted_at")
    )
    join = (
        f"LEFT OUTER JOIN {q(block.db_table)} {b}"
        f" ON {b}.{q(customer.column)} = {q('c')}.{q(customer.target_field.column)}"
        f" AND {b}.{starts} <= %s AND {b}.{lifted} IS NULL"
        f" AND ({b}.{ends} IS NULL OR {b}.{ends} > %s)"
    )
    return join, f"{b}.{q(block.pk.column)}, {b}.{ends}"
