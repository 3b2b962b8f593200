"""No input answers 500: random query strings and random JSON bodies against the customer API."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=6,
)
fields = st.sampled_from(
    [
        "first_name",
        "last_name",
        "email",
        "phone",
        "iban",
        "postal_code",
        "country",
        "birth_date",
        "kind",
        "group",
        "language",
        "street",
        "city",
        "company_name",
        "general_info",
        "status",
        "x",
    ]
)
FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))


@FUZZ
@given(body=st.dictionaries(fields, json_values, max_size=4))
def test_patch_never_500(api_as, support_user, customer, body):
    response = api_as(support_user).patch(f"/customers/{customer.number}", body)
    assert response.status_code in (200, 400, 404, 422), (body, response.content)
    if response.status_code >= 400:
        assert "detail" in response.json()


@FUZZ
@given(
    q=st.text(max_size=40),
    status=st.text(max_size=10),
    page=st.text(max_size=6),
    blocked=st.text(max_size=6),
)
def test_list_never_500(api_as, support_user, customer, q, status, page, blocked):
    params = {"q": q, "status": status, "page": page, "blocked": blocked}
    response = api_as(support_user).get("/customers", **params)
    assert response.status_code in (200, 400, 422), (params, response.content)


@FUZZ
@given(
    number=st.text(min_size=1, max_size=30).filter(
        lambda s: "/" not in s and "?" not in s and "#" not in s
    )
)
def test_get_never_500(api_as, support_user, number):
    response = api_as(support_user).get(f"/customers/{number}")
    assert response.status_code in (200, 400, 404), (number, response.content)


def test_nul_characters_are_refused_with_400(api_as, support_user, customer, client):
    api = api_as(support_user)
    assert api.get("/customers/K-\x00").status_code == 400
    response = api.patch(f"/customers/{customer.number}", {"city": "Ber\x00lin"})
    assert response.status_code == 400 and "NUL" in response.json()["detail"]
    customer.refresh_from_db()
    assert customer.city == "Berlin"
    client.force_login(support_user)
    assert client.get("/customers/", {"q": "a\x00b"}).status_code == 400
