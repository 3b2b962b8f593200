"""The one paginator of the lists over big tables (customers, orders, claims, the board)."""

import json

from django.core.exceptions import EmptyResultSet, FullResultSet
from django.core.paginator import Paginator
from django.db import connection
from django.utils.functional import cached_property

from . import planner

# Below this many rows an exact COUNT(*) of a whole table is cheap enough.
ESTIMATE_ABOVE = 100_000
# A filtered list with a cap counts exactly up to this many matching rows by default.
EXACT_UP_TO = 10_000
# On PostgreSQL no further than this: counting 10,000 rows there took 20-70 ms of a page's
# time at a million rows (SQLite counts them from an index in a few), and beyond it the
# planner's estimate serves as well.
POSTGRES_EXACT_UP_TO = 1_000


def planner_rows(queryset) -> int:
    """PostgreSQL's estimate of the rows ``queryset`` returns (``EXPLAIN``), without running it."""
    # Only the ids: the estimate is the same, planning the page's joined columns is not free.
    sql, params = queryset.order_by().values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    return int(plan[0]["Plan"]["Plan Rows"])


def capped_count(queryset, cap, remember=False) -> int:
    """``COUNT(*)`` of at most ``cap + 1`` of ``queryset``'s rows (a ``LIMIT``, no order).

    ``remember``: the count stays with the queryset and those made from it (an order, the ids),
    so that the same filter is not counted twice in one request (the board's amount range
    counts to tell a broad range, and its pager needs that count again: 15 ms each at a
    million claims on SQLite). Only a count of the same filter is taken: the key is the
    statement's WHERE with its values."""
    query = queryset.query
    memo = query.__dict__.get("_capped_counts")
    if memo is None and not remember:
        return queryset.order_by()[: cap + 1].count()
    try:
        where, params = query.get_compiler(queryset.db).compile(query.where)
    except EmptyResultSet:
        return 0
    except FullResultSet:
        where, params = "", ()
    key = (query.model._meta.label, where, tuple(params), query.distinct, cap)
    if memo is None:
        # Shared with every clone made from here on (``Query.clone`` copies its attributes).
        memo = query.__dict__["_capped_counts"] = {}
    if key not in memo:
        memo[key] = queryset.order_by()[: cap + 1].count()
    return memo[key]


class EstimatingPaginator(Paginator):
    """For the UI and the API, so that no page counts a million rows:

    - an unfiltered list of a big table counts from the planner's statistics
      (``core.planner.table_rows``), ``estimated`` ("≈" in the pager);
    - a filtered list with a ``cap`` counts at most ``cap + 1`` matching rows (``COUNT(*)`` over
      a ``LIMIT``, without the page's order, so any index that answers the filter will do).
      Up to the cap (on PostgreSQL at most ``POSTGRES_EXACT_UP_TO``) the count is exact.
      Beyond it, on PostgreSQL, the planner's estimate for the filter (``EXPLAIN``),
      ``estimated``; on other databases the count is the cap, ``capped`` ("more than" in the
      pager; the pages stop there: narrow the filter);
    - anything else counts exactly."""

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
        if not queryset.query.where and not queryset.query.combinator:
            estimate = planner.table_rows(queryset.model._meta.db_table)
            if estimate and estimate > ESTIMATE_ABOVE:
                self.estimated = True
                return estimate
            return super().count
        if self.cap is None:
            return super().count
        cap = self.cap
        if connection.vendor == "postgresql":
            cap = min(cap, POSTGRES_EXACT_UP_TO)
        found = capped_count(queryset, cap)
        if found <= cap:
            return found
        if connection.vendor == "postgresql":
            self.estimated = True
            return max(planner_rows(queryset), found)
        self.capped = True
        return self.cap

    @property
    def exact(self):
        return not (self.estimated or self.capped)
