"""Issue 9, item 5: throttled logins, argon2, a shorter staff session, the CSP header."""

import logging
import re

import pytest
import time_machine
from django.contrib.auth.hashers import make_password
from django.test import Client

from standing.accounts.models import LoginThrottle

WHEN = "2026-06-01 10:00 +0000"


def attempt(client, username, password):
    return client.post("/login/", {"username": username, "password": password})


def logged_in(response):
    return response.status_code == 302


def test_thirty_wrong_passwords_lock_the_account(client, support_user, caplog):
    caplog.set_level(logging.WARNING, logger="standing.security")
    with time_machine.travel(WHEN, tick=False) as clock:
        # A patient attacker waits out every delay (up to a minute) between guesses.
        for _ in range(30):
            assert not logged_in(attempt(client, "support", "wrong"))
            clock.shift(61)
        # The right password, at once: still refused, with a message that says to wait.
        response = attempt(client, "support", "pw-support")
        assert not logged_in(response)
        assert "Too many failed logins" in response.content.decode()
        assert "_auth_user_id" not in client.session
        failures = [r for r in caplog.records if "login failed" in r.getMessage()]
        assert len(failures) >= 10
        assert any("login locked" in r.getMessage() for r in caplog.records)
        # After the lock the right password works again and clears the account's counter.
        clock.shift(15 * 60 + 1)
        assert logged_in(attempt(Client(), "support", "pw-support"))
        assert not LoginThrottle.objects.filter(key="user:support").exists()


def test_the_delay_grows(client, support_user):
    with time_machine.travel(WHEN, tick=False) as clock:
        for _ in range(3):
            attempt(client, "support", "wrong")
        # Three free failures; the fourth sets a delay of 1 s, the fifth 2 s, …
        attempt(client, "support", "wrong")
        assert not logged_in(attempt(client, "support", "pw-support"))
        clock.shift(1)
        attempt(client, "support", "wrong")
        clock.shift(1)
        assert "Too many failed logins" in attempt(client, "support", "pw-support").content.decode()
        clock.shift(1)
        assert logged_in(attempt(client, "support", "pw-support"))


def test_unknown_and_known_accounts_answer_alike(client, support_user):
    with time_machine.travel(WHEN, tick=False):
        answers = []
        for name in ("support", "nobody-here"):
            for _ in range(12):
                response = attempt(Client(REMOTE_ADDR=f"10.0.0.{len(name)}"), name, "wrong")
            html = response.content.decode().replace(name, "NAME")
            answers.append(re.sub(r"[A-Za-z0-9]{32,}", "TOKEN", html))
        assert answers[0] == answers[1]
        assert "Too many failed logins" in answers[0]


def test_the_address_is_throttled_across_accounts(settings, support_user):
    settings.LOGIN_ADDRESS_LOCK_AFTER = 5
    settings.LOGIN_FREE_FAILURES = 100
    attacker = Client(REMOTE_ADDR="192.0.2.7")
    with time_machine.travel(WHEN, tick=False):
        for n in range(5):
            attempt(attacker, f"guess{n}", "wrong")
        assert "Too many" in attempt(attacker, "support", "pw-support").content.decode()
        # Someone else, from another address, is not affected.
        assert logged_in(attempt(Client(REMOTE_ADDR="198.51.100.1"), "support", "pw-support"))


def test_argon2_first_and_pbkdf2_upgraded_on_login(settings, support_user):
    from django.conf import settings as real

    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.Argon2PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]
    assert "Argon2" in real.PASSWORD_HASHERS[0]
    support_user.password = make_password("pw-support", hasher="pbkdf2_sha256")
    support_user.save()
    assert logged_in(attempt(Client(), "support", "pw-support"))
    support_user.refresh_from_db()
    assert support_user.password.startswith("argon2")


@pytest.mark.parametrize("persona", ["support_user", "admin_user", "vendor1_user"])
def test_staff_sessions_are_short(request, settings, persona):
    settings.STAFF_SESSION_SECONDS = 3600
    user = request.getfixturevalue(persona)
    client = Client()
    assert logged_in(attempt(client, user.username, f"pw-{user.username}"))
    assert client.session.get_expiry_age() == 3600


def test_customer_sessions_keep_the_default(settings, customer):
    from standing.accounts.models import Role, User

    settings.STAFF_SESSION_SECONDS = 3600
    user = User.objects.create_user("K-1", password="pw-kunde-12345", role=Role.CUSTOMER)
    customer.user = user
    customer.save()
    client = Client()
    assert logged_in(attempt(client, "K-1", "pw-kunde-12345"))
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE


def test_every_page_has_a_nonce_policy(client, support_user):
    client.force_login(support_user)
    response = client.get("/customers/")
    policy = response.headers["Content-Security-Policy"]
    # No page needs an inline script or style today; one that does writes
    # nonce="{{ csp_nonce }}", and the header then names that nonce.
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    html = response.content.decode()
    assert " style=" not in html and "onsubmit=" not in html and "onclick=" not in html


def test_a_template_using_the_nonce_gets_it_in_the_header(rf, support_user):
    from django.middleware.csp import ContentSecurityPolicyMiddleware
    from django.template import engines
    from django.template.response import TemplateResponse

    template = engines["django"].from_string('<script nonce="{{ csp_nonce }}">x()</script>')

    def view(request):
        return TemplateResponse(request, template, {}).render()

    request = rf.get("/")
    request.user = support_user
    response = ContentSecurityPolicyMiddleware(view)(request)
    nonce = response.content.decode().split('nonce="')[1].split('"')[0]
    assert f"'nonce-{nonce}'" in response.headers["Content-Security-Policy"]
