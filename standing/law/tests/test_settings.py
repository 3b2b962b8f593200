"""Settings: the operator admin sees where the base-rate table ends and enters the next rate."""

from datetime import date
from decimal import Decimal as D

import pytest
import time_machine
from django.urls import reverse

from standing.activity.models import ActivityRecord
from standing.law.models import BaseRateEntry

SETTINGS = reverse("core:settings")
ADD = reverse("law:add_rate")


@pytest.fixture
def admin(client, admin_user):
    client.force_login(admin_user)
    return client


def test_behind_the_table_the_admin_is_warned(admin):
    with time_machine.travel(date(2026, 12, 1)):
        html = admin.get(SETTINGS).content.decode()
    assert 'id="base-rates-behind"' in html
    assert 'value="2026-07-01"' in html  # the next rate to enter is proposed


def test_inside_the_table_no_warning(admin):
    with time_machine.travel(date(2026, 3, 1)):
        html = admin.get(SETTINGS).content.decode()
    assert 'id="base-rates"' in html and 'id="base-rates-behind"' not in html


def test_the_admin_enters_the_next_rate(admin, admin_user):
    response = admin.post(
        ADD, {"valid_from": "2026-07-01", "percent": "1,52", "source": "Bundesbank"}
    )
    assert response.status_code == 302 and response.url.endswith("#base-rates")
    entry = BaseRateEntry.objects.get()
    assert (entry.valid_from, entry.percent, entry.added_by) == (
        date(2026, 7, 1),
        D("1.52"),
        admin_user,
    )
    assert ActivityRecord.objects.filter(action="law.base_rate_added", actor=admin_user).exists()
    html = admin.get(SETTINGS).content.decode()
    assert "entered by admin" in html


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"valid_from": "2027-01-01", "percent": "1.52"}, "2026-07-01"),
        ({"valid_from": "2026-07-01", "percent": ""}, "two decimals"),
        ({"valid_from": "", "percent": "1.52"}, "YYYY-MM-DD"),
    ],
)
def test_a_refused_entry_says_why_and_changes_nothing(admin, data, message):
    response = admin.post(ADD, data, follow=True)
    assert message in response.content.decode()
    assert not BaseRateEntry.objects.exists()


def test_only_the_admin_may_enter_a_rate(client, support_user, vendor1_user):
    for user in (support_user, vendor1_user):
        client.force_login(user)
        assert client.post(ADD, {"valid_from": "2026-07-01", "percent": "1.52"}).status_code == 403
    assert not BaseRateEntry.objects.exists()
    client.logout()
    assert client.post(ADD, {"valid_from": "2026-07-01", "percent": "1.52"}).status_code == 302
    assert client.get(ADD).status_code in (302, 405)
