from django.core.paginator import Paginator
from django.db import connection
from django.utils.functional import cached_property

# Below this many rows an exact COUNT(*) is cheap enough.
ESTIMATE_ABOVE = 100_000


class EstimatingPaginator(Paginator):
    """For the UI: an unfiltered list of a big table on PostgreSQL counts from the planner's
    statistics (``pg_class.reltuples``) instead of a COUNT(*) over a million rows.
    ``estimated`` tells the template to show "≈"."""

    estimated = False

    @cached_property
    def count(self):
        queryset = self.object_list
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
        return super().count
