"""The lifecycle engine on its own: table, guards, the two refusals, the records it writes,
set-based moves, and correctness under concurrency (threads with their own connections, on
PostgreSQL and on SQLite's file-based test database)."""

import threading

import pytest
from django.db import connection

from standing.accounts.scoping import Actor
from standing.activity.models import ActivityRecord
from standing.core import lifecycle as engine
from standing.core.errors import DomainError
from standing.core.lifecycle import ChangedMeanwhile, Lifecycle, TransitionNotAllowed
from standing.core.models import StateTransition
from standing.customers.models import Customer, CustomerStatus

S = CustomerStatus


def no_vip(customer, actor):
    return "VIPs stay." if customer.last_name == "VIP" else None


def staff_only(customer, actor):
    return None if actor is not None and actor.is_staff else "Only staff may do this."


# A lifecycle over the customer's status, declared for the test only (customers keep theirs).
LC = Lifecycle(
    "test_customer",
    Customer,
    {
        (S.PENDING, S.VERIFIED): "checked",
        (S.VERIFIED, S.ACTIVE): "activated",
        (S.VERIFIED, S.DENIED): "denied",
        (S.ACTIVE, S.DENIED): "denied",
    },
    customer="self",
    guards={S.DENIED: no_vip, (S.VERIFIED, S.ACTIVE): staff_only},
    describe=lambda c: f"Customer {c.number}",
)


@pytest.fixture
def system():
    return None


def test_allowed_follows_table_and_guards(customer_factory, support, vendor1_user):
    customer = customer_factory()
    assert LC.allowed(customer) == [S.VERIFIED]
    customer.status = S.VERIFIED
    assert LC.allowed(customer, support) == [S.ACTIVE, S.DENIED]
    assert LC.allowed(customer, Actor.of(vendor1_user)) == [S.DENIED]
    customer.last_name = "VIP"
    assert LC.allowed(customer, support) == [S.ACTIVE]
    customer.status = S.DELETED
    assert LC.allowed(customer, support) == []


def test_transition_moves_and_records_both(customer_factory, support):
    customer = customer_factory()
    LC.transition(customer, S.VERIFIED, support, reason="documents seen", details={"k": 1})
    assert customer.status == S.VERIFIED
    assert Customer.objects.get(pk=customer.pk).status == S.VERIFIED
    [row] = LC.history(customer)
    assert (row.lifecycle, row.object_type, row.object_id) == (
        "test_customer",
        "customers.customer",
        str(customer.pk),
    )
    assert (row.from_state, row.to_state, row.actor, row.reason) == (
        S.PENDING,
        S.VERIFIED,
        support.user,
        "documents seen",
    )
    assert row.at is not None and row.at.tzinfo is not None
    entry = ActivityRecord.objects.filter(customer=customer, action="test_customer.checked").get()
    assert entry.before == {"status": "pending"}
    assert entry.after == {"status": "verified", "reason": "documents seen", "k": 1}
    assert entry.summary == f"Customer {customer.number}: Pending → Verified"


def test_updates_go_into_the_same_update(customer_factory, support):
    customer = customer_factory()
    LC.transition(customer, S.VERIFIED, support, updates={"city": "Hamburg"})
    assert Customer.objects.values_list("status", "city").get(pk=customer.pk) == (
        "verified",
        "Hamburg",
    )
    assert customer.city == "Hamburg"


def test_not_allowed_from_this_state_changes_nothing(customer_factory, support):
    customer = customer_factory()
    with pytest.raises(TransitionNotAllowed) as refused:
        LC.transition(customer, S.ACTIVE, support)
    assert refused.value.status == 409 and isinstance(refused.value, DomainError)
    assert str(refused.value) == f"Customer {customer.number} is Pending and cannot become Active."
    assert Customer.objects.get(pk=customer.pk).status == S.PENDING
    assert not LC.history(customer).exists()


def test_guard_refuses_with_its_reason(customer_factory, support, vendor1_user):
    customer = customer_factory(last_name="VIP")
    LC.transition(customer, S.VERIFIED, support)
    with pytest.raises(TransitionNotAllowed, match="VIPs stay."):
        LC.transition(customer, S.DENIED, support)
    with pytest.raises(TransitionNotAllowed, match="Only staff"):
        LC.transition(customer, S.ACTIVE, Actor.of(vendor1_user))
    assert Customer.objects.get(pk=customer.pk).status == S.VERIFIED
    assert LC.history(customer).count() == 1


def test_changed_meanwhile_is_told_apart(customer_factory, support):
    customer = customer_factory()
    stale = Customer.objects.get(pk=customer.pk)
    LC.transition(customer, S.VERIFIED, support)
    stale.status = S.PENDING  # what the second request saw
    with pytest.raises(ChangedMeanwhile) as refused:
        LC.transition(stale, S.VERIFIED, support)
    assert refused.value.status == 409
    assert "changed meanwhile" in str(refused.value) and "Reload" in str(refused.value)
    assert stale.status == S.VERIFIED  # refreshed to what it is now
    assert LC.history(customer).count() == 1


def test_history_is_oldest_first(customer_factory, support, time_machine):
    customer = customer_factory()
    time_machine.move_to("2026-03-01 10:00 +00:00", tick=False)
    LC.transition(customer, S.VERIFIED, support)
    time_machine.move_to("2026-03-02 10:00 +00:00", tick=False)
    LC.transition(customer, S.ACTIVE, support)
    time_machine.move_to("2026-03-03 10:00 +00:00", tick=False)
    LC.transition(customer, S.DENIED, None, reason="deny list")
    rows = list(LC.history(customer))
    assert [(r.from_state, r.to_state) for r in rows] == [
        ("pending", "verified"),
        ("verified", "active"),
        ("active", "denied"),
    ]
    assert rows[-1].actor is None and rows[-1].actor_label == "system"


def test_on_enter_handlers_run_in_the_transition(customer_factory, support):
    seen = []
    lc = Lifecycle("hooked", Customer, {(S.PENDING, S.VERIFIED): "ok"}, customer="self")
    lc.when_entering(S.VERIFIED, lambda obj, actor: seen.append((obj.pk, obj.status)))
    customer = customer_factory()
    lc.transition(customer, S.VERIFIED, support)
    assert seen == [(customer.pk, "verified")]
    with pytest.raises(ValueError):
        handler = seen.append
        lc.when_entering(S.ACTIVE, handler)
        lc.when_entering(S.ACTIVE, handler)


def test_guard_for_an_unknown_transition_is_a_declaration_error():
    with pytest.raises(ValueError):
        Lifecycle(
            "bad", Customer, {(S.PENDING, S.VERIFIED): "x"}, guards={(S.ACTIVE, S.DENIED): no_vip}
        )


def test_bulk_moves_only_rows_still_in_from(customer_factory, support, monkeypatch):
    monkeypatch.setattr(engine, "BULK_CHUNK", 2)
    customers = [customer_factory() for _ in range(5)]
    LC.transition(customers[1], S.VERIFIED, support)  # already moved: not in "pending"
    moved = LC.transition_bulk(
        Customer.objects.filter(pk__in=[c.pk for c in customers]),
        S.PENDING,
        S.VERIFIED,
        support,
        reason="batch",
        updates={"city": "Köln"},
    )
    assert sorted(moved) == sorted(c.pk for c in customers if c is not customers[1])
    assert set(Customer.objects.values_list("status", flat=True)) == {"verified"}
    assert Customer.objects.filter(city="Köln").count() == 4
    rows = StateTransition.objects.filter(lifecycle="test_customer", reason="batch")
    assert sorted(int(r.object_id) for r in rows) == sorted(moved)
    records = ActivityRecord.objects.filter(action="test_customer.checked", after__reason="batch")
    assert sorted(records.values_list("customer_id", flat=True)) == sorted(moved)


def test_bulk_refuses_a_transition_the_table_lacks(customer_factory, support):
    customer_factory()
    with pytest.raises(TransitionNotAllowed):
        LC.transition_bulk(Customer.objects.all(), S.PENDING, S.ACTIVE, support)
    assert not StateTransition.objects.exists()


def test_bulk_of_nothing_moves_nothing(db, support):
    assert LC.transition_bulk(Customer.objects.none(), S.PENDING, S.VERIFIED, support) == []


# --- concurrency ----------------------------------------------------------------------------
def together(*calls):
    barrier = threading.Barrier(len(calls))
    results, errors = [None] * len(calls), []

    def run(i, call):
        try:
            barrier.wait()
            results[i] = call()
        except Exception as error:  # collected and asserted on by the test
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results, errors


@pytest.fixture
def shared_database(transactional_db):
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("threads need PostgreSQL or a file-based SQLite test database")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_transitions_at_once_one_wins(shared_database, customer_factory, support):
    customer = customer_factory()
    copies = [Customer.objects.get(pk=customer.pk) for _ in range(2)]
    results, errors = together(*[lambda c=c: LC.transition(c, S.VERIFIED, support) for c in copies])
    assert len(errors) == 1 and isinstance(errors[0], ChangedMeanwhile)
    assert LC.history(customer).count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_bulk_runs_at_once_move_each_row_once(shared_database, customer_factory, support):
    engine_chunk = engine.BULK_CHUNK
    engine.BULK_CHUNK = 3
    try:
        pks = [customer_factory().pk for _ in range(10)]
        qs = Customer.objects.filter(pk__in=pks)
        results, errors = together(
            lambda: LC.transition_bulk(qs, S.PENDING, S.VERIFIED, support),
            lambda: LC.transition_bulk(qs, S.PENDING, S.VERIFIED, support),
        )
    finally:
        engine.BULK_CHUNK = engine_chunk
    assert errors == []
    first, second = results
    assert set(first).isdisjoint(second)
    assert sorted(first + second) == sorted(pks)
    moved = StateTransition.objects.filter(lifecycle="test_customer")
    assert sorted(int(r.object_id) for r in moved) == sorted(pks)
    assert ActivityRecord.objects.filter(action="test_customer.checked").count() == 10
