from django.db import models
from django.db.models import F


class Sequence(models.Model):
    """Gapless counters (customer numbers, invoice numbers per year) kept in the database."""

    key = models.CharField(max_length=64, unique=True)
    last = models.BigIntegerField(default=0)

    def __str__(self):
        return f"{self.key}={self.last}"


def next_value(key: str) -> int:
    """The next number of ``key``; call inside the transaction that uses it, so a rollback
    gives the number back and the series stays without gaps."""
    Sequence.objects.get_or_create(key=key)
    # An atomic increment: safe under concurrency on PostgreSQL and on SQLite.
    Sequence.objects.filter(key=key).update(last=F("last") + 1)
    return Sequence.objects.values_list("last", flat=True).get(key=key)
