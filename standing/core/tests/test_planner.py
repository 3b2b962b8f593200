"""SQLite's planner statistics follow the tables' size (``core.planner``, a tick job)."""

import pytest
from django.db import connection

from standing.core import planner, tick
from standing.core.models import Sequence

pytestmark = pytest.mark.django_db


def _rows(n, start=0):
    Sequence.objects.bulk_create(Sequence(key=f"k{i}", last=i) for i in range(start, start + n))


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite keeps no statistics by itself")
def test_a_table_is_analysed_when_it_has_none_and_again_when_it_grew_by_a_quarter():
    _rows(1_200)
    assert "core_sequence" in planner.stale_tables()
    assert "core_sequence" in planner.refresh_statistics()
    assert "core_sequence" not in planner.stale_tables()
    with connection.cursor() as cursor:
        cursor.execute("SELECT stat FROM sqlite_stat1 WHERE tbl = 'core_sequence'")
        assert int(cursor.fetchone()[0].split()[0]) == 1_200 + _seeded()
    _rows(200, start=10_000)  # +1/6: still near
    assert "core_sequence" not in planner.stale_tables()
    _rows(300, start=20_000)  # now more than a quarter more than analysed
    assert "core_sequence" in planner.stale_tables()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite keeps no statistics by itself")
def test_deleted_rows_do_not_make_a_table_look_stale_forever():
    _rows(3_000)
    Sequence.objects.filter(last__lt=1_500).delete()  # the highest id stays, half the rows go
    planner.refresh_statistics()
    assert "core_sequence" not in planner.stale_tables()


@pytest.mark.skipif(connection.vendor == "sqlite", reason="PostgreSQL analyses by itself")
def test_nothing_to_do_on_postgresql():
    _rows(1_200)
    assert planner.stale_tables() == []
    assert planner.refresh_statistics() is None


def test_the_job_runs_in_the_tick_after_the_others():
    assert tick.TICK_JOBS.ordered_keys()[-1] == tick.job_key(planner.refresh_statistics)


def _seeded():
    return Sequence.objects.exclude(key__startswith="k").count()
