"""GET/POST /customers/{number}/blocks and POST …/blocks/{id}/lift (SPEC §10)."""

import pytest
import time_machine

from standing.activity.models import ActivityRecord
from standing.blocks.models import Block, BlockStatus

from .conftest import berlin

NOW = berlin(2026, 11, 23, 10, 0)


@pytest.fixture
def api(api_as, support_user):
    return api_as(support_user)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def test_block_list_and_lift(api, customer, admin_user):
    response = api.post(
        f"/customers/{customer.number}/blocks",
        {"reason": "missing_documents", "duration": "14d", "note": "Ausweis fehlt"},
    )
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["until"] == "2026-12-07T09:00:00Z"
    assert created["state"] == "active" and created["staff"] == "support"
    response = api.post(
        f"/customers/{customer.number}/blocks",
        {
            "reason": "payment_deferral",
            "duration": "until",
            "until": "2026-12-31",
            "staff": "admin",
        },
    )
    assert response.status_code == 201
    assert response.json()["until"] == "2026-12-31T23:00:00Z"
    assert response.json()["staff"] == "admin"
    standing = api.get(f"/customers/{customer.number}/standing").json()
    assert standing["blocked"] and standing["blocked_until"] == "2026-12-31T23:00:00Z"

    listed = api.get(f"/customers/{customer.number}/blocks").json()
    assert [b["reason"] for b in listed] == ["payment_deferral", "missing_documents"]
    assert {b["state"] for b in listed} == {"active"}

    lifted = api.post(
        f"/customers/{customer.number}/blocks/{created['id']}/lift",
        {"reason": "Ausweis nachgereicht", "staff": "admin"},
    )
    assert lifted.status_code == 200, lifted.content
    body = lifted.json()
    assert body["state"] == "lifted" and body["lifted_by"] == "admin"
    assert body["lift_reason"] == "Ausweis nachgereicht"
    assert ActivityRecord.objects.filter(customer=customer, action="block.lifted").count() == 1


def test_indefinite_block_has_no_until(api, customer):
    response = api.post(
        f"/customers/{customer.number}/blocks",
        {"reason": "misconduct", "duration": "indefinite", "note": "Randale in der Filiale"},
    )
    assert response.status_code == 201
    assert response.json()["until"] is None
    standing = api.get(f"/customers/{customer.number}/standing").json()
    assert standing["blocked"] is True and standing["blocked_until"] is None


@pytest.mark.parametrize(
    "body,needle",
    [
        ({"reason": "missing_data", "duration": "3w"}, "duration"),
        ({"reason": "unbekannt", "duration": "5d"}, "reason"),
        ({"duration": "5d"}, "reason"),
        ({"reason": "missing_data"}, "duration"),
        ({"reason": "payment_deferral", "duration": "until"}, "until"),
        ({"reason": "payment_deferral", "duration": "until", "until": "2026-11-01"}, "past"),
        ({"reason": "payment_deferral", "duration": "until", "until": "morgen"}, "until"),
        ({"reason": "payment_deferral", "duration": "until", "until": "2026-13-45"}, "until"),
        ({"reason": "misconduct", "duration": "indefinite"}, "message"),
        ({"reason": "misconduct", "duration": "indefinite", "note": " "}, "message"),
        ({"reason": "missing_data", "duration": "5d", "staff": "niemand"}, "staff"),
        ({"reason": "missing_data", "duration": "5d", "until": "2026-12-01"}, "until"),
        ({"reason": ["missing_data"], "duration": "5d"}, "reason"),
    ],
)
def test_bad_block_input_is_422_with_a_message_and_changes_nothing(api, customer, body, needle):
    response = api.post(f"/customers/{customer.number}/blocks", body)
    assert response.status_code == 422, response.content
    assert needle in str(response.json()["detail"])
    assert not Block.objects.exists()
    assert not ActivityRecord.objects.filter(action__startswith="block").exists()


def test_lift_without_reason_or_with_unknown_staff_is_422(api, customer, block):
    current = block(customer, "5d")
    url = f"/customers/{customer.number}/blocks/{current.pk}/lift"
    for body, needle in [
        ({}, "reason"),
        ({"reason": ""}, "reason"),
        ({"reason": "   "}, "reason"),
        ({"reason": "ok", "staff": "niemand"}, "staff"),
    ]:
        response = api.post(url, body)
        assert response.status_code == 422 and needle in str(response.json()["detail"])
    current.refresh_from_db()
    assert current.status == BlockStatus.ACTIVE


def test_lifting_an_ended_or_lifted_block_is_409(api, customer, block):
    current = block(customer, "5d")
    url = f"/customers/{customer.number}/blocks/{current.pk}/lift"
    assert api.post(url, {"reason": "erledigt"}).status_code == 200
    again = api.post(url, {"reason": "nochmal"})
    assert again.status_code == 409 and "lifted" in again.json()["detail"]
    ended = block(customer, "5d")
    with time_machine.travel(ended.ends_at, tick=False):
        response = api.post(
            f"/customers/{customer.number}/blocks/{ended.pk}/lift", {"reason": "zu spät"}
        )
    assert response.status_code == 409 and "ended" in response.json()["detail"]
    ended.refresh_from_db()
    assert ended.lifted_at is None


def test_lift_of_a_block_of_another_customer_is_404(api, customer, customer_factory, block):
    other = customer_factory()
    foreign = block(other, "5d")
    response = api.post(f"/customers/{customer.number}/blocks/{foreign.pk}/lift", {"reason": "x"})
    assert response.status_code == 404
    missing = api.post("/customers/K-999999/blocks", {"reason": "other", "duration": "5d"})
    assert missing.status_code == 404
    foreign.refresh_from_db()
    assert foreign.status == BlockStatus.ACTIVE


def test_vendor_reads_the_standing_but_not_the_blocks(
    api_as, vendor1_user, vendor1, vendor2, customer_factory, block
):
    own = customer_factory(vendor=vendor1)
    foreign = customer_factory(vendor=vendor2)
    own_block, foreign_block = block(own, "5d"), block(foreign, "5d")
    api = api_as(vendor1_user)
    standing = api.get(f"/customers/{own.number}/standing").json()
    assert standing["blocked"] is True and standing["can_book"] is False
    assert api.get(f"/customers/{own.number}/blocks").status_code == 403
    body = {"reason": "other", "duration": "5d"}
    assert api.post(f"/customers/{own.number}/blocks", body).status_code == 403
    lift = api.post(f"/customers/{own.number}/blocks/{own_block.pk}/lift", {"reason": "x"})
    assert lift.status_code == 403
    # Another vendor's customer is not found at all.
    for response in [
        api.get(f"/customers/{foreign.number}/blocks"),
        api.post(f"/customers/{foreign.number}/blocks", body),
        api.post(f"/customers/{foreign.number}/blocks/{foreign_block.pk}/lift", {"reason": "x"}),
    ]:
        assert response.status_code == 404
        assert foreign.last_name not in response.content.decode()
    assert Block.objects.count() == 2
    assert not Block.objects.filter(status=BlockStatus.LIFTED).exists()


def test_integration_and_anonymous_may_not(api_as, integration_user, customer, block):
    current = block(customer, "5d")
    shop = api_as(integration_user)
    assert shop.get(f"/customers/{customer.number}/standing").status_code == 200
    assert shop.get(f"/customers/{customer.number}/blocks").status_code == 403
    assert (
        shop.post(f"/customers/{customer.number}/blocks", {"reason": "other", "duration": "5d"})
    ).status_code == 403
    anonymous = api_as(None)
    assert anonymous.get(f"/customers/{customer.number}/blocks").status_code == 401
    lift = anonymous.post(f"/customers/{customer.number}/blocks/{current.pk}/lift", {"reason": "x"})
    assert lift.status_code == 401
    assert Block.objects.get().status == BlockStatus.ACTIVE


def test_wrong_method_is_405(api, customer):
    response = api.client.delete(
        f"/api/v1/customers/{customer.number}/blocks", headers=api._headers()
    )
    assert response.status_code == 405


def test_openapi_documents_the_block_endpoints(api):
    schema = api.get("/openapi.json").json()
    assert "/api/v1/customers/{number}/blocks" in schema["paths"]
    assert "/api/v1/customers/{number}/blocks/{block_id}/lift" in schema["paths"]
    block_in = schema["components"]["schemas"]["BlockIn"]
    assert set(block_in["properties"]) == {"reason", "note", "staff", "duration", "until"}


@pytest.mark.parametrize(
    "body",
    [
        {"reason": "payment_deferral", "duration": "until", "until": "9999-12-31"},
        {"reason": "payment_deferral", "duration": "until", "until": 20261231},
        {"reason": "payment_deferral", "duration": "until", "until": "2026-12-31T25:00"},
        {"reason": "other", "duration": "5d", "note": None},
        {"reason": "other", "duration": "5d", "staff": 7},
    ],
)
def test_odd_input_is_a_4xx_never_a_500(api, customer, body):
    response = api.post(f"/customers/{customer.number}/blocks", body)
    assert 400 <= response.status_code < 500 and response.json()["detail"]
    assert not Block.objects.exists()


def test_an_enormous_block_id_is_404(api, customer):
    response = api.post(f"/customers/{customer.number}/blocks/{2**70}/lift", {"reason": "x"})
    assert response.status_code == 404
