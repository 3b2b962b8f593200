import pytest

from standing.activity.models import ActivityRecord
from standing.customers.lifecycle import TRANSITIONS, TransitionNotAllowed, transition
from standing.customers.models import Customer, CustomerStatus

S = CustomerStatus


def test_allowed_transition_updates_and_logs(customer, support):
    transition(customer, S.VERIFIED, support)
    customer.refresh_from_db()
    assert customer.status == S.VERIFIED
    record = ActivityRecord.objects.filter(
        customer=customer, action="status.screening_passed"
    ).get()
    assert record.before == {"status": "pending"}
    assert record.after["status"] == "verified"
    assert record.actor_label == "support"


@pytest.mark.parametrize(
    "frm,to",
    [(f, t) for f in S.values for t in S.values if (f, t) not in TRANSITIONS],
)
def test_every_other_transition_is_refused_and_changes_nothing(customer, support, frm, to):
    Customer.objects.filter(pk=customer.pk).update(status=frm)
    customer.refresh_from_db()
    before = ActivityRecord.objects.count()
    with pytest.raises(TransitionNotAllowed):
        transition(customer, to, support)
    customer.refresh_from_db()
    assert customer.status == frm
    assert ActivityRecord.objects.count() == before


def test_stale_copy_cannot_transition_twice(customer, support):
    stale = Customer.objects.get(pk=customer.pk)
    transition(customer, S.DENIED, support)
    with pytest.raises(TransitionNotAllowed):
        transition(stale, S.VERIFIED, support)  # the row is DENIED now: PENDING→VERIFIED fails
    assert Customer.objects.get(pk=customer.pk).status == S.DENIED


def test_on_enter_handlers_run_except_when_taking_over_history(
    customer_factory, support, monkeypatch
):
    from standing.customers import lifecycle

    seen = []
    first, second = customer_factory(), customer_factory()
    with lifecycle.ON_ENTER.replaced(("test", (S.VERIFIED, lambda c, a: seen.append(c.number)))):
        transition(first, S.VERIFIED, support)
        with lifecycle.taking_over_history():
            transition(second, S.VERIFIED, support)
    assert seen == [first.number]
