"""Issue 9, item 6: an audit trail nobody can delete, in the admin and in the database."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models import ProtectedError
from django.utils import timezone

from standing.accounts.models import ApiToken, Role, User
from standing.accounts.scoping import Actor
from standing.activity import audit
from standing.activity.models import ActivityRecord
from standing.activity.services import record


@pytest.fixture
def entry(customer, support):
    return record(customer, support, "test.note", "Something happened", after={"a": 1})


def test_the_guard_is_installed(db):
    assert audit.installed()


def refused(action):
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        action()


def test_updates_and_deletes_are_refused_by_the_database(entry):
    refused(lambda: ActivityRecord.objects.filter(pk=entry.pk).update(summary="rewritten"))
    refused(lambda: ActivityRecord.objects.filter(pk=entry.pk).delete())
    refused(lambda: entry.delete())
    entry.after = {"a": 2}
    refused(lambda: entry.save())
    table = audit.TABLE

    def raw_sql(sql):
        with connection.cursor() as cursor:
            cursor.execute(sql, [entry.pk])

    refused(lambda: raw_sql(f"DELETE FROM {table} WHERE id = %s"))
    refused(lambda: raw_sql(f"UPDATE {table} SET internal = NOT internal WHERE id = %s"))
    entry.refresh_from_db()
    assert entry.summary == "Something happened" and entry.after == {"a": 1}


def test_new_records_are_appended(entry, customer, support):
    record(customer, support, "test.more", "And more")
    assert ActivityRecord.objects.filter(customer=customer).count() == 3  # with "created"


def test_a_customer_with_history_cannot_be_deleted(entry, customer):
    with pytest.raises(ProtectedError), transaction.atomic():
        customer.delete()
    assert ActivityRecord.objects.filter(pk=entry.pk).exists()


def test_a_deleted_user_leaves_the_label(customer):
    clerk = User.objects.create_user("clerk", password="x", role=Role.SUPPORT)
    entry = record(customer, Actor.of(clerk), "test.note", "By the clerk")
    clerk.delete()
    entry.refresh_from_db()
    assert entry.actor_id is None and entry.actor_label == "clerk"
    # Only the reference may go: the same update with another change is refused.
    refused(lambda: ActivityRecord.objects.filter(pk=entry.pk).update(actor_label="someone else"))


def test_maintenance_lifts_the_guard_inside_the_block_only(entry):
    with audit.maintenance():
        ActivityRecord.objects.filter(pk=entry.pk).update(summary="erased")
    entry.refresh_from_db()
    assert entry.summary == "erased"
    refused(lambda: ActivityRecord.objects.filter(pk=entry.pk).delete())


@pytest.fixture
def admin_client(client, db):
    boss = User.objects.create_superuser("boss", password="pw-boss-12345", role=Role.ADMIN)
    client.force_login(boss)
    return client


@pytest.fixture
def records(customer, support, vendor1):
    from standing.blocks import services as blocks
    from standing.orders import events
    from standing.orders import services as orders

    order = orders.create_order(
        support,
        number="A-1",
        vendor=vendor1,
        customer=customer,
        amount=Decimal("50.00"),
        payment_method="invoice",
        created_at=timezone.now(),
        plan_kind="one_time",
        due=timezone.localdate(),
    )
    events.deliver(
        order,
        support,
        events.Event(
            id="e1",
            type="payment_received",
            date=timezone.localdate(),
            amount=Decimal("50.00"),
            installment=None,
            fee=None,
        ),  # fmt: skip
    )
    block = blocks.block_customer(customer, support, reason="other", duration="5d", note="n")
    token = ApiToken.issue(support.user)[0]
    from standing.billing import services as billing
    from standing.billing.models import CostType

    document = billing.issue_document(
        customer, "invoice", CostType.objects.get(code="deposit"), [("Kaution", 1, 50)], support
    )
    return {
        "customers/customer": customer,
        "orders/paymentevent": order.events.get(),
        "orders/order": order,
        "activity/activityrecord": ActivityRecord.objects.filter(customer=customer).first(),
        "blocks/block": block,
        "accounts/apitoken": token,
        "billing/document": document,
    }


def test_the_admin_neither_deletes_nor_edits_audit_data(admin_client, records):
    for path, obj in records.items():
        base = f"/admin/{path}/{obj.pk}"
        page = admin_client.get(f"{base}/change/")
        assert page.status_code == 200, path
        assert admin_client.get(f"{base}/delete/").status_code == 403, path
        assert admin_client.post(f"{base}/delete/", {"post": "yes"}).status_code == 403, path
        type(obj).objects.get(pk=obj.pk)  # still there
        listing = admin_client.post(
            f"/admin/{path}/", {"action": "delete_selected", "_selected_action": [obj.pk]}
        )
        assert listing.status_code in (200, 302)
        type(obj).objects.get(pk=obj.pk)
    # A token's scope is shown, not editable; the form has no scope field.
    token = records["accounts/apitoken"]
    html = admin_client.get(f"/admin/accounts/apitoken/{token.pk}/change/").content.decode()
    assert 'name="scope"' not in html and 'name="user"' not in html
    admin_client.post(
        f"/admin/accounts/apitoken/{token.pk}/change/", {"scope": "admin", "name": "x"}
    )
    token.refresh_from_db()
    assert token.scope == Role.SUPPORT


def test_customer_change_form_saves_nothing(admin_client, customer):
    admin_client.post(
        f"/admin/customers/customer/{customer.pk}/change/",
        {"first_name": "Mallory", "last_name": "X", "number": customer.number},
    )
    customer.refresh_from_db()
    assert customer.first_name == "Anna"
