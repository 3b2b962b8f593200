"""The dunning run: letters, handover, reopened check, paid closing, pauses, blocks, exactly
once, --date replays."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from standing.accounts.scoping import Actor
from standing.claims import run as dunning
from standing.claims import services
from standing.claims.models import Claim, ClaimEntry, ClaimStatus, DunningRun, EntryKind, Letter
from standing.core.models import StateTransition

pytestmark = pytest.mark.django_db
S = ClaimStatus
D0 = date(2026, 1, 31)


@pytest.fixture
def missed(collection, make_order, event):
    """An installment order whose first installment failed on its due date (2026-01-31)."""

    def make(**kwargs):
        order = make_order(**kwargs)
        event(order, "payment_failed", D0, installment=1)
        return Claim.objects.get(order=order)

    return make


def fresh(claim):
    return Claim.objects.select_related("customer", "order").get(pk=claim.pk)


def test_the_timeline_from_review_to_handover(missed, vendor1_user, collection):
    collection(first_letter_after_days=7, second_letter_after_days=14, handover_after_days=10)
    claim = missed()
    # Waiting for the vendor's review: no letter, whatever the day.
    assert dunning.run(D0 + timedelta(days=30)).summary["letters_1"] == 0
    services.start_dunning(claim, Actor.of(vendor1_user), on=date(2026, 3, 2))
    # The start counts for runs on that day and later only.
    assert dunning.run(date(2026, 3, 1)).summary["letters_1"] == 0
    assert dunning.run(date(2026, 3, 2)).summary["letters_1"] == 1
    claim = fresh(claim)
    assert claim.status == S.DUNNING_1 and claim.first_letter_on == date(2026, 3, 2)
    assert dunning.run(date(2026, 3, 15)).summary["letters_2"] == 0
    assert dunning.run(date(2026, 3, 16)).summary["letters_2"] == 1
    assert dunning.run(date(2026, 3, 26)).summary["on_hold"] == 1
    claim = fresh(claim)
    assert (claim.status, claim.second_letter_on) == (S.ON_HOLD, date(2026, 3, 16))
    services.approve(claim, Actor.of(vendor1_user), on=date(2026, 3, 27))
    claim = fresh(claim)
    assert claim.status == S.SENT_FOR_COLLECTION and claim.incasso_on == date(2026, 3, 27)
    assert [
        t.to_state for t in StateTransition.objects.filter(lifecycle="claim").order_by("pk")
    ] == [
        S.DUNNING_1,
        S.DUNNING_2,
        S.ON_HOLD,
        S.SENT_FOR_COLLECTION,
    ]
    assert list(Letter.objects.filter(claim=claim).values_list("level", "on")) == [
        (1, date(2026, 3, 2)),
        (2, date(2026, 3, 16)),
    ]


def test_letters_book_interest_and_the_configured_fee_once(missed, collection, vendor1_user):
    collection(first_letter_after_days=0, fee_first_letter=Decimal("1.20"), auto_handover=True)
    claim = missed()
    assert claim.dunning_started_on == D0  # automatic: no review
    dunning.run(date(2026, 3, 2))
    dunning.run(date(2026, 3, 2))
    letter = Letter.objects.get(claim=claim, level=1)
    interest = ClaimEntry.objects.get(claim=claim, kind=EntryKind.INTEREST)
    # 100.00 at 6.27 % (base 1.27 + 5) from 2026-02-01 through 2026-03-02: 30 days / 365.
    assert interest.amount == Decimal("0.52")
    assert interest.details["pieces"][0]["days"] == 30
    assert ClaimEntry.objects.filter(claim=claim, kind=EntryKind.DUNNING_FEE).count() == 1
    assert (letter.principal, letter.interest, letter.fees, letter.total) == (
        Decimal("100.00"),
        Decimal("0.52"),
        Decimal("1.20"),
        Decimal("101.72"),
    )
    assert letter.deadline == date(2026, 3, 16)


def test_business_debtors_owe_the_flat_fee_once_and_no_letter_fees(
    collection, make_order, event, customer_factory, vendor1, vendor1_user
):
    collection(first_letter_after_days=0, fee_first_letter=Decimal("1.20"))
    business = customer_factory(vendor=vendor1, kind="business", company_name="Muster GmbH")
    order = make_order(customer=business)
    event(order, "payment_failed", D0, installment=1)
    claim = Claim.objects.get(order=order)
    services.start_dunning(claim, Actor.of(vendor1_user), on=D0)
    dunning.run(date(2026, 2, 2))
    dunning.run(date(2026, 2, 16))
    kinds = list(ClaimEntry.objects.filter(claim=claim).values_list("kind", "amount"))
    assert (EntryKind.FLAT_FEE, Decimal("40.00")) in kinds
    assert [k for k, _a in kinds].count(EntryKind.FLAT_FEE) == 1
    assert EntryKind.DUNNING_FEE not in [k for k, _a in kinds]


def test_the_same_run_twice_does_nothing_twice(missed, collection):
    collection(first_letter_after_days=0, auto_handover=True)
    claims = [missed() for _ in range(3)]
    for claim in claims:
        Claim.objects.filter(pk=claim.pk).update(dunning_started_on=D0)
    first = dunning.run(date(2026, 2, 5))
    again = dunning.run(date(2026, 2, 5))
    assert first.summary["letters_1"] == 3 and again.summary["letters_1"] == 0
    assert Letter.objects.count() == 3
    assert ClaimEntry.objects.filter(kind=EntryKind.INTEREST).count() == 3
    assert DunningRun.objects.count() == 2


def test_reopened_orders_cancel_the_claim_before_any_letter(missed, make_order, collection):
    collection(first_letter_after_days=0, auto_handover=True)
    claim = missed(sku="MITGL-12")
    Claim.objects.filter(pk=claim.pk).update(dunning_started_on=D0)
    again = make_order(customer=claim.customer, sku="MITGL-12", created=date(2026, 2, 10))
    other = make_order(customer=claim.customer, sku="OTHER", created=date(2026, 2, 3))
    assert dunning.run(date(2026, 2, 5)).summary["letters_1"] == 1  # the new order is later
    outcome = dunning.run(date(2026, 2, 10))
    assert outcome.summary["reopened"] == 1
    claim = fresh(claim)
    assert claim.status == S.CANCELED and claim.reopened is True
    assert claim.reopened_order == again and claim.reopened_order != other


def test_a_claim_waiting_for_review_is_checked_for_reopening_too(missed, make_order):
    claim = missed()
    make_order(customer=claim.customer, sku="E-BIKE", created=date(2026, 2, 1))
    assert dunning.run(date(2026, 2, 2)).summary["reopened"] == 1
    assert fresh(claim).status == S.CANCELED


def test_paused_claims_get_no_letter_until_after_the_pause(missed, collection, vendor1_user):
    collection(first_letter_after_days=0)
    claim = missed()
    vendor = Actor.of(vendor1_user)
    services.start_dunning(claim, vendor, on=D0)
    services.pause(claim, vendor, until=date(2026, 2, 20), reason="Stundung", on=D0)
    assert dunning.run(date(2026, 2, 20)).summary["letters_1"] == 0
    assert dunning.run(date(2026, 2, 21)).summary["letters_1"] == 1


def test_handover_without_full_address_blocks_until_fixed(missed, collection, support_user):
    collection(first_letter_after_days=0, auto_handover=True)
    claim = missed()
    Claim.objects.filter(pk=claim.pk).update(dunning_started_on=D0)
    dunning.run(date(2026, 2, 1))
    dunning.run(date(2026, 2, 15))
    claim.customer.street = ""
    claim.customer.save()
    assert dunning.run(date(2026, 3, 1)).summary["blocked"] == 1
    claim = fresh(claim)
    assert claim.status == S.BLOCKED and claim.invalid_address
    assert claim.status_before_block == S.DUNNING_2
    support = Actor.of(support_user)
    with pytest.raises(Exception, match="address"):
        services.release(claim, support)
    claim.customer.street = "Hauptstraße 2"
    claim.customer.save()
    services.release(fresh(claim), support)
    assert fresh(claim).status == S.DUNNING_2
    assert dunning.run(date(2026, 3, 2)).summary["handovers"] == 1
    claim = fresh(claim)
    assert claim.status == S.SENT_FOR_COLLECTION and claim.incasso_on == date(2026, 3, 2)


def test_vendors_that_take_no_part_and_excluded_products_are_listed_not_dunned(
    missed, collection, vendor2, make_order, event
):
    collection(first_letter_after_days=0, auto_handover=True, excluded_products=["EXCL"])
    collection(vendor2, enabled=False, auto_handover=True)
    excluded = missed(sku="EXCL")
    other = make_order(vendor=vendor2)
    event(other, "payment_failed", D0, installment=1)
    dunning.run(date(2026, 3, 1))
    assert fresh(excluded).status == S.OPEN
    assert Claim.objects.get(order=other).status == S.OPEN
    assert not Letter.objects.exists()


def test_paid_claims_close_in_the_run_whatever_their_stage(missed, collection, event):
    collection(first_letter_after_days=0, auto_handover=True)
    claim = missed()
    Claim.objects.filter(pk=claim.pk).update(dunning_started_on=D0)
    dunning.run(date(2026, 2, 1))
    # Paid on the order by the shop; the ledger still holds the booked interest.
    event(claim.order, "payment_received", date(2026, 2, 3), amount="100.00", installment=1)
    claim = fresh(claim)
    assert claim.status == S.DUNNING_1  # interest booked with the letter is still open
    services.apply_claim_payment(
        claim, Decimal("0.02"), on=date(2026, 2, 4), actor=None, reference="rest"
    )
    assert fresh(claim).status == S.PAID


def test_dry_run_changes_nothing(missed, collection):
    collection(first_letter_after_days=0, auto_handover=True)
    claim = missed()
    Claim.objects.filter(pk=claim.pk).update(dunning_started_on=D0)
    outcome = dunning.run(date(2026, 2, 5), dry_run=True)
    assert outcome.summary["letters_1"] == 1 and outcome.run is None
    assert fresh(claim).status == S.OPEN
    assert not Letter.objects.exists() and not DunningRun.objects.exists()


def test_vendor_filter(missed, collection, vendor2, make_order, event):
    collection(first_letter_after_days=0, auto_handover=True)
    collection(vendor2, first_letter_after_days=0, auto_handover=True)
    mine = missed()
    theirs = make_order(vendor=vendor2)
    event(theirs, "payment_failed", D0, installment=1)
    Claim.objects.update(dunning_started_on=D0)
    assert dunning.run(date(2026, 2, 5), vendor=vendor2).summary["letters_1"] == 1
    assert fresh(mine).status == S.OPEN
    assert Claim.objects.get(order=theirs).status == S.DUNNING_1


def test_the_reopened_check_finds_what_the_row_by_row_check_finds(missed, make_order):
    """The reopened check as one join along the indexes (``_reordered``) selects exactly the
    claims the plain condition (``_later_same_product``) selects."""
    from django.db.models import Exists

    from standing.orders.models import OrderItem, OrderStatus

    later = date(2026, 2, 3)
    same = missed(sku="A")
    make_order(customer=same.customer, sku="A", created=later)
    other_sku = missed(sku="B")
    make_order(customer=other_sku.customer, sku="X", created=later)
    earlier = missed(sku="C", created=date(2026, 1, 10))
    make_order(customer=earlier.customer, sku="C", created=date(2026, 1, 5))
    cancelled = missed(sku="D")
    again = make_order(customer=cancelled.customer, sku="D", created=later)
    again.status = OrderStatus.CANCELLED
    again.save(update_fields=["status"])
    too_late = missed(sku="E")
    make_order(customer=too_late.customer, sku="E", created=date(2026, 3, 1))
    second_item = missed(sku="F")
    OrderItem.objects.create(order=second_item.order, kind="sale", sku="G", name="G", price=1)
    make_order(customer=second_item.customer, sku="G", created=later)
    someone_else = missed(sku="H")
    make_order(sku="H", created=later)  # another customer

    as_of = date(2026, 2, 10)
    new = Claim.objects.filter(Exists(dunning._reordered(as_of)))
    old = Claim.objects.filter(Exists(dunning._later_same_product(as_of)))
    assert set(new) == set(old) == {same, second_item}
    assert {other_sku, earlier, cancelled, too_late, someone_else}.isdisjoint(new)
    assert dunning.run(as_of).summary["reopened"] == 2


def test_the_runs_queries_do_not_grow_with_its_claims(missed, collection, vendor2):
    """Letters for 2 claims and for 7 take the same statements: the run is set-based."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    collection(first_letter_after_days=0, auto_handover=True)
    collection(vendor2, first_letter_after_days=0, auto_handover=True)
    few = [missed() for _ in range(2)]
    many = [missed(vendor=vendor2) for _ in range(7)]
    Claim.objects.update(dunning_started_on=D0)
    counts = []
    for claims in (few, many):
        with CaptureQueriesContext(connection) as queries:
            outcome = dunning.run(date(2026, 2, 5), vendor=claims[0].vendor)
        assert outcome.summary["letters_1"] == len(claims)
        counts.append(len(queries))
    assert counts[0] == counts[1]
