"""The vendor's collection settings as data: read, change, the 30-day rule of the option."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from standing.accounts.scoping import Actor
from standing.claims import services
from standing.claims.models import CollectionSettings

pytestmark = pytest.mark.django_db


def test_defaults_one_row_per_vendor(vendor1):
    row = services.settings_for(vendor1)
    assert services.settings_for(vendor1).pk == row.pk
    assert (row.enabled, row.dunning_option, row.second_letter_after_days) == (False, "a", 14)
    assert row.fee_first_letter == Decimal("0.00") and row.excluded_products == []
    assert CollectionSettings.objects.count() == 1


def test_the_dunning_option_changes_once_every_30_days(vendor1, vendor1_user):
    vendor = Actor.of(vendor1_user)
    services.change_settings(vendor1, vendor, on=date(2026, 3, 1), dunning_option="b")
    with pytest.raises(services.SettingsChangeRefused) as refused:
        services.change_settings(vendor1, vendor, on=date(2026, 3, 30), dunning_option="a")
    assert refused.value.next_change_allowed == date(2026, 3, 31)
    assert "31" in str(refused.value)
    # Other settings change at any time; the same option again is no change.
    services.change_settings(vendor1, vendor, on=date(2026, 3, 2), auto_handover=True)
    services.change_settings(vendor1, vendor, on=date(2026, 3, 2), dunning_option="b")
    services.change_settings(vendor1, vendor, on=date(2026, 3, 31), dunning_option="a")
    assert services.settings_for(vendor1).dunning_option == "a"


@pytest.mark.parametrize(
    "values",
    [
        {"dunning_option": "c"},
        {"second_letter_after_days": -1},
        {"handover_after_days": "14"},
        {"fee_first_letter": "1.234"},
        {"excluded_products": "SKU"},
        {"colour": "red"},
    ],
)
def test_bad_settings_change_nothing(vendor1, vendor1_user, values):
    with pytest.raises(ValidationError):
        services.change_settings(vendor1, Actor.of(vendor1_user), **values)
    row = services.settings_for(vendor1)
    assert (row.dunning_option, row.second_letter_after_days, row.fee_first_letter) == (
        "a",
        14,
        Decimal("0.00"),
    )


def test_claims_keep_the_option_they_opened_with(collection, make_order, event, vendor1_user):
    collection(dunning_option="a")
    order = make_order()
    event(order, "payment_failed", date(2026, 1, 31), installment=1)
    services.change_settings(order.vendor, Actor.of(vendor1_user), dunning_option="b")
    assert order.claims.get().dunning_option == "a"
