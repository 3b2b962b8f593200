from django.core.paginator import Paginator
from django.db import connection
from django.utils.functional import cached_property

# Below this many rows an exact COUNT(*) is cheap enough.
ESTIMATE_ABOVE = 100_000


class EstimatingPaginator(Paginator):
    """For the UI: an unfiltered list of a big table on PostgreSQL counts from the planner's
    statistics (``pg_class.reltuples``) instead of a COUNT(*) over a million rows.
    ``estimated`` tells the template to show "≈".

    ``cap`` (optional) bounds the count of a filtered list, which no statistics answer: the
    database counts at most ``cap + 1`` matching rows (``COUNT(*)`` over a ``LIMIT``), so
    "status paid" over three million orders reads ten thousand rows, not 1.5 million. When
    more rows match, ``count`` is ``cap``, ``capped`` is set and the template says "more
    than" (the pages stop at the cap: narrow the filter to go further)."""

    estimated = False
    capped = False

    def __init__(self, object_list, per_page, *args, cap=None, **kwargs):
        super().__init__(object_list, per_page, *args, **kwargs)
        self.cap = cap

    @cached_property
    def count(self):
        queryset = self.object_list
        if not hasattr(queryset, "query"):  # a list
            return super().count
        if connection.vendor == "postgresql" and not queryset.query.where:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass",
                    [queryset.model._meta.db_table],
                )
                estimate = cursor.fetchone()[0]
            if estimate > ESTIMATE_ABOVE:
                self.estimated = True
                return estimate
        if self.cap is not None:
            # COUNT(*) over (SELECT … LIMIT cap + 1): stops at the cap (no ORDER BY to sort).
            found = queryset.order_by()[: self.cap + 1].count()
            if found > self.cap:
                self.capped = True
                return self.cap
            return found
        return super().count
