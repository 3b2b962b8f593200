from django.db import connection

from standing.core import pagination
from standing.core.pagination import EstimatingPaginator
from standing.customers.models import Customer


def test_small_or_filtered_lists_count_exactly(customer_factory):
    for _ in range(3):
        customer_factory()
    paginator = EstimatingPaginator(Customer.objects.all(), 2)
    assert paginator.count == 3 and not paginator.estimated
    filtered = EstimatingPaginator(Customer.objects.filter(status="active"), 2)
    assert filtered.count == 0 and not filtered.estimated


def test_big_unfiltered_list_counts_from_the_statistics(customer_factory, monkeypatch):
    for _ in range(3):
        customer_factory()
    monkeypatch.setattr(pagination, "ESTIMATE_ABOVE", 2)
    # Without statistics (a new SQLite database): counted.
    if connection.vendor == "sqlite":
        paginator = EstimatingPaginator(Customer.objects.all(), 2)
        assert paginator.count == 3 and not paginator.estimated
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE customers_customer")
    for _ in range(2):
        customer_factory()
    # With them, on either database: the analysed size, marked as an estimate, not counted.
    paginator = EstimatingPaginator(Customer.objects.all(), 2)
    assert (paginator.count, paginator.estimated) == (3, True)
    # A list no bigger than ESTIMATE_ABOVE counts exactly.
    monkeypatch.setattr(pagination, "ESTIMATE_ABOVE", 100)
    paginator = EstimatingPaginator(Customer.objects.all(), 2)
    assert (paginator.count, paginator.estimated) == (5, False)


def test_a_filtered_list_counts_up_to_its_cap(customer_factory, django_assert_num_queries):
    for _ in range(5):
        customer_factory()
    filtered = Customer.objects.filter(status=Customer.objects.first().status)
    capped = EstimatingPaginator(filtered, 2, cap=3)
    if connection.vendor == "postgresql":
        # Beyond the cap: the planner's estimate for the filter (one EXPLAIN more).
        with django_assert_num_queries(2):
            assert capped.count >= 4 and capped.estimated and not capped.capped
    else:
        with django_assert_num_queries(1):  # COUNT(*) over a LIMIT 4, once
            assert capped.count == 3 and capped.capped and not capped.estimated
            assert capped.num_pages == 2
    exact = EstimatingPaginator(filtered, 2, cap=5)
    assert exact.count == 5 and not exact.capped
    assert EstimatingPaginator(filtered, 2).count == 5  # without a cap: exact, as before


def test_the_pager_says_more_than_when_capped(rf):
    from django.template.loader import render_to_string

    paginator = EstimatingPaginator(list(range(10)), 2)
    paginator.capped = True
    html = render_to_string(
        "core/_pagination.html", {"page": paginator.page(1), "total": "4"}, request=rf.get("/")
    )
    assert "more than 4" in html


def test_postgresql_counts_exactly_only_up_to_its_own_limit(customer_factory, monkeypatch):
    for _ in range(5):
        customer_factory()
    filtered = Customer.objects.filter(status=Customer.objects.first().status)
    monkeypatch.setattr(pagination, "POSTGRES_EXACT_UP_TO", 2)
    paginator = EstimatingPaginator(filtered, 2, cap=4)
    count = paginator.count
    if connection.vendor == "postgresql":
        # Three rows found beyond two: the planner's estimate, never less than what was found.
        assert paginator.estimated and count >= 3
    else:  # SQLite counts up to the list's own cap
        assert paginator.capped and count == 4
        assert EstimatingPaginator(filtered, 2, cap=10).count == 5


def test_a_remembered_count_is_not_run_again_for_the_same_filter(
    customer_factory, django_assert_num_queries
):
    for _ in range(4):
        customer_factory()
    status = Customer.objects.first().status
    filtered = Customer.objects.filter(status=status)
    with django_assert_num_queries(1):
        assert pagination.capped_count(filtered, 10, remember=True) == 4
        # The same filter, ordered or as ids (what a pager counts): remembered.
        ids = filtered.order_by("-id").values_list("pk", flat=True)
        assert pagination.capped_count(ids, 10) == 4
        assert EstimatingPaginator(ids, 2, cap=10).count == 4
    newest = ids[0]
    with django_assert_num_queries(2):
        # Another filter or another cap is counted.
        assert pagination.capped_count(filtered.exclude(pk=newest), 10) == 3
        assert pagination.capped_count(filtered, 2) == 3  # "more than 2"
    # Not remembered unless asked: a count stays a count of the rows as they are now.
    plain = Customer.objects.filter(status=status)
    with django_assert_num_queries(2):
        pagination.capped_count(plain, 10)
        pagination.capped_count(plain, 10)
