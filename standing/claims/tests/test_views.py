"""Claim pages for each role: the list and review tab, the claim page, actions by form, the
letter PDF, the runs, the card's panel; another vendor's claim is a 404."""

from datetime import date

import pytest
from django.test import Client

from standing.claims import run as dunning
from standing.claims.models import Claim, ClaimStatus, DunningRun, Letter

pytestmark = pytest.mark.django_db
D0 = date(2026, 1, 31)


def login(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def claim(collection, make_order, event, django_capture_on_commit_callbacks):
    collection(first_letter_after_days=0, auto_handover=True)
    order = make_order(number="AN-9")
    event(order, "payment_failed", D0, installment=1)
    with django_capture_on_commit_callbacks(execute=True):
        dunning.run(date(2026, 2, 2))
    return Claim.objects.get(order=order)


@pytest.mark.parametrize("who", ["admin_user", "support_user", "vendor1_user"])
def test_pages_answer_for_each_back_office_role(request, who, claim):
    client = login(request.getfixturevalue(who))
    for url in (
        "/claims/",
        "/claims/?status=waiting",
        "/claims/?status=all&q=AN-9&min=1&max=x&from=2026-01-01",
        f"/claims/{claim.pk}/",
        "/claims/runs/",
        f"/claims/runs/{DunningRun.objects.get().pk}/",
        claim.customer.get_absolute_url(),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
    page = client.get(f"/claims/{claim.pk}/").content.decode()
    assert "AN-9" in page and 'id="timeline"' in page and 'id="ledger"' in page
    card = client.get(f"{claim.customer.get_absolute_url()}panels/claims/").content.decode()
    assert 'id="claims"' in card and f"/claims/{claim.pk}/" in card
    pdf = client.get(f"/claims/{claim.pk}/letters/1.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"


def test_another_vendor_sees_nothing(vendor2_user, claim):
    client = login(vendor2_user)
    assert client.get(f"/claims/{claim.pk}/").status_code == 404
    assert client.get(f"/claims/{claim.pk}/letters/1.pdf").status_code == 404
    assert client.post(f"/claims/{claim.pk}/actions/pause/", {}).status_code == 404
    assert "AN-9" not in client.get("/claims/?status=all").content.decode()


def test_customers_and_integrations_are_refused(integration_user, claim):
    assert login(integration_user).get("/claims/").status_code == 403


def test_actions_by_form(support_user, claim):
    client = login(support_user)
    response = client.post(f"/claims/{claim.pk}/actions/block/", {"reason": ""})
    assert response.status_code == 302
    assert Claim.objects.get(pk=claim.pk).status == ClaimStatus.DUNNING_1
    client.post(f"/claims/{claim.pk}/actions/block/", {"reason": "Anwalt"})
    assert Claim.objects.get(pk=claim.pk).status == ClaimStatus.BLOCKED
    page = client.get(f"/claims/{claim.pk}/").content.decode()
    assert 'data-action="release"' in page
    client.post(f"/claims/{claim.pk}/actions/release/")
    assert Claim.objects.get(pk=claim.pk).status == ClaimStatus.DUNNING_1


def test_the_print_file_is_for_staff(support_user, vendor1_user, claim):
    run = DunningRun.objects.get()
    assert login(support_user).get(f"/claims/runs/{run.pk}/print.pdf").status_code == 200
    assert login(vendor1_user).get(f"/claims/runs/{run.pk}/print.pdf").status_code == 403
    assert Letter.objects.filter(run=run).count() == 1


def test_list_and_board_ask_a_few_queries_whatever_the_rows(
    support_user, collection, make_order, event, vendor1, vendor2
):
    """The actions of a page's open claims come from one query per vendor, not one per row."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    collection(vendor2, excluded_products=["E-BIKE"])
    client = login(support_user)

    def queries(url):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    def add(n):
        for i in range(n):
            event(
                make_order(vendor=vendor2 if i % 2 else None), "payment_failed", D0, installment=1
            )

    add(2)
    few = {url: queries(url) for url in ("/claims/?status=open", "/collection/?status=open")}
    add(8)
    many = {url: queries(url) for url in few}
    assert many == few
    # Only vendor1's claims may be dunned (vendor2 excludes the product), row by row as well.
    from standing.claims import services

    claims = list(Claim.objects.filter(status=ClaimStatus.OPEN).select_related("vendor"))
    assert len(claims) == 10
    dunned = services.dunned_ids(claims)
    assert dunned == {c.pk for c in claims if services.is_dunned(c)}
    assert dunned == {c.pk for c in claims if c.vendor_id == vendor1.pk}
    assert len(dunned) == 5


def test_the_cards_panel_shows_the_derived_open_amount_and_the_letters(support_user, claim):
    from standing.claims import services
    from standing.core.templatetags.money import money

    derived = services.claim_list(Claim.objects.filter(pk=claim.pk), as_of=services.today()).get()
    url = f"{claim.customer.get_absolute_url()}panels/claims/"  # a lazy card panel
    card = login(support_user).get(url).content.decode()
    panel = card[card.index('id="claims"') :]
    assert str(money(derived.open_total)) in panel
    assert f"/claims/{claim.pk}/letters/1.pdf" in panel


def test_a_card_without_claims_asks_only_for_their_ids(
    support_user, customer_factory, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    customer = customer_factory()
    client = login(support_user)
    with CaptureQueriesContext(connection) as captured:
        card = client.get(f"{customer.get_absolute_url()}panels/claims/").content.decode()
    assert "No claims." in card or "Keine Forderungen." in card
    claims_queries = [q["sql"] for q in captured.captured_queries if "claims_claim" in q["sql"]]
    assert len(claims_queries) == 1 and "claims_claimentry" not in claims_queries[0]
