"""Two staff members merge the same pair at once, in opposite directions: one merge wins,
the other is refused, and nothing is half-merged (threads with their own connections, on
PostgreSQL and on SQLite's file-based test database)."""

import threading

import pytest
from django.db import connection

from standing.customers.models import Customer, CustomerStatus
from standing.duplicates import merge
from standing.duplicates.merge import MergeRefused


@pytest.fixture(autouse=True)
def _shared_database(transactional_db):
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("threads need PostgreSQL or a file-based SQLite test database")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_opposite_merges_at_once(person, support):
    first, second = person(email="same@example.de"), person(email="same@example.de")
    barrier = threading.Barrier(2)
    outcomes, errors = [], []

    def run(survivor, other):
        try:
            barrier.wait()
            merge.merge(
                Customer.objects.get(pk=survivor.pk), Customer.objects.get(pk=other.pk), support
            )
            outcomes.append(("merged", survivor.number))
        except MergeRefused as refused:
            outcomes.append(("refused", str(refused)))
        except Exception as error:  # collected and asserted on below
            errors.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=(first, second)),
        threading.Thread(target=run, args=(second, first)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    assert sorted(kind for kind, _detail in outcomes) == ["merged", "refused"]
    winner = next(number for kind, number in outcomes if kind == "merged")
    statuses = dict(Customer.objects.values_list("number", "status"))
    loser = second.number if winner == first.number else first.number
    assert statuses[loser] == CustomerStatus.MERGED and statuses[winner] != CustomerStatus.MERGED
    assert Customer.objects.get(number=loser).merged_into.number == winner
