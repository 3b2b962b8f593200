from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .display import changes_in_words


class ActivityRecord(models.Model):
    """One line of a customer's history: who did what, when, and the values before and after.

    Written explicitly by the service that makes the change, in the same transaction; never
    by signals (``QuerySet.update()`` and ``bulk_create()`` would bypass them).
    """

    customer = models.ForeignKey(
        "customers.Customer",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="activity",
    )
    # Null for the system (expiries, scheduled work).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    actor_label = models.CharField(max_length=150)
    action = models.CharField(_("action"), max_length=64)
    summary = models.CharField(_("summary"), max_length=300)
    before = models.JSONField(default=dict, blank=True)
    after = models.JSONField(default=dict, blank=True)
    # Only staff may see internal records (screening evidence, reasons).
    internal = models.BooleanField(default=False)
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["customer", "-created_at"], name="activity_customer_time")]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_label}: {self.summary}"

    def changes(self):
        """(field, before, after) for every key that differs."""
        keys = list(dict.fromkeys([*self.before, *self.after]))
        return [
            (k, self.before.get(k), self.after.get(k))
            for k in keys
            if self.before.get(k) != self.after.get(k)
        ]

    def changes_in_words(self):
        """``changes()`` with field labels, localised dates and amounts, status labels."""
        return changes_in_words(self)
