from datetime import date

import pytest

from standing.claims.models import Claim, ClaimComment, ClaimStatus, Visibility
from standing.claims.tests.conftest import collection, event, make_order  # noqa: F401

D0 = date(2026, 1, 31)


@pytest.fixture
def make_claim(collection, make_order, event, customer_factory):  # noqa: F811
    """A claim of ``vendor`` on a new order, put into ``status`` with the given fields (the
    test's starting point; the transitions themselves are the claims app's)."""

    def make(vendor=None, status=ClaimStatus.OPEN, number=None, customer=None, **fields):
        order = make_order(vendor=vendor, number=number, customer=customer)
        event(order, "payment_failed", D0, installment=1)
        claim = Claim.objects.get(order=order)
        if status == ClaimStatus.BLOCKED and "status_before_block" not in fields:
            fields["status_before_block"] = ClaimStatus.DUNNING_1
        Claim.objects.filter(pk=claim.pk).update(status=status, **fields)
        return Claim.objects.select_related("order", "customer", "vendor").get(pk=claim.pk)

    return make


def comment(claim, text, visibility=Visibility.VENDOR):
    return ClaimComment.objects.create(
        claim=claim, visibility=visibility, text=text, author_label="test"
    )
