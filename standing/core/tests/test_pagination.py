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


def test_big_unfiltered_list_on_postgresql_uses_the_estimate(customer_factory, monkeypatch):
    for _ in range(3):
        customer_factory()
    monkeypatch.setattr(pagination, "ESTIMATE_ABOVE", -1)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE customers_customer")
    paginator = EstimatingPaginator(Customer.objects.all(), 2)
    count = paginator.count
    assert paginator.estimated == (connection.vendor == "postgresql")
    assert count >= 0 if paginator.estimated else count == 3
