"""Issue 9, item 3: the isolation matrix, generated from the URL configuration and the OpenAPI
document. Every route × every persona is requested against records of vendor2; a new route is
covered without anyone adding it here.

SPEC §1: a vendor user (or vendor-scoped token) reaches only its own vendor's records, a
customer only their own; another's record answers 403 or 404, never its data. Staff and the
operator-wide integration see everything by design (README). Anonymous callers get nothing.
"""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from conftest import make_user
from standing.accounts.models import ApiToken, Role, User
from standing.accounts.scoping import Actor
from standing.api import api
from standing.billing import services as billing
from standing.billing.models import CostType
from standing.blocks import services as blocks
from standing.claims import services as claims
from standing.claims.models import Letter
from standing.customers.models import CustomerFile
from standing.orders import services as orders
from standing.orders.models import ItemKind
from standing.rentals import services as rentals

# What vendor2's customer and order look like: none of it may reach another persona.
MARKERS = ["Zweitmarke", "Geheimzwei", "zweitmarke@example.de", "4915112345678", "MARK-2-77"]
# Routes open without a login by design: the login and password-link pages, the customer
# self-registration, the payment page (reached only through its unguessable token), the
# provider's webhook (verified by signature), the language switch and the load balancer's
# health check (it tells nothing but whether the database answers).
PUBLIC = {
    "login",
    "logout",
    "customer_access",
    "customer_access_done",
    "register",
    "register_done",
    "pay",
    "paypal_webhook",
    "set_language",
    "health",
}
REFUSED = {403, 404, 405}


@pytest.fixture
def world(db, customer_factory, vendor1, vendor2, support_user, admin_user, settings):
    settings.SCREENING_CREDIT_PROVIDER = "sandbox"
    staff = Actor.of(support_user)
    own = customer_factory(vendor=vendor1, first_name="Erste", last_name="Kundin")
    theirs = customer_factory(
        vendor=vendor2,
        first_name="Zweitmarke",
        last_name="Geheimzwei",
        email="zweitmarke@example.de",
        phone="+49 151 12345678",
        birth_date=date(1970, 1, 2),
    )
    records = {}
    for who, vendor, number in [(own, vendor1, "MARK-1-11"), (theirs, vendor2, "MARK-2-77")]:
        order = orders.create_order(
            staff,
            number=number,
            vendor=vendor,
            customer=who,
            amount=Decimal("120.00"),
            payment_method="invoice",
            created_at=timezone.now(),
            plan_kind="one_time",
            due=date(2026, 2, 1),
            items=[
                {
                    "kind": ItemKind.RENTAL,
                    "sku": "CAR",
                    "name": "Kleinwagen",
                    "price": Decimal("120.00"),
                    "period_from": date(2026, 1, 1),
                    "period_until": date(2026, 1, 5),
                }
            ],
        )
        item = order.items.get()
        records[who.number] = {
            "order": order,
            # The invoice was due on 1 February: a claim of the vendor on this order.
            "claim": (claim := claims.open_claim(order, staff, on=date(2026, 2, 20))),
            # A rendered dunning letter (the customer's /me/ download and the claim's PDF).
            "letter": Letter.objects.create(
                claim=claim,
                level=1,
                on=date(2026, 2, 21),
                principal=Decimal("120.00"),
                costs=Decimal("0"),
                interest=Decimal("0"),
                fees=Decimal("0"),
                total=Decimal("120.00"),
                deadline=date(2026, 3, 7),
                pdf=ContentFile(f"%PDF-1.4 {who.first_name}".encode(), name="mahnung.pdf"),
                rendered_at=timezone.now(),
            ),
            "item": item,
            "block": blocks.block_customer(who, staff, reason="other", duration="5d", note="x"),
            "damage": rentals.add_damage(
                item, staff, date=date(2026, 1, 3), description="Kratzer", amount=Decimal("5")
            ),
            "voucher": rentals.add_voucher(who, staff, vendor=vendor, value=Decimal("10")),
            "document": billing.issue_document(
                who, "invoice", CostType.objects.get(code="deposit"), [("K", 1, 9)], staff
            ),
            "file": CustomerFile.objects.create(
                customer=who,
                file=ContentFile(b"Zweitmarke", name="ausweis.txt"),
                name="ausweis.txt",
                content_type="text/plain",
                size=10,
            ),
        }
    login = User.objects.create_user("kundin", password="pw-kundin-123", role=Role.CUSTOMER)
    own.user = login
    own.save()
    return {"own": own, "theirs": theirs, "records": records, "customer_login": login}


def personas(world, vendor1):
    """(name, user, may see everything) of every role SPEC §1 knows, and anonymous."""
    return [
        ("admin", User.objects.get(username="admin"), True),
        ("support", User.objects.get(username="support"), True),
        ("vendor1", make_user("vendor1", Role.VENDOR, vendor1), False),
        ("shop1", make_user("shop1", Role.INTEGRATION, vendor1), False),
        ("integration", make_user("shop", Role.INTEGRATION), True),
        ("customer", world["customer_login"], False),
        ("anonymous", None, False),
    ]


def url_routes(patterns=None, prefix="", namespace=""):
    """(route, namespace, name) of every URL pattern outside the admin and the API."""
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            yield from url_routes(
                pattern.url_patterns, prefix + str(pattern.pattern), pattern.namespace or namespace
            )
        elif isinstance(pattern, URLPattern):
            route = prefix + str(pattern.pattern)
            if not route.startswith(("admin/", "api/")):
                yield route, namespace, pattern.name


# Operations that need query parameters to answer at all.
QUERIES = {
    "/interest": lambda world: "?principal=1000.00&debtor=consumer&from=2025-01-01&to=2025-01-31",
    "/customers/{number}/merge": lambda world: f"?other={world['own'].number}",
}


def fill(route, namespace, target):
    """The route with every parameter naming one of vendor2's records (or a plausible value
    for parameters that name no record)."""
    records = target["records"][target["theirs"].number]
    values = {
        "number": records["order"].number
        if namespace == "orders" or route.startswith(("orders/", "/orders"))
        else target["theirs"].number,
        "file_id": records["file"].pk,
        "block_id": records["block"].pk,
        "item_id": records["item"].pk,
        "damage_id": records["damage"].pk,
        "voucher_id": records["voucher"].pk,
        "document_id": records["document"].pk,
        "claim_id": records["claim"].pk,
        "letter_id": records["letter"].pk,
        "vendor_id": records["order"].vendor_id,
        "level": 1,
        "action": "delete",
        "to": "settled",
        "status": "settled",
    }

    def value(match):
        name = match.group("name")
        return str(values.get(name, 1))

    route = re.sub(r"<(?:\w+:)?(?P<name>\w+)>", value, route)
    return re.sub(r"\{(?P<name>\w+)\}", value, route)


def answer_bytes(response) -> bytes:
    """The answer's bytes, streamed (the data export) or not."""
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def leaks(response, asked=""):
    """Markers in the answer that the caller did not send itself (a 404 may repeat the
    number it was asked for)."""
    text = answer_bytes(response).decode(errors="replace")
    return [m for m in MARKERS if m in text and m not in asked]


def session_client(user):
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    return client


def test_every_page_for_every_persona(world, vendor1):
    checked = 0
    for name, user, sees_all in personas(world, vendor1):
        client = session_client(user)
        for route, namespace, url_name in url_routes():
            if url_name in PUBLIC:
                continue
            path = "/" + fill(route, namespace, world)
            if "<" in path:
                continue
            response = client.get(path)
            checked += 1
            where = (name, path, response.status_code)
            assert response.status_code < 500, where
            if user is None:
                assert response.status_code in (302, 403, 404, 405), where
                if response.status_code == 302:
                    assert response["Location"].startswith("/login/"), where
                continue
            if sees_all:
                continue
            assert not leaks(response, path), where
            if route.count("<") and response.status_code not in REFUSED:
                # A route naming a record of vendor2: only a redirect to somewhere else.
                assert response.status_code == 302, where
                assert not leaks(client.get(response["Location"])), where
    assert checked >= 7 * 50


def api_operations():
    for path, operations in api.get_openapi_schema()["paths"].items():
        for method, operation in operations.items():
            yield path.removeprefix("/api/v1"), method, operation


# Bodies that would succeed if the record were the caller's: a refusal then means the record
# was out of reach, not that the body was wrong. Unknown operations are sent ``{}``.
BODIES = {
    "post:/customers/{number}/blocks": {"reason": "other", "note": "n", "duration": "5d"},
    "post:/customers/{number}/blocks/{block_id}/lift": {"reason": "ok"},
    "post:/customers/{number}/deposit-offer": {"amount": "10.00", "billing_step": "none"},
    "post:/orders/{number}/events": {
        "id": "x-1",
        "type": "payment_received",
        "date": "2026-01-10",
        "amount": "1.00",
    },
    "patch:/customers/{number}": {"general_info": "x"},
    "patch:/rentals/items/{item_id}": {"name": "Polo"},
    "post:/rentals/items/{item_id}/return": {"returned_on": "2026-01-05"},
    "post:/customers/{number}/damages": {
        "item": 1,
        "date": "2026-01-03",
        "description": "d",
        "amount": "1.00",
    },
    "post:/customers/{number}/vouchers": {"vendor": 1, "value": "5.00"},
}


def test_every_api_operation_for_every_persona(world, vendor1, vendor2):
    checked = 0
    refused_for_foreign = 0
    for name, user, sees_all in personas(world, vendor1):
        client = Client(raise_request_exception=False)
        headers = {}
        if user is not None:
            headers["Authorization"] = f"Bearer {ApiToken.issue(user)[1]}"
        for template, method, _operation in api_operations():
            if sees_all and method != "get":
                continue  # staff may change vendor2's records; that is not a leak
            path = (
                "/api/v1"
                + fill(template, "", world)
                + QUERIES.get(template, lambda world: "")(world)
            )
            body = BODIES.get(f"{method}:{template}", {})
            if "vendor" in body:
                body = {**body, "vendor": vendor2.pk}
            send = getattr(client, method)
            kwargs = {"content_type": "application/json"} if method != "get" else {}
            response = send(path, body if method != "get" else None, headers=headers, **kwargs)
            checked += 1
            where = (name, method, path, response.status_code, answer_bytes(response)[:200])
            assert response.status_code < 500, where
            if user is None:
                assert response.status_code == 401, where
                continue
            if sees_all:
                # Everything is visible; a role may still not use an operation (403).
                assert response.status_code in (200, 403), where
                continue
            assert not leaks(response, path), where
            if "{" in template:
                # A path naming vendor2's record (or a body naming vendor2).
                assert response.status_code in (403, 404, 422), where
                refused_for_foreign += 1
    assert checked >= 100 and refused_for_foreign >= 50


def test_the_same_routes_reach_the_vendors_own_records(world, vendor1, vendor2):
    """The matrix is not vacuous: vendor2 reaches the very records vendor1 was refused."""
    vendor2_user = make_user("vendor2", Role.VENDOR, vendor2)
    token = ApiToken.issue(vendor2_user)[1]
    client = Client()
    number = world["theirs"].number
    for path in [
        f"/api/v1/customers/{number}",
        f"/api/v1/customers/{number}/standing",
        "/api/v1/orders/MARK-2-77",
        f"/api/v1/customers/{number}/orders",
    ]:
        response = client.get(path, headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 200, path
        assert leaks(response) or path.endswith("/standing"), path
    client.force_login(vendor2_user)
    assert leaks(client.get(f"/customers/{number}/"))
    assert leaks(client.get("/orders/MARK-2-77/"))
