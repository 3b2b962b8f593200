"""Personas and factories shared by every app's tests (operator admin, support agent,
vendor users of two vendors, an integration, a customer, anonymous)."""

from datetime import date

import pytest
from django.test import Client

from standing.accounts.models import ApiToken, Role, User
from standing.accounts.scoping import Actor
from standing.customers import services
from standing.customers.models import CustomerVendor
from standing.vendors.models import Vendor


@pytest.fixture(autouse=True, scope="session")
def _no_persistent_connections():
    """Live-server request threads end without closing their connections; with persistent
    connections they would stay open and keep PostgreSQL from dropping the test database."""
    from django.db import connections

    connections.settings["default"]["CONN_MAX_AGE"] = 0
    connections["default"].settings_dict["CONN_MAX_AGE"] = 0


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    # Tests read English messages unless they ask for German (the product's default).
    settings.LANGUAGE_CODE = "en"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}


@pytest.fixture
def vendor1(db):
    return Vendor.objects.create(name="Autovermietung Nord GmbH")


@pytest.fixture
def vendor2(db):
    return Vendor.objects.create(name="FitnessWelt Süd GmbH")


def make_user(username, role, vendor=None):
    user = User.objects.create_user(username, password="pw-" + username, role=role, vendor=vendor)
    return user


@pytest.fixture
def admin_user(db):
    return make_user("admin", Role.ADMIN)


@pytest.fixture
def support_user(db):
    return make_user("support", Role.SUPPORT)


@pytest.fixture
def vendor1_user(vendor1):
    return make_user("vendor1", Role.VENDOR, vendor1)


@pytest.fixture
def vendor2_user(vendor2):
    return make_user("vendor2", Role.VENDOR, vendor2)


@pytest.fixture
def integration_user(db):
    return make_user("shop", Role.INTEGRATION)


@pytest.fixture
def support(support_user):
    return Actor.of(support_user)


class Api:
    """A JSON client with a bearer token."""

    def __init__(self, user, scope=None):
        self.token = ApiToken.issue(user, scope=scope)[1] if user else None
        self.client = Client()

    def _headers(self):
        return {"Authorization": f"Bearer {self.token}"} if self.token else {}

    def get(self, path, **params):
        return self.client.get(f"/api/v1{path}", params, headers=self._headers())

    def _send(self, method, path, body):
        return getattr(self.client, method)(
            f"/api/v1{path}", body, content_type="application/json", headers=self._headers()
        )

    def post(self, path, body=None):
        return self._send("post", path, body or {})

    def patch(self, path, body):
        return self._send("patch", path, body)

    def put(self, path, body):
        return self._send("put", path, body)


@pytest.fixture
def api_as():
    return Api


@pytest.fixture
def customer_factory(db, support_user):
    counter = iter(range(1, 100000))

    def make(vendor=None, **values):
        n = next(counter)
        data = {
            "first_name": "Anna",
            "last_name": f"Müller{n}",
            "email": f"anna{n}@example.de",
            "phone": "+49 171 1234567",
            "street": "Hauptstraße 1",
            "postal_code": "10115",
            "city": "Berlin",
            **values,
        }
        customer = services.create_customer(Actor.of(support_user), **data)
        if vendor is not None:
            CustomerVendor.objects.get_or_create(customer=customer, vendor=vendor)
        return customer

    return make


@pytest.fixture
def card_panel():
    """A card panel's HTML as its lazy placeholder loads it: ``card_panel(client, customer,
    "notes")``; ``query`` e.g. "?activity=all"."""

    def get(client, customer, key, query=""):
        response = client.get(f"/customers/{customer.number}/panels/{key}/{query}")
        assert response.status_code == 200, (key, response.status_code)
        return response.content.decode()

    return get


@pytest.fixture
def scroll_to(page):
    """Scroll the page to an element by id as a clerk does, so that a lazy card panel loads:
    ``scroll_to("rentals")``. Not Playwright's own scrolling, which waits for a stable element
    and so fails on the placeholder that the panel replaces."""

    def scroll(anchor):
        page.wait_for_selector(f"#{anchor}", state="attached")
        page.evaluate("id => document.getElementById(id).scrollIntoView()", anchor)

    return scroll


@pytest.fixture
def customer(customer_factory):
    return customer_factory(first_name="Anna", last_name="Müller", birth_date=date(1985, 4, 12))


@pytest.fixture
def page(live_server, settings):
    """A Playwright page in Debian's chromium, pointed at the live server."""
    import os

    from django.db import connections
    from playwright.sync_api import sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True
    settings.SITE_URL = live_server.url  # links in emails and payment links point here
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium",
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        context = browser.new_context(base_url=live_server.url, locale="de-DE")
        context.set_default_timeout(10_000)
        yield context.new_page()
        context.close()
        browser.close()
        # Inside Playwright's sync API the test runs in another context, where Django opened
        # connections of its own: close them, or PostgreSQL cannot drop the test database.
        connections.close_all()
