"""GET /api/v1/interest (SPEC §10)."""

import pytest

PARAMS = {"principal": "10000.00", "debtor": "business", "from": "2023-05-01", "to": "2024-08-31"}


@pytest.fixture
def api(api_as, support_user):
    return api_as(support_user)


def test_interest_answer_per_spec(api):
    response = api.get("/interest", **PARAMS)
    assert response.status_code == 200, response.content
    body = response.json()
    # Hand-checked in test_vectors.test_a_period_across_three_changes.
    assert body["interest"] == "1625.56"
    assert body["flat_fee"] == "40.00"
    assert body["provisional"] is False
    assert [
        {k: p[k] for k in ("from", "to", "days", "rate", "amount")} for p in body["pieces"]
    ] == [
        {"from": "2023-05-01", "to": "2023-06-30", "days": 61, "rate": "10.62", "amount": "177.48"},
        {
            "from": "2023-07-01",
            "to": "2023-12-31",
            "days": 184,
            "rate": "12.12",
            "amount": "610.98",
        },
        {
            "from": "2024-01-01",
            "to": "2024-06-30",
            "days": 182,
            "rate": "12.62",
            "amount": "627.55",
        },
        {"from": "2024-07-01", "to": "2024-08-31", "days": 62, "rate": "12.37", "amount": "209.55"},
    ]
    assert [p["base_rate"] for p in body["pieces"]] == ["1.62", "3.12", "3.62", "3.37"]
    assert [p["amount_exact"] for p in body["pieces"]] == [
        "177.484932",
        "610.980822",
        "627.551913",
        "209.546448",
    ]


def test_a_consumer_owes_no_flat_fee_and_late_days_are_provisional(api):
    body = api.get(
        "/interest", principal="1000", debtor="consumer", **{"from": "2026-06-01"}, to="2026-07-31"
    ).json()
    # 06-01…06-30 30 days at 6.27 %: 62.7 × 30 / 365 = 5.153425…
    # 07-01…07-31 31 days at 6.27 % (provisional): 62.7 × 31 / 365 = 5.325205… → 10.48
    assert body["interest"] == "10.48"
    assert body["flat_fee"] == "0.00"
    assert body["provisional"] is True
    assert [p["provisional"] for p in body["pieces"]] == [False, True]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"to": "2023-04-30"}, "to"),
        ({"principal": "-1.00"}, "principal"),
        ({"principal": "1e3"}, "principal"),
        ({"debtor": "merchant"}, "debtor"),
        ({"from": "2023-02-30"}, "from"),
        ({"from": "yesterday"}, "from"),
        ({"to": ""}, "to"),
        ({"from": "2019-01-01"}, "from"),
    ],
)
def test_bad_input_answers_422_with_a_message(api, change, field):
    response = api.get("/interest", **{**PARAMS, **change})
    assert response.status_code == 422, response.content
    detail = response.json()["detail"]
    assert list(detail) == [field]
    assert detail[field][0]


def test_missing_parameters_are_named(api):
    response = api.get("/interest")
    assert response.status_code == 422
    assert set(response.json()["detail"]) == {"principal", "debtor", "from", "to"}


def test_vendor_users_may_calculate_customers_and_integrations_may_not(
    api_as, vendor1_user, admin_user, integration_user
):
    assert api_as(vendor1_user).get("/interest", **PARAMS).status_code == 200
    assert api_as(admin_user).get("/interest", **PARAMS).status_code == 200
    assert api_as(integration_user).get("/interest", **PARAMS).status_code == 403
    assert api_as(None).get("/interest", **PARAMS).status_code == 401


def test_in_the_openapi_document(api):
    document = api.client.get("/api/v1/openapi.json").json()
    operation = document["paths"]["/api/v1/interest"]["get"]
    assert {p["name"] for p in operation["parameters"]} == {"principal", "debtor", "from", "to"}
