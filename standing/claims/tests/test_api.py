"""/api/v1/claims: the list with the board's filters, one claim, the actions; vendor-scoped."""

from datetime import date

import pytest
from django.utils import timezone

from standing.claims import run as dunning
from standing.claims.models import Claim, ClaimStatus

pytestmark = pytest.mark.django_db
D0 = date(2026, 1, 31)


@pytest.fixture
def claims(collection, make_order, event, vendor2, customer_factory, vendor1):
    anna = customer_factory(vendor=vendor1, first_name="Anna", last_name="Zeisig")
    mine = make_order(customer=anna, number="AN-1")
    event(mine, "payment_failed", D0, installment=1)
    theirs = make_order(vendor=vendor2, number="FW-1")
    event(theirs, "payment_failed", D0, installment=1)
    return Claim.objects.get(order=mine), Claim.objects.get(order=theirs)


def test_the_list_is_scoped_to_the_vendor(api_as, vendor1_user, support_user, claims):
    mine, theirs = claims
    body = api_as(vendor1_user).get("/claims").json()
    assert [c["id"] for c in body["items"]] == [mine.pk]
    item = body["items"][0]
    assert item["order"] == "AN-1" and item["status"] == "open" and item["open_amount"] == "100.00"
    assert item["default_since"] == "2026-02-01" and item["limitation_date"] == "2029-12-31"
    assert "start_dunning" in item["actions"]
    assert api_as(support_user).get("/claims").json()["count"] == 2


def test_filters(api_as, support_user, claims):
    api = api_as(support_user)
    assert [c["order"] for c in api.get("/claims", q="zeisig").json()["items"]] == ["AN-1"]
    assert [c["order"] for c in api.get("/claims", q="FW-1").json()["items"]] == ["FW-1"]
    assert api.get("/claims", status="waiting").json()["count"] == 2
    assert api.get("/claims", status="paid").json()["count"] == 0
    assert api.get("/claims", min="100.00", max="100.00").json()["count"] == 2
    assert api.get("/claims", min="100.01").json()["count"] == 0
    assert api.get("/claims", **{"from": "2026-02-01"}).json()["count"] == 0
    assert api.get("/claims", to="2026-01-31").json()["count"] == 2


@pytest.mark.parametrize(
    "params",
    [{"status": "nonsense"}, {"from": "31.01.2026"}, {"min": "1e5"}, {"page": "0"}],
)
def test_bad_filters_answer_422(api_as, support_user, claims, params):
    response = api_as(support_user).get("/claims", **params)
    assert response.status_code == 422 and "detail" in response.json()


def test_another_vendors_claim_is_not_found(api_as, vendor1_user, claims):
    mine, theirs = claims
    api = api_as(vendor1_user)
    assert api.get(f"/claims/{theirs.pk}").status_code == 404
    assert api.post(f"/claims/{theirs.pk}/start_dunning").status_code == 404
    assert Claim.objects.get(pk=theirs.pk).dunning_started_on is None
    assert api.get(f"/claims/{mine.pk}").status_code == 200


def test_roles_without_the_right_are_refused(api_as, integration_user, claims):
    mine, _theirs = claims
    api = api_as(integration_user)
    assert api.get("/claims").status_code == 403
    assert api.get(f"/claims/{mine.pk}").status_code == 403


def test_review_and_approval_through_the_api(api_as, vendor1_user, claims, collection):
    collection(first_letter_after_days=0)
    mine, _theirs = claims
    api = api_as(vendor1_user)
    response = api.post(f"/claims/{mine.pk}/start_dunning")
    assert response.status_code == 200 and response.json()["dunning_started_on"]
    assert api.post(f"/claims/{mine.pk}/start_dunning").status_code == 409
    assert api.post(f"/claims/{mine.pk}/approve").status_code == 409
    today = timezone.localdate()
    dunning.run(today)
    claim = Claim.objects.get(pk=mine.pk)
    assert claim.status == ClaimStatus.DUNNING_1
    detail = api.get(f"/claims/{mine.pk}").json()
    assert detail["first_dunning_letter"] == today.isoformat()
    assert detail["letters"][0]["level"] == 1
    assert detail["interest_pieces"]


def test_cancel_needs_a_reason(api_as, vendor1_user, claims):
    mine, _ = claims
    api = api_as(vendor1_user)
    response = api.post(f"/claims/{mine.pk}/cancel", {"reason": "  "})
    assert response.status_code == 422
    response = api.post(f"/claims/{mine.pk}/cancel", {"reason": "Kulanz"})
    assert response.status_code == 200 and response.json()["status"] == "canceled"
    assert response.json()["cancel_reason"] == "Kulanz"


def test_block_and_release_are_for_support(api_as, vendor1_user, support_user, claims):
    mine, _ = claims
    assert api_as(vendor1_user).post(f"/claims/{mine.pk}/block", {"reason": "x"}).status_code == 403
    support = api_as(support_user)
    assert support.post(f"/claims/{mine.pk}/block", {"reason": ""}).status_code == 422
    blocked = support.post(f"/claims/{mine.pk}/block", {"reason": "Anwaltsschreiben"})
    assert blocked.status_code == 200 and blocked.json()["status"] == "blocked"
    released = support.post(f"/claims/{mine.pk}/release")
    assert released.status_code == 200 and released.json()["status"] == "open"


@pytest.mark.parametrize(
    "body",
    [
        {"until": "2020-01-01", "reason": "Stundung"},
        {"until": "morgen", "reason": "Stundung"},
        {"until": "2099-01-01", "reason": "Stundung"},
        {"reason": "Stundung"},
        {"until": "2026-12-31", "reason": ""},
    ],
)
def test_bad_pauses_change_nothing(api_as, vendor1_user, claims, body):
    mine, _ = claims
    response = api_as(vendor1_user).post(f"/claims/{mine.pk}/pause", body)
    assert response.status_code == 422, response.json()
    assert Claim.objects.get(pk=mine.pk).paused_until is None


def test_comments_are_kept_apart(api_as, vendor1_user, support_user, claims):
    mine, _ = claims
    vendor, support = api_as(vendor1_user), api_as(support_user)
    refused = vendor.post(f"/claims/{mine.pk}/comment", {"text": "x", "visibility": "internal"})
    assert refused.status_code == 422
    support.post(f"/claims/{mine.pk}/comment", {"text": "intern", "visibility": "internal"})
    support.post(f"/claims/{mine.pk}/comment", {"text": "für Händler", "visibility": "vendor"})
    assert [c["text"] for c in vendor.get(f"/claims/{mine.pk}").json()["comments"]] == [
        "für Händler"
    ]
    assert len(support.get(f"/claims/{mine.pk}").json()["comments"]) == 2


def test_unknown_action_answers_404(api_as, support_user, claims):
    mine, _ = claims
    response = api_as(support_user).post(f"/claims/{mine.pk}/explode")
    assert response.status_code == 404 and "start_dunning" in response.json()["detail"]


@pytest.mark.parametrize(
    "path",
    [
        "/claims?vendor=99999999999999999999999",
        "/claims?page=99999999999999999999",
        "/claims/99999999999999999999999",
        "/claims?q=" + "x" * 500,
    ],
)
def test_absurd_input_answers_4xx(api_as, support_user, claims, path):
    response = api_as(support_user).client.get(
        f"/api/v1{path}", headers=api_as(support_user)._headers()
    )
    assert 400 <= response.status_code < 500
