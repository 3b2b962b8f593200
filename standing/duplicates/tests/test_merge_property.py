"""Whatever two customers hold, a merge loses no record and duplicates none: every row of a
moved relation ends on the survivor, a unique relation keeps one row per key, and the
tombstone keeps nothing."""

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from standing.customers import services
from standing.customers.models import CustomerVendor
from standing.customers.records import covered
from standing.duplicates import merge
from standing.screening.models import ClearedMatch, DenyEntry

holdings = st.fixed_dictionaries(
    {
        "notes": st.integers(0, 3),
        "vendors": st.sets(st.sampled_from([0, 1]), max_size=2),
        "cleared": st.sets(st.sampled_from([0, 1, 2]), max_size=3),
        "permissions": st.sampled_from([{}, {"book": "deny"}, {"reserve": "allow"}]),
    }
)


@pytest.mark.django_db
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(mine=holdings, theirs=holdings, take_permissions=st.booleans())
def test_merge_conserves_every_record(
    person, support, vendor1, vendor2, mine, theirs, take_permissions
):
    with transaction.atomic():
        vendors = [vendor1, vendor2]
        entries = [DenyEntry.objects.create(email=f"x{i}@deny.example") for i in range(3)]

        def make(holding):
            customer = person(email="")
            for i in range(holding["notes"]):
                services.add_note(customer, support, f"Notiz {i}")
            for v in holding["vendors"]:
                CustomerVendor.objects.create(customer=customer, vendor=vendors[v])
            for e in holding["cleared"]:
                ClearedMatch.objects.create(customer=customer, entry=entries[e])
            services.set_permissions(customer, support, holding["permissions"])
            customer.refresh_from_db()
            return customer

        survivor, other = make(mine), make(theirs)
        before = {
            r.key: (r.rows(survivor).count(), r.rows(other).count(), r.policy) for r in covered()
        }
        choices = {"permissions": "other" if take_permissions else "keep"}
        merge.merge(survivor, other, support, choices)
        survivor.refresh_from_db()
        for rel in covered():
            mine_n, theirs_n, policy = before[rel.key]
            if rel.key.startswith("activity."):
                continue  # the merge writes records of its own
            assert rel.rows(other).count() == 0, rel.key
            if policy.merge == "move":
                # The tombstone itself now points to the survivor too.
                own = 1 if rel.key == "customers.customer.merged_into" else 0
                assert rel.rows(survivor).count() == mine_n + theirs_n + own, rel.key
        assert survivor.notes.count() == mine["notes"] + theirs["notes"]
        assert {link.vendor_id for link in survivor.vendor_links.all()} == {
            vendors[v].pk for v in mine["vendors"] | theirs["vendors"]
        }
        assert set(survivor.cleared_matches.values_list("entry_id", flat=True)) == {
            entries[e].pk for e in mine["cleared"] | theirs["cleared"]
        }
        expected = theirs["permissions"] if take_permissions else mine["permissions"]
        assert survivor.permissions == expected
        transaction.set_rollback(True)
