"""Login throttling behind a reverse proxy: ``TRUSTED_PROXIES`` and the one function that
names the client's address (``standing.core.http.client_address``)."""

import pytest
import time_machine
from django.test import Client, RequestFactory

from standing.accounts.models import LoginThrottle
from standing.core.http import client_address

WHEN = "2026-06-01 10:00 +0000"
PROXY = "10.1.2.3"


def address(remote, forwarded=None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_address(RequestFactory().get("/", **meta))


def attempt(client, username, password, forwarded=None):
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
    return client.post("/login/", {"username": username, "password": password}, **extra)


def test_without_trusted_proxies_the_header_is_ignored(settings):
    settings.TRUSTED_PROXIES = []
    assert address("192.0.2.7", "203.0.113.9") == "192.0.2.7"
    assert address("192.0.2.7") == "192.0.2.7"
    assert client_address(None) == ""


@pytest.mark.parametrize(
    ("remote", "forwarded", "expected"),
    [
        # Through the proxy: the entry it appended is the client's.
        (PROXY, "203.0.113.9", "203.0.113.9"),
        # The client wrote its own header first: only the right-most untrusted entry counts.
        (PROXY, "1.1.1.1, 203.0.113.9", "203.0.113.9"),
        # Two trusted proxies in a row (10.0.0.0/8): skipped from the right.
        (PROXY, "198.51.100.4, 10.9.9.9", "198.51.100.4"),
        (PROXY, "203.0.113.9:51234", "203.0.113.9"),
        (PROXY, "[2001:db8::1]:443", "2001:db8::1"),
        # Nothing forwarded, or garbage where the client's address should be: the proxy's own.
        (PROXY, None, PROXY),
        (PROXY, "not-an-address", PROXY),
        (PROXY, "203.0.113.9, junk", PROXY),
        # A direct client (not a proxy) cannot choose its address with the header.
        ("192.0.2.7", "203.0.113.9", "192.0.2.7"),
        ("garbage", "203.0.113.9", "garbage"),
    ],
)
def test_the_right_most_untrusted_forwarded_entry(settings, remote, forwarded, expected):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8", "::1"]
    assert address(remote, forwarded) == expected


def test_spoofed_forwarded_for_from_an_untrusted_client_is_ignored(settings, support_user):
    settings.TRUSTED_PROXIES = [PROXY]
    settings.LOGIN_ADDRESS_LOCK_AFTER = 5
    settings.LOGIN_FREE_FAILURES = 100
    attacker = Client(REMOTE_ADDR="192.0.2.7")
    with time_machine.travel(WHEN, tick=False):
        # A new made-up address each time: still counted against the real one.
        for n in range(5):
            attempt(attacker, f"guess{n}", "wrong", forwarded=f"203.0.113.{n}")
        assert LoginThrottle.objects.get(key="ip:192.0.2.7").failures == 5
        assert not LoginThrottle.objects.filter(key__startswith="ip:203.0.113.").exists()
        answer = attempt(attacker, "support", "pw-support", forwarded="198.51.100.50")
        assert "Too many" in answer.content.decode()


def test_through_a_trusted_proxy_the_real_client_is_throttled(settings, support_user):
    settings.TRUSTED_PROXIES = [PROXY]
    settings.LOGIN_ADDRESS_LOCK_AFTER = 5
    settings.LOGIN_FREE_FAILURES = 100
    proxy = Client(REMOTE_ADDR=PROXY)
    with time_machine.travel(WHEN, tick=False):
        for n in range(5):
            # The attacker's own header part is ignored; the proxy appended the real address.
            attempt(proxy, f"guess{n}", "wrong", forwarded=f"1.2.3.{n}, 192.0.2.7")
        assert LoginThrottle.objects.get(key="ip:192.0.2.7").failures == 5
        assert not LoginThrottle.objects.filter(key=f"ip:{PROXY}").exists()
        locked = attempt(proxy, "support", "pw-support", forwarded="192.0.2.7")
        assert "Too many" in locked.content.decode()
        # Another client behind the same proxy is not locked out with the attacker.
        answer = attempt(Client(REMOTE_ADDR=PROXY), "support", "pw-support", "198.51.100.1")
        assert answer.status_code == 302
