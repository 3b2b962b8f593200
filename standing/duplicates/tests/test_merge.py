"""Merging two customers: preview, per-field choices, every record moves, the tombstone."""

from datetime import date

import pytest

from standing.accounts.scoping import Actor
from standing.activity.models import ActivityRecord
from standing.blocks import services as blocks
from standing.customers import access
from standing.customers import services as customers
from standing.customers.models import Customer, CustomerStatus, CustomerVendor
from standing.customers.records import covered
from standing.duplicates import merge
from standing.duplicates.merge import MergeRefused
from standing.privacy.tests.rich import make_rich_customer


@pytest.fixture
def rich(vendor1, support_user, django_capture_on_commit_callbacks):
    return make_rich_customer(vendor1, support_user, django_capture_on_commit_callbacks)


@pytest.fixture
def survivor(person, vendor1):
    return person(
        vendor=vendor1,
        first_name="Wilhelmine",
        last_name="Zwirbelmaier",
        birth_date=date(1979, 3, 14),
        email="wilma@example.org",
    )


def counts(customer):
    return {r.key: r.rows(customer).count() for r in covered()}


def test_preview_lists_every_record_and_conflict_and_changes_nothing(rich, survivor, support):
    before_other, before_survivor = counts(rich.customer), counts(survivor)
    blocks.block_customer(survivor, support, reason="missing_data", duration="5d")
    plan = merge.preview(survivor, rich.customer)
    moved = {m["key"]: m["count"] for m in plan.moves}
    # Both are linked to vendor1: that link does not move, the survivor has it already.
    assert "customers.customervendor.customer" not in moved
    for key in [
        "orders.order.customer",
        "billing.document.customer",
        "blocks.block.customer",
        "customers.note.customer",
        "customers.customerfile.customer",
        "customers.message.customer",
        "deposits.depositoffer.customer",
        "customers.stafftask.customer",
        "payments.paymentlink.customer",
        "rentals.damagecase.customer",
        "rentals.voucher.customer",
        "screening.finding.customer",
        "screening.clearedmatch.customer",
        "activity.activityrecord.customer",
        "login",
    ]:
        assert moved.get(key), key
    messages = [str(c.message) for c in plan.conflicts]
    assert any("Both customers are blocked" in m for m in messages)
    assert any("statuses differ" in m for m in messages)
    assert not plan.blocking
    differing = {f["name"] for f in plan.fields if f["differs"]}
    assert {"last_name", "email", "phone"} <= differing and "birth_date" not in differing
    assert counts(rich.customer) == before_other
    assert counts(survivor)["blocks.block.customer"] == before_survivor["blocks.block.customer"] + 1


def test_merge_moves_everything_and_leaves_a_tombstone(rich, survivor, support):
    other = rich.customer
    other_counts = counts(other)
    survivor_counts = counts(survivor)
    moved = merge.merge(survivor, other, support, {"last_name": "other", "phone": "other"})
    survivor.refresh_from_db()
    other.refresh_from_db()
    # Field choices: the other's last name and phone, the survivor's own email.
    assert survivor.last_name == "Zwirbelmeier" and survivor.phone == "+4915123456789"
    assert survivor.email == "wilma@example.org"
    # The only login (the other's) moved with everything else.
    assert survivor.user is not None and survivor.user.username == other.number
    # Every record moved (derived ones dropped, unique ones merged).
    after = counts(survivor)
    for rel in covered():
        if rel.policy.merge == "move" and rel.key != "customers.customer.merged_into":
            expected = survivor_counts[rel.key] + other_counts[rel.key]
            if rel.key == "activity.activityrecord.customer":
                assert after[rel.key] > expected  # plus the merge's own records
            else:
                assert after[rel.key] == expected, rel.key
            assert rel.rows(other).count() == 0 or rel.key.startswith("activity"), rel.key
    assert CustomerVendor.objects.filter(customer=survivor).count() == 1
    assert moved["orders.order.customer"] == 1 and moved["login"] == 1
    # The tombstone: merged status, pointing to the survivor, nothing personal left.
    assert other.status == CustomerStatus.MERGED and other.merged_into == survivor
    assert other.first_name == other.last_name == other.email == other.iban == ""
    assert other.birth_date is None and other.user is None
    # The snapshot of the merged-away data in the survivor's history.
    snap = ActivityRecord.objects.get(customer=survivor, action="customer.merged")
    assert snap.before["email"] == "w.zwirbelmeier@example.org"
    assert snap.before["number"] == other.number
    assert merge.resolve(other.number) == survivor


def test_both_with_a_login_is_refused_and_changes_nothing(person, support):
    first = person(email="a@example.de")
    second = person(email="b@example.de")
    access.invite(first, support)
    access.invite(second, support)
    with pytest.raises(MergeRefused, match="Both customers have a login"):
        merge.merge(first, second, support)
    second.refresh_from_db()
    assert second.status == CustomerStatus.PENDING and second.email == "b@example.de"


def test_bad_choices_and_self_merge_refused(person, support):
    first, second = person(), person()
    with pytest.raises(Exception, match="Unknown field"):
        merge.merge(first, second, support, {"number": "other"})
    with pytest.raises(Exception, match="keep"):
        merge.merge(first, second, support, {"email": "mine"})
    with pytest.raises(MergeRefused, match="itself"):
        merge.merge(first, first, support)


def test_api_merge_and_the_tombstone_answers_merged_into(api_as, person, support_user):
    first = person(email="one@example.de", last_name="Eins")
    second = person(email="two@example.de", last_name="Zwei")
    api = api_as(support_user)
    preview = api.get(f"/customers/{first.number}/merge", other=second.number)
    assert preview.status_code == 200, preview.content
    assert {f["name"] for f in preview.json()["fields"] if f["differs"]} >= {"email", "last_name"}
    response = api.post(
        f"/customers/{first.number}/merge",
        {"other": second.number, "choices": {"email": "other"}},
    )
    assert response.status_code == 200, response.content
    assert response.json()["merged"] == second.number
    card = api.get(f"/customers/{second.number}").json()
    assert card["merged_into"] == first.number and card["status"] == "merged"
    patched = api.patch(f"/customers/{second.number}", {"city": "Köln"})
    assert patched.status_code == 409 and first.number in patched.json()["detail"]
    assert api.get(f"/customers/{first.number}").json()["email"] == "two@example.de"
    again = api.post(f"/customers/{first.number}/merge", {"other": second.number})
    assert again.status_code == 409 and "cannot be merged" in again.json()["detail"]
    bad = api.post(f"/customers/{first.number}/merge", {"other": "K-999999"})
    assert bad.status_code == 404
    bad = api.post(
        f"/customers/{first.number}/merge", {"other": second.number, "choices": {"x": "other"}}
    )
    assert bad.status_code in (409, 422)
    listed = {c["number"]: c for c in api.get("/customers").json()["items"]}
    assert listed[second.number]["merged_into"] == first.number


def test_api_roles(api_as, person, vendor1, vendor1_user, vendor2_user):
    first, second = person(vendor=vendor1), person(vendor=vendor1)
    body = {"other": second.number}
    assert api_as(vendor1_user).post(f"/customers/{first.number}/merge", body).status_code == 403
    assert api_as(vendor2_user).post(f"/customers/{first.number}/merge", body).status_code == 404
    assert Customer.objects.get(pk=second.pk).status == CustomerStatus.PENDING


def test_merge_form_preview_choices_and_redirect(client, person, support_user):
    first = person(email="one@example.de", last_name="Eins")
    second = person(email="two@example.de", last_name="Zwei")
    customers.add_note(second, Actor.of(support_user), "Rückruf erbeten")
    client.force_login(support_user)
    pick = client.get(f"/duplicates/merge/{first.number}/", {"q": "Zwei"})
    assert pick.status_code == 200 and second.number in pick.text
    form = client.get(f"/duplicates/merge/{first.number}/", {"other": second.number})
    assert form.status_code == 200
    assert 'name="choice-email"' in form.text and 'id="merge-moves"' in form.text
    assert first.email in form.text and second.email in form.text
    response = client.post(
        f"/duplicates/merge/{first.number}/",
        {"other": second.number, "choice-email": "other", "choice-last_name": "keep"},
    )
    assert response.status_code == 302 and response.url == first.get_absolute_url()
    first.refresh_from_db()
    assert first.email == "two@example.de" and first.last_name == "Eins"
    assert first.notes.count() == 1
    # The merged-away number redirects to the survivor's card.
    tomb = client.get(second.get_absolute_url())
    assert tomb.status_code == 302 and tomb.url == first.get_absolute_url()
