"""Two staff members erase the same customer at once: one erasure, one refusal (threads with
their own connections, on PostgreSQL and on SQLite's file-based test database)."""

import threading

import pytest
from django.db import connection

from standing.customers.models import Customer
from standing.privacy import erasure
from standing.privacy.erasure import ErasureRefused
from standing.privacy.models import Erasure


@pytest.fixture(autouse=True)
def _shared_database(transactional_db):
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("threads need PostgreSQL or a file-based SQLite test database")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_erasures_at_once(customer, support):
    barrier = threading.Barrier(2)
    outcomes, errors = [], []

    def run():
        try:
            barrier.wait()
            erasure.erase(Customer.objects.get(pk=customer.pk), support)
            outcomes.append("erased")
        except ErasureRefused:
            outcomes.append("refused")
        except Exception as error:  # collected and asserted on below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    assert sorted(outcomes) == ["erased", "refused"]
    assert Erasure.objects.filter(number=customer.number).count() == 1
