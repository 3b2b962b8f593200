from django.conf import settings
from django.db import connection, models


class Sequence(models.Model):
    """Gapless counters (customer numbers, invoice numbers per year) kept in the database."""

    key = models.CharField(max_length=64, unique=True)
    last = models.BigIntegerField(default=0)

    def __str__(self):
        return f"{self.key}={self.last}"


def next_value(key: str) -> int:
    """The next number of ``key``; call inside the transaction that uses it, so a rollback
    gives the number back and the series stays without gaps."""
    # An atomic increment that answers with the new value (one statement: safe under
    # concurrency on PostgreSQL and on SQLite, both of which know RETURNING).
    table, quote = Sequence._meta.db_table, connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {quote(table)} SET {quote('last')} = {quote('last')} + 1 "
            f"WHERE {quote('key')} = %s RETURNING {quote('last')}",
            [key],
        )
        row = cursor.fetchone()
    if row is None:  # the first number of its series
        Sequence.objects.get_or_create(key=key)
        return next_value(key)
    return row[0]


class StateTransition(models.Model):
    """One state change of one object, written by ``core.lifecycle`` in the transaction that
    made it: which lifecycle, which object, from, to, who, when and why."""

    lifecycle = models.CharField(max_length=40)
    object_type = models.CharField(max_length=80)  # the model's label, "orders.order"
    object_id = models.CharField(max_length=40)
    from_state = models.CharField(max_length=40)
    to_state = models.CharField(max_length=40)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(max_length=150)
    at = models.DateTimeField()
    reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [
            models.Index(fields=["lifecycle", "object_id", "at"], name="transition_object_time")
        ]

    def __str__(self):
        return f"{self.lifecycle} {self.object_id}: {self.from_state} → {self.to_state}"
