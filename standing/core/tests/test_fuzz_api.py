"""Issue 9, item 4: schemathesis against /api/v1/openapi.json, with an admin and a vendor
token, every operation, a bounded number of examples (FUZZ_EXAMPLES, default 15), valid and
invalid data. No answer may be a 500, every answer must match its declared status code,
content type and schema, and afterwards ``standing check-data`` must find nothing.

Marked ``fuzz``: part of the whole suite (and of CI on both databases); leave it out while
iterating with ``-m "not fuzz"``.
"""

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from standing.accounts.models import ApiToken
from standing.core import integrity
from standing.wsgi import application

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "15"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
pytestmark = pytest.mark.fuzz
# Reported at the end of the session (conftest prints it with -s): cases run per database.
CASES = {"count": 0, "negative": 0}


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """Requests through the WSGI application close old connections when they finish, which
    would close the test's own (Django's test client turns this off the same way)."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def tokens(admin_user, vendor1_user, customer_factory, vendor1, vendor2, settings):
    settings.SCREENING_CREDIT_PROVIDER = "sandbox"
    # Something to find: a customer of each vendor (K-000001, K-000002).
    customer_factory(vendor=vendor1)
    customer_factory(vendor=vendor2)
    yield [
        {"Authorization": f"Bearer {ApiToken.issue(user)[1]}"}
        for user in (admin_user, vendor1_user)
    ]
    # The database holds together after every operation's examples.
    assert integrity.run()[1] == []
    print(f"fuzz: {CASES['count']} requests so far, bad inputs {CASES['negative']}")


@schema.parametrize()
@hypothesis_settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_api(case, tokens):
    for headers in tokens:
        CASES["count"] += 1
        CASES["negative"] += case.meta is not None and "negative" in str(case.meta).lower()
        case.call_and_validate(headers=headers, checks=CHECKS)
