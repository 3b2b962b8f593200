"""The PostgreSQL backend checks a persistent connection only after a pause (``core.postgres``)."""

import pytest
from django.db import connection as proxy
from django.db import connections

from standing.core.postgres import base as postgres

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(proxy.vendor != "postgresql", reason="PostgreSQL's backend"),
]
connection = connections["default"]


@pytest.fixture
def checks(monkeypatch):
    calls = []
    assert isinstance(connection, postgres.DatabaseWrapper)
    monkeypatch.setattr(connection, "is_usable", lambda: calls.append(1) or True)
    connection.ensure_connection()
    monkeypatch.setattr(connection, "close_at", None)  # the tests' connections are not kept
    return calls


def request_served(errors=False):
    """The end of a request that used the connection."""
    connection.health_check_done, connection.errors_occurred = True, errors
    connection.close_if_unusable_or_obsolete()


def test_a_connection_that_just_served_a_request_is_not_checked_again(checks):
    request_served()
    connection.close_if_health_check_failed()  # the next request's first query
    assert checks == [] and connection.connection is not None
    # After a pause it is checked again.
    connection.alive_at -= postgres.CHECK_AFTER + 1
    connection.health_check_done = False
    connection.close_if_health_check_failed()
    assert checks == [1]


def test_a_request_that_failed_leaves_the_next_one_checked(checks):
    connection.alive_at = float("-inf")
    request_served(errors=True)  # Django checks it at the request's end
    assert checks == [1]
    connection.health_check_done = False
    connection.close_if_health_check_failed()
    assert checks == [1, 1]
