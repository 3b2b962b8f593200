"""The session and the session's user, looked up by written-out SQL on every page (issue 15),
against the ORM's answers on this database."""

from datetime import timedelta

import pytest
from django.contrib.auth.backends import ModelBackend
from django.contrib.sessions.backends.db import SessionStore as OrmSessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from standing.accounts.backends import StandingBackend
from standing.accounts.sessions import SessionStore

pytestmark = pytest.mark.django_db


def test_a_session_loads_as_django_loads_it_and_an_expired_or_unknown_one_does_not():
    store = OrmSessionStore()
    store["cart"] = {"ä": [1, 2]}
    store.create()
    key = store.session_key
    assert SessionStore(key).load() == OrmSessionStore(key).load() == {"cart": {"ä": [1, 2]}}
    Session.objects.filter(pk=key).update(expire_date=timezone.now() - timedelta(seconds=1))
    for gone in (key, "x" * 32, None):
        raw, orm = SessionStore(gone), OrmSessionStore(gone)
        assert raw.load() == orm.load() == {}
        assert raw.session_key is None and orm.session_key is None


def test_the_sessions_user_is_the_orms_and_the_login_rules_still_apply(
    support_user, customer_factory
):
    backend = StandingBackend()
    found = backend.get_user(support_user.pk)
    expected = ModelBackend().get_user(support_user.pk)
    assert found == expected
    assert {f.attname: getattr(found, f.attname) for f in found._meta.concrete_fields} == {
        f.attname: getattr(expected, f.attname) for f in expected._meta.concrete_fields
    }
    assert backend.get_user(10**9) is None
    support_user.is_active = False
    support_user.save(update_fields=["is_active"])
    assert backend.get_user(support_user.pk) is None  # user_can_authenticate, as before


def test_a_page_logs_in_through_them(client, support_user):
    client.force_login(support_user)
    assert client.get("/customers/").status_code == 200
    assert client.session.__class__.__module__ == "standing.accounts.sessions"
    client.logout()
    assert client.get("/customers/").status_code == 302
