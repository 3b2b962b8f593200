"""The standing endpoint's written-out SQL (issue 15) against the ORM's answer: the token with
its user, the standing (customer, group, active blocks) and the scoping, on this database."""

from datetime import timedelta

import pytest
from django.http import Http404
from django.utils import timezone

from standing.accounts.models import ApiToken, Role, User
from standing.accounts.scoping import Actor, get_scoped, scoped, scoped_key_sql
from standing.api import _active_token
from standing.blocks.models import Block, BlockReason, BlockStatus
from standing.customers.models import Customer, CustomerGroup, CustomerStatus, CustomerVendor
from standing.customers.standing import standing, standing_of

S = CustomerStatus
NOW = timezone.now().replace(microsecond=123456)
DAY = timedelta(days=1)


def orm_standing(number, actor, now=NOW):
    """The standing as the ORM gives it: ``get_scoped`` with the group, then ``standing()``."""
    return standing(get_scoped(Customer.objects.select_related("group"), actor, number=number), now)


def add_block(customer, staff, starts, ends=None, lifted=None):
    return Block.objects.create(
        customer=customer,
        reason=BlockReason.objects.order_by("pk").first(),
        staff=staff,
        starts_at=starts,
        ends_at=ends,
        lifted_at=lifted,
        status=BlockStatus.LIFTED if lifted else BlockStatus.ACTIVE,
    )


@pytest.fixture
def cases(customer_factory, support_user, vendor1):
    """{name: customer}: every status, group and own grants, and blocks of every kind."""
    allowed = CustomerGroup.objects.create(name="Premium", permissions={"pay_by_invoice": "allow"})
    denied = CustomerGroup.objects.create(name="Gesperrt", permissions={"book": "deny"})
    made = {status: customer_factory(status=status) for status in S.values}
    made["group allows"] = customer_factory(status=S.ACTIVE, group=allowed)
    made["group denies"] = customer_factory(status=S.ACTIVE, group=denied)
    made["own overrides group"] = customer_factory(
        status=S.ACTIVE, group=denied, permissions={"book": "allow", "reserve": "deny"}
    )
    blocks = {
        "indefinite": [(-DAY, None, None)],
        "until a date": [(-DAY, 3 * DAY, None)],
        "ended": [(-3 * DAY, -DAY, None)],
        "ends now": [(-DAY, timedelta(0), None)],
        "starts now": [(timedelta(0), DAY, None)],
        "future": [(DAY, 3 * DAY, None)],
        "lifted": [(-DAY, None, -DAY / 2)],
        "two dated": [(-DAY, 2 * DAY, None), (-2 * DAY, 5 * DAY, None)],
        "dated and indefinite": [(-DAY, 2 * DAY, None), (-DAY, None, None)],
    }
    for name, spans in blocks.items():
        made[name] = customer = customer_factory(status=S.ACTIVE, vendor=vendor1)
        for starts, ends, lifted in spans:
            add_block(
                customer,
                support_user,
                NOW + starts,
                None if ends is None else NOW + ends,
                None if lifted is None else NOW + lifted,
            )
    return made


def test_the_standing_equals_the_orms_for_every_case(cases, support):
    for name, customer in cases.items():
        assert standing_of(customer.number, support, NOW) == orm_standing(
            customer.number, support
        ), name
    # The cases do differ: blocked with and without an end, and not blocked.
    answers = {name: standing_of(c.number, support, NOW) for name, c in cases.items()}
    assert answers["indefinite"]["blocked"] and answers["indefinite"]["blocked_until"] is None
    assert answers["two dated"]["blocked_until"] == NOW + 5 * DAY
    assert answers["dated and indefinite"]["blocked_until"] is None
    assert not any(answers[n]["blocked"] for n in ("ended", "ends now", "future", "lifted"))
    assert answers["starts now"]["blocked"]
    assert answers["group allows"]["permissions"]["pay_by_invoice"]
    assert not answers["group denies"]["can_book"]
    assert answers["own overrides group"]["can_book"]
    assert not answers["own overrides group"]["can_reserve"]
    assert not answers[S.DELETED]["can_login"]


@pytest.fixture
def actors(admin_user, support_user, vendor1_user, vendor2_user, integration_user, vendor1):
    customer_user = User.objects.create_user("kundin", role=Role.CUSTOMER)
    shop = User.objects.create_user("shop-nord", role=Role.INTEGRATION, vendor=vendor1)
    return {
        "admin": Actor.of(admin_user),
        "support": Actor.of(support_user),
        "vendor1": Actor.of(vendor1_user),
        "vendor2": Actor.of(vendor2_user),
        "integration": Actor.of(integration_user),
        "vendor integration": Actor.of(shop),
        "customer": Actor.of(customer_user),
        "support as customer": Actor.of(support_user, Role.CUSTOMER),
        "vendor1 as integration": Actor.of(vendor1_user, Role.INTEGRATION),
    }


def test_scoping_is_get_scoped_s_for_every_actor(
    actors, customer_factory, vendor1, vendor2, support_user
):
    own = customer_factory(status=S.ACTIVE, user=actors["customer"].user)
    both = customer_factory(vendor=vendor1)
    CustomerVendor.objects.create(customer=both, vendor=vendor2)
    customers = [
        own,
        both,
        customer_factory(vendor=vendor1),
        customer_factory(vendor=vendor2),
        customer_factory(),
    ]
    add_block(customers[2], support_user, NOW - DAY)
    seen = set()
    for name, actor in actors.items():
        for customer in [*customers, Customer(number="K-999999")]:
            try:
                expected = orm_standing(customer.number, actor)
            except Http404 as missing:
                with pytest.raises(Http404) as raised:
                    standing_of(customer.number, actor, NOW)
                assert str(raised.value) == str(missing)
                continue
            assert standing_of(customer.number, actor, NOW) == expected, (name, customer.number)
            seen.add((name, customer.number))
    # Each actor saw what scoped() lets it see, no more: the vendors only their own.
    for name, actor in actors.items():
        visible = set(scoped(Customer.objects.all(), actor).values_list("number", flat=True))
        assert {n for who, n in seen if who == name} == visible & {c.number for c in customers}
    assert ("vendor2", customers[2].number) not in seen
    assert ("vendor1", customers[2].number) in seen


def test_the_scope_subquery_is_compiled_from_scoped(actors, customer_factory, vendor1):
    customer = customer_factory(vendor=vendor1)
    sql, params = scoped_key_sql(Customer, actors["vendor1"], "number", customer.number)
    assert customer.number in params and actors["vendor1"].vendor_id in params
    # A vendor user without a vendor sees nothing (scoped() answers .none()): no SQL, a 404.
    lost = Actor(user=actors["vendor1"].user, role=Role.VENDOR, vendor_id=None)
    assert scoped_key_sql(Customer, lost, "number", customer.number) is None
    with pytest.raises(Http404):
        standing_of(customer.number, lost)


def test_the_token_and_its_user_are_the_orms(api_as, vendor1_user, support_user, settings):
    for user, scope in ((vendor1_user, None), (support_user, Role.INTEGRATION)):
        user.language = "en"
        user.last_login = NOW
        user.save()
        token, raw = ApiToken.issue(user, scope=scope, name="Kasse")
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=NOW)
        found = _active_token(raw)
        orm = ApiToken.objects.select_related("user").get(pk=token.pk)
        for model, ours, theirs in ((ApiToken, found, orm), (User, found.user, orm.user)):
            for field in model._meta.concrete_fields:
                assert getattr(ours, field.attname) == getattr(theirs, field.attname), field
                assert type(getattr(ours, field.attname)) is type(getattr(theirs, field.attname))
        assert found.user.is_authenticated and found.user.display_name() == user.display_name()
    assert _active_token("stg_unknown") is None


def test_revoked_tokens_and_inactive_users_are_refused(api_as, vendor1_user, customer):
    api = api_as(vendor1_user)
    CustomerVendor.objects.create(customer=customer, vendor=vendor1_user.vendor)
    path = f"/customers/{customer.number}/standing"
    assert api.get(path).status_code == 200
    ApiToken.objects.get(user=vendor1_user).revoke()
    assert api.get(path).status_code == 401
    again = api_as(vendor1_user)
    assert again.get(path).status_code == 200
    User.objects.filter(pk=vendor1_user.pk).update(is_active=False)
    assert again.get(path).status_code == 401


def test_another_vendors_customer_answers_404_in_the_users_language(
    api_as, vendor1_user, vendor2, customer_factory
):
    other = customer_factory(vendor=vendor2)
    User.objects.filter(pk=vendor1_user.pk).update(language="de")
    api = api_as(vendor1_user)
    assert api.get(f"/customers/{other.number}/standing").json() == {
        "detail": f"Kunde {other.number} nicht gefunden."
    }
    User.objects.filter(pk=vendor1_user.pk).update(language="en")
    assert api.get(f"/customers/{other.number}/standing").json() == {
        "detail": f"Customer {other.number} not found."
    }


def test_last_used_is_recorded_to_the_minute(api_as, support_user, customer):
    api = api_as(support_user)
    token = ApiToken.objects.get(user=support_user)
    path = f"/customers/{customer.number}/standing"
    api.get(path)
    first = ApiToken.objects.get(pk=token.pk).last_used_at
    assert first is not None and timezone.now() - first < timedelta(minutes=1)
    api.get(path)
    assert ApiToken.objects.get(pk=token.pk).last_used_at == first
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first - timedelta(minutes=2))
    api.get(path)
    assert ApiToken.objects.get(pk=token.pk).last_used_at > first


def test_one_standing_request_is_two_queries(
    api_as, vendor1_user, vendor1, customer_factory, support_user, django_assert_num_queries
):
    customer = customer_factory(status=S.ACTIVE, vendor=vendor1)
    add_block(customer, support_user, NOW - DAY, NOW + DAY)
    add_block(customer, support_user, NOW - DAY, NOW + 2 * DAY)
    api = api_as(vendor1_user)
    path = f"/customers/{customer.number}/standing"
    with django_assert_num_queries(3):  # the first records the token's use
        assert api.get(path).json()["blocked"]
    # The token with its user; the customer, group, blocks and scope in one statement.
    with django_assert_num_queries(2):
        body = api.get(path).json()
    assert body["blocked_until"] is not None
    assert body == api.get(path).json()


def test_the_written_out_lookups_are_prepared_on_postgresql_and_still_logged(
    customer_factory, support_user
):
    """On PostgreSQL ``rawsql.fetchall`` prepares its statement once per connection (parsing
    and planning were most of the database's time per API call); Django still sees the query
    (its log, its error wrapping). Elsewhere it runs as any other query."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    customer = customer_factory()
    _token, raw = ApiToken.issue(support_user, name="prepared")
    actor = Actor.of(support_user)
    expected = orm_standing(customer.number, actor)
    with CaptureQueriesContext(connection) as queries:
        for _ in range(3):
            assert _active_token(raw).user == support_user
            assert standing_of(customer.number, actor, NOW) == expected
    assert len(queries) == 6  # two statements a call, each in Django's log
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT statement FROM pg_prepared_statements")
            prepared = [row[0] for row in cursor.fetchall()]
        assert any("token_hash" in s for s in prepared)
        assert any("LEFT OUTER JOIN" in s for s in prepared)
