"""The deny list ("Abgelehnt-Liste") and the screening results with their evidence."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from . import keys


class DenyEntry(models.Model):
    """One person or identifier on the deny list. Any attribute may be empty; the normalised
    keys beside them are what matching looks up (each behind an index)."""

    first_name = models.CharField(_("first name"), max_length=100, blank=True)
    last_name = models.CharField(_("last name"), max_length=100, blank=True)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    email = models.CharField(_("email"), max_length=254, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    iban = models.CharField(_("IBAN"), max_length=34, blank=True)
    street = models.CharField(_("street and number"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=10, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    country = models.CharField(_("country"), max_length=2, blank=True, default="DE")
    document_number = models.CharField(_("ID document number"), max_length=40, blank=True)
    note = models.TextField(_("note"), blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_by_label = models.CharField(_("added by"), max_length=150, blank=True)
    # "bench" marks synthetic entries of `standing screening bench`, so they can be told apart.
    source = models.CharField(max_length=20, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    name_key = models.CharField(max_length=220, editable=False, default="")
    email_key = models.CharField(max_length=254, editable=False, default="")
    phone_key = models.CharField(max_length=32, editable=False, default="")
    iban_key = models.CharField(max_length=34, editable=False, default="")
    address_key = models.CharField(max_length=240, editable=False, default="")
    document_key = models.CharField(max_length=40, editable=False, default="")

    class Meta:
        ordering = ["-id"]
        # Plain B-tree indexes of the keys matching looks up by equality (and the email
        # search by range), none on ``name_key`` alone: matching reaches names through the
        # birth date, the staff search through the trigram index (PostgreSQL, migration 0002).
        # Declared here, not as ``db_index``, so PostgreSQL gets no second ``…_like``
        # (varchar_pattern_ops) index per column that no query uses: every index is paid
        # for by every row an import writes.
        indexes = [
            # Matching by birth date scores the day's names from this index alone (a
            # registration read some 40 entries' rows for it, 5 ms where they were not cached).
            models.Index(fields=["birth_date", "name_key", "id"], name="denyentry_birth_name"),
            models.Index(fields=["email_key"], name="denyentry_email_key"),
            models.Index(fields=["phone_key"], name="denyentry_phone_key"),
            models.Index(fields=["iban_key"], name="denyentry_iban_key"),
            models.Index(fields=["address_key"], name="denyentry_address_key"),
            models.Index(fields=["document_key"], name="denyentry_document_key"),
            models.Index(fields=["source"], name="denyentry_source"),
        ]
        verbose_name = _("deny-list entry")
        verbose_name_plural = _("deny list")

    def __str__(self):
        return self.display_name or self.email or self.phone or self.iban or f"#{self.pk}"

    def save(self, *args, **kwargs):
        self.compute_keys()
        super().save(*args, **kwargs)

    @property
    def display_name(self):
        return f"{self.first_name} {self.last_name}".strip()

    def compute_keys(self):
        self.name_key = keys.name_key(self.first_name, self.last_name)
        self.email_key = keys.email_key(self.email)
        self.phone_key = keys.phone_key(self.phone)
        self.iban_key = keys.iban_key(self.iban)
        self.address_key = keys.address_key(self.street, self.postal_code, self.country)
        self.document_key = keys.document_key(self.document_number)


class CustomerKeys(models.Model):
    """The customer's normalised keys, so that a new deny-list entry finds the customers it
    matches through indexes (the reverse direction of matching). Kept by a post_save hook."""

    customer = models.OneToOneField(
        "customers.Customer", on_delete=models.CASCADE, related_name="screening_keys"
    )
    birth_date = models.DateField(null=True, db_index=True)
    email_key = models.CharField(max_length=254, db_index=True, default="")
    phone_key = models.CharField(max_length=32, db_index=True, default="")
    iban_key = models.CharField(max_length=34, db_index=True, default="")
    address_key = models.CharField(max_length=240, db_index=True, default="")
    document_key = models.CharField(max_length=40, db_index=True, default="")

    def __str__(self):
        return f"keys of {self.customer_id}"


class Trigger(models.TextChoices):
    REGISTRATION = "registration", _("registration")
    MANUAL = "manual", _("re-run by staff")
    DENYLIST = "denylist", _("deny list changed")


class Outcome(models.TextChoices):
    PASSED = "passed", _("passed")
    DENIED = "denied", _("denied")
    HELD = "held", _("held for a person")
    REVIEW = "review", _("new hits for review")
    NO_CHANGE = "no_change", _("no new hits")


class Screening(models.Model):
    """One run of the checks for one customer, with the credit answer."""

    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.CASCADE, related_name="screenings"
    )
    trigger = models.CharField(max_length=20, choices=Trigger.choices)
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    credit_provider = models.CharField(max_length=40, blank=True)
    credit_score = models.IntegerField(null=True, blank=True)
    credit_decision = models.CharField(max_length=10, blank=True)
    credit_reasons = models.JSONField(default=list, blank=True)
    actor_label = models.CharField(max_length=150)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["outcome", "customer"], name="screening_outcome_customer")]

    def __str__(self):
        return f"{self.customer_id} {self.trigger} {self.outcome}"

    @property
    def credit_decision_label(self):
        return CREDIT_DECISIONS.get(self.credit_decision, self.credit_decision)


class ReasonKind(models.TextChoices):
    CREDIT = "credit", _("credit check")
    DENYLIST = "denylist", _("deny list")
    PAYMENT_FAILED = "payment_failed", _("initial payment failed")


# What staff read for a reason and its attribute (the codes stay in the API and the export).
REASON_LABELS = {
    "credit": _("Credit rating"),
    "denylist": _("Deny list"),
    "payment_failed": _("Initial payment failed"),
}
ATTRIBUTE_LABELS = {
    "email": _("email"),
    "phone": _("phone"),
    "iban": _("IBAN"),
    "document_number": _("ID document number"),
    "address": _("address"),
    "name": _("name"),
    "birth_date": _("birth date"),
    "initial_payment": _("initial payment"),
}
# The credit bureau's decision, as staff read it.
CREDIT_DECISIONS = {"pass": _("passed"), "fail": _("failed"), "error": _("no answer")}


class FindingState(models.TextChoices):
    ACTIVE = "active", _("denies")
    REVIEW = "review", _("to review")
    CONFIRMED = "confirmed", _("confirmed by staff")
    CLEARED = "cleared", _("not a match")


# States in which a finding is a reason of the customer's denial.
DENYING = [FindingState.ACTIVE, FindingState.CONFIRMED]


class Finding(models.Model):
    """A denial reason with its evidence: which check, which attribute, which entry, what
    score. Staff only; never part of any answer to a customer or an integration."""

    screening = models.ForeignKey(Screening, on_delete=models.CASCADE, related_name="findings")
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.CASCADE, related_name="findings"
    )
    kind = models.CharField(max_length=20, choices=ReasonKind.choices)
    attribute = models.CharField(max_length=80)
    detail = models.CharField(max_length=300, blank=True)
    entry = models.ForeignKey(DenyEntry, null=True, blank=True, on_delete=models.SET_NULL)
    score = models.FloatField(null=True, blank=True)
    state = models.CharField(max_length=10, choices=FindingState.choices)
    decided_by_label = models.CharField(max_length=150, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["state", "customer"], name="finding_state_customer"),
            models.Index(fields=["customer", "kind"], name="finding_customer_kind"),
        ]

    def __str__(self):
        return self.label

    @property
    def label(self):
        """ "denylist: email", "credit: score 312 < 400", "payment_failed: initial_payment"."""
        return f"{self.kind}: {self.attribute}"

    @property
    def display_label(self):
        """The label staff read: "Bonität: Score 312 < 400", "Abgelehnt-Liste: E-Mail (100 %)".
        The codes (``label``) stay in the API."""
        kind = REASON_LABELS.get(self.kind, self.kind)
        if self.kind == ReasonKind.CREDIT and self.attribute.startswith("score "):
            attribute = _("Score %(figures)s") % {"figures": self.attribute.removeprefix("score ")}
        else:
            attribute = " + ".join(
                str(ATTRIBUTE_LABELS.get(part, part)) for part in self.attribute.split("+")
            )
        text = f"{kind}: {attribute}"
        if self.kind == ReasonKind.DENYLIST and self.score is not None:
            text += f" ({self.score:.0f}\u00a0%)"
        return text


class ClearedMatch(models.Model):
    """Staff said "not a match": this entry never denies this customer again."""

    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.CASCADE, related_name="cleared_matches"
    )
    entry = models.ForeignKey(DenyEntry, on_delete=models.CASCADE, related_name="cleared")
    cleared_by_label = models.CharField(max_length=150)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["customer", "entry"], name="cleared_match_once")
        ]

    def __str__(self):
        return f"{self.customer_id} ≠ {self.entry_id}"
