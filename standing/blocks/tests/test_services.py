"""The rules: durations in Berlin calendar time, bad input refused, the lifecycle table."""

from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError

from standing.accounts.scoping import SYSTEM
from standing.activity.models import ActivityRecord
from standing.blocks import services
from standing.blocks.models import Block, BlockReason, BlockState, BlockStatus
from standing.core.errors import DomainError
from standing.customers.lifecycle import transition
from standing.customers.standing import block_state

from .conftest import berlin


@pytest.mark.parametrize(
    "start,duration,end",
    [
        (berlin(2026, 3, 2, 10, 0), "5d", berlin(2026, 3, 7, 10, 0)),
        # Across the change to summer and to winter time: the same wall-clock time.
        (berlin(2026, 3, 20, 9, 30), "14d", berlin(2026, 4, 3, 9, 30)),
        (berlin(2026, 10, 20, 9, 30), "14d", berlin(2026, 11, 3, 9, 30)),
        # A calendar month: 31 January ends on the last day of February.
        (berlin(2026, 1, 31, 12, 0), "1m", berlin(2026, 2, 28, 12, 0)),
        (berlin(2028, 1, 31, 12, 0), "1m", berlin(2028, 2, 29, 12, 0)),
        (berlin(2026, 12, 15, 8, 0), "1m", berlin(2027, 1, 15, 8, 0)),
        (berlin(2026, 12, 15, 8, 0), "indefinite", None),
    ],
)
def test_durations_are_calendar_arithmetic_in_berlin(start, duration, end):
    assert services.compute_end(duration, start) == end


def test_until_a_date_blocks_through_that_day_and_a_date_time_exactly():
    start = berlin(2026, 11, 23, 10, 0)
    assert services.compute_end("until", start, "2026-12-31") == berlin(2027, 1, 1, 0, 0)
    assert services.compute_end("until", start, date(2026, 12, 31)) == berlin(2027, 1, 1)
    # A date-time without offset is Berlin time; with one, it is taken as given.
    assert services.compute_end("until", start, "2026-12-31T18:00") == berlin(2026, 12, 31, 18)
    assert services.compute_end("until", start, "2026-12-31T18:00:00+00:00") == berlin(
        2026, 12, 31, 19
    )


def test_block_defaults_to_acting_staff_and_now_and_logs(customer, support, admin_user):
    with time_machine.travel(berlin(2026, 11, 23, 10, 0), tick=False):
        block = services.block_customer(
            customer, support, reason="payment_deferral", duration="until", until="2026-12-15"
        )
        assert block.staff == support.user
        assert block.starts_at == berlin(2026, 11, 23, 10, 0)
        assert block.ends_at == berlin(2026, 12, 16)
        assert block.status == BlockStatus.ACTIVE
        assert block_state(customer) == (True, berlin(2026, 12, 16))
        other = services.block_customer(
            customer, support, reason="other", duration="5d", staff="admin"
        )
        assert other.staff == admin_user
    logged = ActivityRecord.objects.filter(customer=customer, action="block.created")
    assert logged.count() == 2
    first = logged.get(after__block=block.pk)
    assert first.actor == support.user and first.internal
    assert first.after["reason"] == "payment_deferral" and first.after["staff"] == "support"


@pytest.mark.parametrize(
    "values,field",
    [
        ({"duration": "3w"}, "duration"),
        ({"reason": "gibtsnicht"}, "reason"),
        ({"duration": "until"}, "until"),
        ({"duration": "until", "until": "2020-01-01"}, "until"),
        ({"duration": "until", "until": "2026-11-23T09:59"}, "until"),
        ({"duration": "until", "until": "31.12.2026"}, "until"),
        ({"duration": "14d", "until": "2026-12-31"}, "until"),
        ({"duration": "indefinite", "note": "   "}, "note"),
        ({"staff": "nobody"}, "staff"),
        ({"staff": "vendor1"}, "staff"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_changes(
    customer, support, vendor1_user, values, field
):
    values = {"reason": "missing_data", "duration": "5d", **values}
    with (
        time_machine.travel(berlin(2026, 11, 23, 10, 0), tick=False),
        pytest.raises(ValidationError) as error,
    ):
        services.block_customer(customer, support, **values)
    assert field in error.value.message_dict and error.value.message_dict[field][0]
    assert not Block.objects.exists()
    assert not ActivityRecord.objects.filter(action__startswith="block").exists()


def test_an_inactive_reason_cannot_be_chosen_but_its_blocks_stay(customer, support, block):
    existing = block(customer, reason="misconduct")
    BlockReason.objects.filter(code="misconduct").update(active=False)
    with pytest.raises(ValidationError):
        services.block_customer(customer, support, reason="misconduct", duration="5d")
    existing.refresh_from_db()
    assert existing.reason.code == "misconduct"


def test_system_without_staff_must_name_one(customer):
    with pytest.raises(ValidationError) as error:
        services.block_customer(customer, SYSTEM, reason="other", duration="5d")
    assert "staff" in error.value.message_dict


def test_a_deleted_customer_is_not_blocked(customer, support):
    transition(customer, "deleted", support)
    with pytest.raises(DomainError):
        services.block_customer(customer, support, reason="other", duration="5d")


def test_lift_requires_reason_and_staff_and_logs(customer, support, admin_user, block):
    current = block(customer, "indefinite")
    with pytest.raises(ValidationError) as error:
        services.lift_block(current, support, reason="  ")
    assert "reason" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.lift_block(current, support, reason="bezahlt", staff="nobody")
    current.refresh_from_db()
    assert current.status == BlockStatus.ACTIVE
    services.lift_block(current, support, reason="Unterlagen sind da", staff="admin")
    current.refresh_from_db()
    assert current.status == BlockStatus.LIFTED and current.lifted_by == admin_user
    assert current.lift_reason == "Unterlagen sind da"
    assert block_state(customer) == (False, None)
    record = ActivityRecord.objects.get(action="block.lifted")
    assert record.actor == support.user and record.after["reason"] == "Unterlagen sind da"


def test_lifting_twice_or_after_the_end_is_a_named_409(customer, support, block):
    with time_machine.travel(berlin(2026, 11, 23, 10, 0), tick=False) as traveller:
        lifted = block(customer, "indefinite")
        services.lift_block(lifted, support, reason="erledigt")
        with pytest.raises(services.BlockTransitionNotAllowed) as error:
            services.lift_block(lifted, support, reason="nochmal")
        assert error.value.status == 409 and "lifted" in str(error.value)
        timed = block(customer, "5d")
        traveller.move_to(timed.ends_at)
        # Ended by time though no tick has logged it yet: nothing to lift.
        with pytest.raises(services.BlockTransitionNotAllowed) as error:
            services.lift_block(timed, support, reason="zu spät")
        assert "ended" in str(error.value)
    timed.refresh_from_db()
    assert timed.status == BlockStatus.ACTIVE and timed.lifted_at is None
    assert ActivityRecord.objects.filter(action="block.lifted").count() == 1


def test_the_table_allows_only_active_to_lifted_or_expired(customer, support, block):
    assert set(services.TRANSITIONS) == {
        (BlockStatus.ACTIVE, BlockStatus.LIFTED),
        (BlockStatus.ACTIVE, BlockStatus.EXPIRED),
    }
    current = block(customer, "5d")
    with pytest.raises(services.BlockTransitionNotAllowed):
        services.expire_block(current, current.starts_at + timedelta(days=1))
    current.refresh_from_db()
    assert current.status == BlockStatus.ACTIVE


def test_a_stale_copy_cannot_lift_what_another_request_lifted(customer, support, block):
    current = block(customer, "indefinite")
    stale = Block.objects.get(pk=current.pk)
    services.lift_block(current, support, reason="erste")
    with pytest.raises(services.BlockTransitionNotAllowed):
        services.lift_block(stale, support, reason="zweite")
    assert Block.objects.get(pk=current.pk).lift_reason == "erste"


def test_overlapping_blocks_block_while_any_is_active(customer, support, block):
    with time_machine.travel(berlin(2026, 11, 23, 10, 0), tick=False) as traveller:
        short = block(customer, "5d")
        long = block(customer, "14d", reason="missing_data")
        assert block_state(customer) == (True, long.ends_at)
        services.lift_block(long, support, reason="Daten nachgereicht")
        assert block_state(customer) == (True, short.ends_at)
        indefinite = block(customer, "indefinite")
        assert block_state(customer) == (True, None)
        traveller.move_to(short.ends_at)
        assert block_state(customer) == (True, None)
        services.lift_block(indefinite, support, reason="geklärt")
        assert block_state(customer) == (False, None)


def test_state_at_a_moment(customer, block):
    with time_machine.travel(berlin(2026, 11, 23, 10, 0), tick=False):
        current = block(customer, "5d")
    assert current.state_at(berlin(2026, 11, 23, 9, 0)) == BlockState.SCHEDULED
    assert current.state_at(berlin(2026, 11, 23, 10, 0)) == BlockState.ACTIVE
    assert current.state_at(berlin(2026, 11, 28, 10, 0)) == BlockState.EXPIRED


def test_reason_list_codes_stay_labels_change(db):
    assert set(BlockReason.objects.values_list("code", flat=True)) >= {
        "missing_data",
        "missing_documents",
        "payment_deferral",
        "payment_default",
        "misconduct",
        "other",
    }
    added = services.add_reason("fraud_suspected", "Betrugsverdacht")
    with pytest.raises(ValidationError):
        services.add_reason("fraud_suspected", "doppelt")
    with pytest.raises(ValidationError):
        services.add_reason("mit leerzeichen", "x")
    with pytest.raises(ValidationError):
        services.update_reason(added, " ", True)
    services.update_reason(added, "Verdacht auf Betrug", False)
    added.refresh_from_db()
    assert (added.code, added.label, added.active) == (
        "fraud_suspected",
        "Verdacht auf Betrug",
        False,
    )


def test_naive_until_is_berlin_time(customer, support):
    with time_machine.travel(berlin(2026, 6, 1, 10, 0), tick=False):
        block = services.block_customer(
            customer,
            support,
            reason="payment_deferral",
            duration="until",
            until=datetime(2026, 7, 1, 12, 0),
        )
    assert block.ends_at == berlin(2026, 7, 1, 12, 0)
