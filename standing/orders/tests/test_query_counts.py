"""The staff pages and the standing endpoint ask the database a fixed number of questions,
however many rows they show: a page that falls back to a query per row (N+1) fails here.
The order search finds what the substring scan it replaced found, through indexes."""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

from standing.accounts.models import ApiToken
from standing.customers import services as customer_services
from standing.orders import services
from standing.orders.models import Order

# Upper bounds of today's counts (with the session and the user): a page may get cheaper,
# not more expensive, without someone looking at this file.
ORDER_LIST_MAX = 7  # the search asks the customer search first
CARD_MAX = 14  # the page with the panels above the fold; the others load from their URLs
PANEL_MAX = 6  # one lazy panel: session, user, customer and the panel's own
STANDING_MAX = 3


def _queries(client, url, **kwargs):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, **kwargs)
    assert response.status_code == 200, url
    return len(captured.captured_queries)


ORDER_URLS = ["/orders/", "/orders/?status=open", "/orders/?overdue=1", "/orders/?q=B-0"]


def test_order_list_asks_the_same_queries_for_3_and_15_orders(
    login, support_user, order_factory, vendor1, django_assert_max_num_queries
):
    client = login(support_user)
    for _ in range(3):
        order_factory(count=3)
    urls = [*ORDER_URLS, f"/orders/?vendor={vendor1.pk}"]
    few = {url: _queries(client, url) for url in urls}
    for _ in range(12):
        order_factory(count=3)
    for url in urls:
        with django_assert_max_num_queries(ORDER_LIST_MAX):
            assert _queries(client, url) == few[url], url


def test_order_list_of_a_vendor_user_asks_the_same_queries(
    login, vendor1_user, order_factory, django_assert_max_num_queries
):
    client = login(vendor1_user)
    order_factory()
    few = _queries(client, "/orders/")
    for _ in range(8):
        order_factory()
    with django_assert_max_num_queries(ORDER_LIST_MAX):
        assert _queries(client, "/orders/") == few


def _card(client, customer):
    """The queries of the card page and of each lazy panel it names, by panel URL."""
    html = client.get(customer.get_absolute_url()).content.decode()
    urls = re.findall(r'data-panel-url="([^"]+)"', html)
    assert urls
    counts = {url.split("/panels/")[1]: _queries(client, url) for url in urls}
    return {"card": _queries(client, customer.get_absolute_url()), **counts}


def _busy(customer, support, order_factory, orders):
    for _ in range(orders):
        order_factory(customer=customer, count=4, rental=True)
    for i in range(orders):
        customer_services.add_note(customer, support, f"Notiz {i}")


def test_card_asks_the_same_queries_for_1_and_6_orders(
    login, support_user, support, order_factory, customer_factory
):
    client = login(support_user)
    one, many = customer_factory(), customer_factory()
    _busy(one, support, order_factory, 1)
    _busy(many, support, order_factory, 6)
    few, more = _card(client, one), _card(client, many)
    assert more == {**few, "activity/": few["activity/"] + 1}  # + the activity count
    assert few["card"] <= CARD_MAX and max(more.values()) <= max(CARD_MAX, PANEL_MAX)
    assert all(n <= PANEL_MAX for key, n in more.items() if key != "card"), more
    # The preview of a customer with more activity than it shows counts it once; without
    # overflow there is no count at all.
    panel = f"{many.get_absolute_url()}panels/activity/"
    assert 'id="activity-all"' in client.get(panel).content.decode()
    panel = f"{one.get_absolute_url()}panels/activity/"
    assert 'id="activity-all"' not in client.get(panel).content.decode()


def test_card_of_a_vendor_user_asks_the_same_queries(
    login, vendor1_user, order_factory, customer_factory, vendor1
):
    client = login(vendor1_user)
    one, many = customer_factory(vendor=vendor1), customer_factory(vendor=vendor1)
    order_factory(customer=one, count=2, rental=True)
    for _ in range(5):
        order_factory(customer=many, count=2, rental=True)
    few, more = _card(client, one), _card(client, many)
    assert more == few and few["card"] <= CARD_MAX
    assert all(n <= PANEL_MAX for key, n in more.items() if key != "card"), more


def test_standing_endpoint_is_three_queries(
    client, support_user, order_factory, django_assert_max_num_queries
):
    order = order_factory()
    _token, raw = ApiToken.issue(support_user)
    url = f"/api/v1/customers/{order.customer.number}/standing"
    headers = {"Authorization": f"Bearer {raw}"}
    client.get(url, headers=headers)  # the first use records last_used_at (once a minute)
    # The token with its user, the customer with their group, the customer's active blocks.
    with django_assert_max_num_queries(STANDING_MAX):
        response = client.get(url, headers=headers)
    assert response.status_code == 200
    assert response.json()["status"] == order.customer.status
    assert "sessionid" not in response.cookies


def _old_search(q):
    """The substring scan the order search replaced (for the comparison only)."""
    from django.db.models import Q

    from standing.customers.normalize import search_key

    return set(
        Order.objects.filter(
            Q(number__icontains=q)
            | Q(customer__number__iexact=q)
            | Q(customer__search_name__contains=search_key(q))
        ).values_list("pk", flat=True)
    )


def _search(q):
    return set(services.order_list(Order.objects.all(), q=q).values_list("pk", flat=True))


def test_order_search_finds_number_prefixes_customers_and_names(
    order_factory, customer_factory, monkeypatch
):
    anna = customer_factory(first_name="Anna", last_name="Schäfer")
    jan = customer_factory(first_name="Jan", last_name="Weber")
    a1 = order_factory(customer=anna, number="SHOP-1001")
    a2 = order_factory(customer=anna, number="SHOP-1002")
    j1 = order_factory(customer=jan, number="x-77")
    assert _search("SHOP-100") == {a1.pk, a2.pk} == _old_search("SHOP-100")
    assert _search("shop-1001") == {a1.pk} == _old_search("shop-1001")  # typed in lower case
    assert _search("X-77") == {j1.pk} == _old_search("x-77")
    assert _search(anna.number) == {a1.pk, a2.pk} == _old_search(anna.number)
    assert _search("Schaefer") == {a1.pk, a2.pk} == _old_search("Schaefer")  # ä = ae
    assert _search("Weber") == {j1.pk} == _old_search("Weber")
    assert _search("nobody") == set() == _old_search("nobody")
    # Many customers of a name: their orders through a subquery, the same result.
    monkeypatch.setattr(services, "SEARCH_CUSTOMER_IDS", 0)
    assert _search("Schaefer") == {a1.pk, a2.pk}
    assert _search("SHOP-1002") == {a2.pk}


def test_order_search_of_a_vendor_stays_in_the_vendor(
    login, vendor1_user, order_factory, customer_factory, vendor1, vendor2
):
    shared = customer_factory(vendor=vendor1, last_name="Zander")
    mine = order_factory(customer=shared, vendor=vendor1, number="Z-1")
    order_factory(customer=shared, vendor=vendor2, number="Z-2")
    html = login(vendor1_user).get("/orders/", {"q": "Zander"}).content.decode()
    assert mine.number in html and "Z-2" not in html


def test_inline_master_data_edit_renders_the_master_data_alone(
    login, support_user, support, order_factory, customer_factory
):
    client = login(support_user)
    customer = customer_factory()
    _busy(customer, support, order_factory, 3)
    form = {
        field: getattr(customer, field) or ""
        for field in ["kind", "first_name", "last_name", "email", "phone", "street"]
    }
    form.update(postal_code="20095", city="Hamburg", country="DE", language="de")
    with CaptureQueriesContext(connection) as captured:
        response = client.post(
            f"/customers/{customer.number}/edit/", form, headers={"HX-Request": "true"}
        )
    assert response.status_code == 200 and "Hamburg" in response.content.decode()
    # No card panel was asked for (their tables are not in the answer's queries).
    tables = " ".join(q["sql"] for q in captured.captured_queries)
    for table in ("orders_installment", "claims_claim", "rentals_voucher", "billing_document"):
        assert table not in tables, table


def test_activity_refresh_renders_the_activity_alone(
    login, support_user, support, order_factory, customer_factory
):
    client = login(support_user)
    customer = customer_factory()
    _busy(customer, support, order_factory, 5)
    for which in ("latest", "all"):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(
                f"{customer.get_absolute_url()}panels/activity/?activity={which}",
                headers={"HX-Request": "true"},
            )
        html = response.content.decode()
        assert response.status_code == 200
        assert "Notiz 4" in html  # the newest entry
        # 11 entries: the preview offers all of them, the full list has no such link.
        assert ('id="activity-all"' in html) == (which == "latest")
        tables = " ".join(q["sql"] for q in captured.captured_queries)
        for table in ("orders_installment", "claims_claim", "rentals_voucher", "blocks_block"):
            assert table not in tables, (which, table)
        assert len(captured.captured_queries) <= 5, which  # session, user, customer, entries
