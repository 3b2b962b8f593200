"""Possible duplicates ("Dubletten"): two customer numbers that look like the same person."""

from django.db import models
from django.db.models import F, Q


class DuplicatePair(models.Model):
    """A suggested pair, kept so the "Dubletten" page can list them; ``a`` has the lower id.

    Refreshed whenever one of the two customers' master data is saved. A dismissed pair stays
    (``dismissed_at``) so it is never suggested again."""

    a = models.ForeignKey("customers.Customer", on_delete=models.CASCADE, related_name="+")
    b = models.ForeignKey("customers.Customer", on_delete=models.CASCADE, related_name="+")
    # [{"attribute": "email" | "phone" | "iban" | "name+address" | "name+birth_date", "score"}]
    reasons = models.JSONField(default=list)
    score = models.FloatField(default=0)
    found_at = models.DateTimeField(auto_now=True)
    dismissed_at = models.DateTimeField(null=True, blank=True)
    dismissed_by_label = models.CharField(max_length=150, blank=True)

    class Meta:
        ordering = ["-score", "-found_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["a", "b"], name="duplicate_pair_once"),
            models.CheckConstraint(condition=Q(a__lt=F("b")), name="duplicate_pair_ordered"),
        ]
        indexes = [
            models.Index(
                fields=["-score", "-found_at"],
                name="duplicate_pair_open",
                condition=Q(dismissed_at__isnull=True),
            ),
            models.Index(fields=["b"], name="duplicate_pair_b"),
        ]

    def __str__(self):
        return f"{self.a_id} ~ {self.b_id}"
