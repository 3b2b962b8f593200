"""Exact expiry: at the end's microsecond the customer is free for every check, before any job
has run; the tick then writes the expiry once, by the system."""

from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command

from standing.activity.models import ActivityRecord
from standing.blocks import services
from standing.blocks.models import BlockStatus
from standing.core.tick import run_tick

from .conftest import berlin

START = berlin(2026, 11, 23, 10, 0)
MICRO = timedelta(microseconds=1)


@pytest.fixture
def timed(customer, block):
    """A 5-day block set at 10:00 on 23 November; it ends at 10:00 on 28 November."""
    with time_machine.travel(START, tick=False):
        return block(customer, "5d")


def _checks(api, client, customer):
    standing = api.get(f"/customers/{customer.number}/standing").json()
    listed = [c["number"] for c in api.get("/customers", blocked="true").json()["items"]]
    unlisted = [c["number"] for c in api.get("/customers", blocked="false").json()["items"]]
    page = client.get("/customers/", {"blocked": "1"}).content.decode()
    card = client.get(f"/customers/{customer.number}/").content.decode()
    return {
        "standing": (standing["blocked"], standing["can_book"], standing["can_reserve"]),
        "until": standing["blocked_until"],
        "list": customer.number in listed and customer.number not in unlisted,
        "ui_list": customer.get_absolute_url() in page,
        "badge": "bi-lock-fill" in card.split('id="block-badge"')[1][:200],
    }


def test_blocked_until_the_last_microsecond_then_free_everywhere(
    timed, customer, api_as, support_user, staff_client
):
    api = api_as(support_user)
    assert timed.ends_at == berlin(2026, 11, 28, 10, 0)
    with time_machine.travel(timed.ends_at - MICRO, tick=False):
        before = _checks(api, staff_client, customer)
    assert before["standing"] == (True, False, False)
    assert before["until"].startswith("2026-11-28T09:00:00")  # UTC
    assert before["list"] and before["ui_list"] and before["badge"]
    with time_machine.travel(timed.ends_at, tick=False):
        after = _checks(api, staff_client, customer)
    assert after["standing"][0] is False and after["until"] is None
    assert not after["list"] and not after["ui_list"] and not after["badge"]
    # No job has run: the expiry is computed, not waited for.
    timed.refresh_from_db()
    assert timed.status == BlockStatus.ACTIVE
    assert not ActivityRecord.objects.filter(action="block.expired").exists()


def test_login_follows_the_setting(timed, customer, api_as, support_user, settings):
    api = api_as(support_user)
    with time_machine.travel(timed.ends_at - MICRO, tick=False):
        settings.BLOCKED_CUSTOMERS_CAN_LOGIN = True
        assert api.get(f"/customers/{customer.number}/standing").json()["can_login"] is True
        settings.BLOCKED_CUSTOMERS_CAN_LOGIN = False
        assert api.get(f"/customers/{customer.number}/standing").json()["can_login"] is False


def test_tick_logs_the_expiry_once_by_the_system(timed, customer):
    assert run_tick(timed.ends_at - MICRO) == []
    timed.refresh_from_db()
    assert timed.status == BlockStatus.ACTIVE
    assert run_tick(timed.ends_at) == ["blocks: 1 expiry(ies) logged"]
    assert run_tick(timed.ends_at) == []
    assert run_tick(timed.ends_at + timedelta(days=3)) == []
    records = ActivityRecord.objects.filter(customer=customer, action="block.expired")
    assert records.count() == 1
    record = records.get()
    assert record.actor is None and record.actor_label == "system"
    assert record.created_at == timed.ends_at and record.internal
    timed.refresh_from_db()
    assert timed.status == BlockStatus.EXPIRED and timed.expiry_logged_at == timed.ends_at


def test_the_tick_command_twice_writes_one_record(timed, capsys):
    moment = (timed.ends_at + timedelta(hours=1)).isoformat()
    call_command("tick", "--now", moment)
    call_command("tick", "--now", moment)
    out = capsys.readouterr().out
    assert out.count("blocks: 1 expiry(ies) logged") == 1
    assert ActivityRecord.objects.filter(action="block.expired").count() == 1


def test_lifted_and_indefinite_blocks_never_expire(customer, support, block):
    with time_machine.travel(START, tick=False):
        lifted = block(customer, "5d")
        services.lift_block(lifted, support, reason="geklärt")
        block(customer, "indefinite")
    assert run_tick(START + timedelta(days=400)) == []
    assert not ActivityRecord.objects.filter(action="block.expired").exists()


def test_overlapping_blocks_expire_each_and_free_only_at_the_last_end(
    customer, block, api_as, support_user
):
    with time_machine.travel(START, tick=False):
        first = block(customer, "5d")
        second = block(customer, "14d", reason="missing_data")
    api = api_as(support_user)
    with time_machine.travel(first.ends_at, tick=False):
        body = api.get(f"/customers/{customer.number}/standing").json()
        assert body["blocked"] is True and body["blocked_until"].startswith("2026-12-07T09:00")
    assert run_tick(first.ends_at) == ["blocks: 1 expiry(ies) logged"]
    with time_machine.travel(second.ends_at - MICRO, tick=False):
        assert api.get(f"/customers/{customer.number}/standing").json()["blocked"] is True
    with time_machine.travel(second.ends_at, tick=False):
        assert api.get(f"/customers/{customer.number}/standing").json()["blocked"] is False
    assert run_tick(second.ends_at) == ["blocks: 1 expiry(ies) logged"]
    assert ActivityRecord.objects.filter(action="block.expired").count() == 2


def test_a_payment_deferral_ends_with_its_day(customer, support):
    with time_machine.travel(START, tick=False):
        deferral = services.block_customer(
            customer, support, reason="payment_deferral", duration="until", until="2026-12-15"
        )
    assert deferral.is_active(berlin(2026, 12, 15, 23, 59, 59, 999999))
    assert not deferral.is_active(berlin(2026, 12, 16, 0, 0))
