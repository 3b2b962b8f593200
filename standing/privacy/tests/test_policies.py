"""Every model with a foreign key to Customer has a merge/export/erasure policy; a new one
without a policy makes merge, export, erasure and ``standing check`` refuse."""

import json

import pytest
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.db import models

from standing.customers import records
from standing.customers.models import Customer
from standing.duplicates import merge
from standing.privacy import erasure, export


def test_every_customer_relation_has_a_policy():
    assert records.missing() == []
    assert records.check_policies() == []


def test_every_exported_section_is_in_the_committed_schema():
    committed = json.loads(export.SCHEMA_FILE.read_text())
    assert committed == export.build_schema(), (
        "The export changed: run `standing customer schema -o "
        "standing/privacy/schema/customer-v1.json` (a new section or field is fine within v1; "
        "a removed or changed one needs customer-v2)."
    )


@pytest.fixture
def orphan():
    class Orphan(models.Model):
        customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="+")

        class Meta:
            app_label = "privacy"

        def __str__(self):
            return str(self.pk)

    yield Orphan
    del apps.all_models["privacy"]["orphan"]
    apps.clear_cache()


def test_a_new_model_with_a_customer_fk_and_no_policy_fails(orphan, customer_factory):
    first, second = customer_factory(), customer_factory()
    assert records.missing() == ["privacy.orphan.customer"]
    assert [e.id for e in records.check_policies()] == ["customers.E001"]
    with pytest.raises(ImproperlyConfigured, match="privacy.orphan.customer"):
        merge.preview(first, second)
    with pytest.raises(ImproperlyConfigured, match="privacy.orphan.customer"):
        erasure.plan(first)
    with pytest.raises(ImproperlyConfigured, match="privacy.orphan.customer"):
        list(export.stream_zip(first, include_evidence=True))


def test_retention_ends_with_the_calendar_year(settings):
    from datetime import date, datetime
    from zoneinfo import ZoneInfo

    assert erasure.retention_end("voucher", date(2026, 1, 2)) == date(2034, 12, 31)
    assert erasure.retention_end("books", date(2026, 12, 31)) == date(2036, 12, 31)
    assert erasure.retention_end("letters", date(2025, 6, 1)) == date(2031, 12, 31)
    # A time at 23:30 UTC on 31 December is already next year in Berlin.
    late = datetime(2026, 12, 31, 23, 30, tzinfo=ZoneInfo("UTC"))
    assert erasure.retention_end("voucher", late) == date(2035, 12, 31)


def test_staff_only_rows_and_the_erase_hook(customer, support):
    from dataclasses import replace

    from django.db.models import Q

    from standing.customers.services import add_note

    from .conftest import read_zip

    key = ("customers.note", "customer")
    seen = []
    changed = replace(
        records.POLICIES.get(key),
        staff_only=Q(text__startswith="intern"),
        on_erase=lambda rows: seen.append(sorted(rows.values_list("text", flat=True))),
    )
    policies = [(k, changed if k == key else p) for k, p in records.POLICIES.items()]
    with records.POLICIES.replaced(*policies):
        add_note(customer, support, "intern: zahlt meist spät")
        add_note(customer, support, "Adresse bestätigt")

        def notes(for_staff):
            data, _files = read_zip(b"".join(export.stream_zip(customer, for_staff)))
            return sorted(n["text"] for n in data["records"]["notes"])

        assert notes(True) == ["Adresse bestätigt", "intern: zahlt meist spät"]
        assert notes(False) == ["Adresse bestätigt"]
        erasure.erase(customer, support)
        assert seen == [["Adresse bestätigt", "intern: zahlt meist spät"]]
