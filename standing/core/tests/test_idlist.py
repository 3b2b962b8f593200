"""``core.idlist.IdIn``: the ids as one parameter give the rows a long ``IN`` gives."""

import pytest
from django.db import connection
from django.db.models import F, Q

from standing.core.idlist import IdIn
from standing.core.models import Sequence

pytestmark = pytest.mark.django_db


@pytest.fixture
def rows():
    return [Sequence.objects.create(key=f"id-{i}", last=i).pk for i in range(40)]


def keys(queryset):
    return sorted(queryset.values_list("key", flat=True))


def test_the_rows_of_the_ids_and_only_them(rows):
    chosen = rows[::3] + [10**12]  # an id that is none
    assert keys(Sequence.objects.filter(IdIn(F("pk"), chosen))) == keys(
        Sequence.objects.filter(pk__in=chosen)
    )
    sql, params = Sequence.objects.filter(IdIn(F("pk"), chosen)).query.sql_with_params()
    if connection.vendor == "sqlite":
        assert len(params) == 1 and "json_each" in sql  # one parameter, however many ids
    else:  # a literal IN list, which the planner estimates from, without a placeholder per id
        assert not params and f"IN ({', '.join(map(str, chosen))})" in sql


def test_an_empty_list_matches_nothing_and_drops_out_of_an_or(rows):
    assert not Sequence.objects.filter(IdIn(F("pk"), [])).exists()
    either = Sequence.objects.filter(Q(IdIn(F("pk"), [])) | Q(last__lt=5))
    assert keys(either) == keys(Sequence.objects.filter(last__lt=5))
    both = Sequence.objects.filter(Q(IdIn(F("pk"), rows[:3])) | Q(IdIn(F("last"), [7, 8])))
    assert keys(both) == ["id-0", "id-1", "id-2", "id-7", "id-8"]


def test_ids_that_are_not_numbers_are_refused():
    with pytest.raises((TypeError, ValueError)):
        IdIn(F("pk"), ["1; DROP TABLE core_sequence"])
