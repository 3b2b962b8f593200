"""A whole registration in a bounded number of queries, whatever the size of the deny list
and of the customer base: every look-up is by an indexed key, nothing per entry or per
customer (the bound would catch a look-up per hit or a loop of saves creeping in)."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from standing.accounts.scoping import SYSTEM
from standing.customers.models import CustomerStatus
from standing.screening import services
from standing.screening.models import DenyEntry

PERSON = {
    "first_name": "Jana",
    "last_name": "Schröder",
    "birth_date": date(1990, 3, 14),
    "email": "jana.schroeder@example.de",
    "phone": "0171 2345678",
    "street": "Lindenstraße 5",
    "postal_code": "20095",
    "city": "Hamburg",
    "country": "DE",
}


# Measured with the VERIFIED actions welcome email, staff task and letter (the default), in
# a test's transaction (every atomic block a savepoint): 63 and 50 queries before the
# round trips were cut, 47 and 40 before the duplicate pairs went to the worker, 44 (passing)
# before the VERIFIED actions did, 36 and 37 before the number's and the status's second
# look-ups went. A hit by name and birth date costs one query more than the day's names: the
# names are scored from an index, the hits' entries read after.
PASSING = 34
DENIED = 36


@pytest.fixture(autouse=True)
def worker_tasks(settings):
    """Tasks queued as in production (a row for the worker), not run inline as elsewhere in
    the tests: the duplicate pairs and the VERIFIED actions are the worker's queries, not the
    registration's."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


SOMEONE_ELSE = {
    "first_name": "Erste",
    "last_name": "Kundin",
    "birth_date": date(1970, 1, 1),
    "email": "erste@example.de",
    "phone": "",
    "street": "Am Hang 1",
    "postal_code": "10115",
}


def _register(**changes):
    with CaptureQueriesContext(connection) as queries:
        customer = services.register(SYSTEM, {**PERSON, **changes})
    return customer, len(queries)


@pytest.mark.django_db
def test_a_passing_registration_takes_a_bounded_number_of_queries():
    # Same-day entries with other names: read, scored, not hits.
    for i in range(30):
        DenyEntry.objects.create(
            first_name=f"Other{i}", last_name="Person", birth_date=PERSON["birth_date"]
        )
    _register(**SOMEONE_ELSE)  # the number series exist
    customer, count = _register()
    assert customer.status in (CustomerStatus.VERIFIED, CustomerStatus.ACTIVE)
    assert count <= PASSING, count


@pytest.mark.django_db
def test_a_denied_registration_takes_a_bounded_number_of_queries():
    for _ in range(5):
        DenyEntry.objects.create(email=PERSON["email"])
    DenyEntry.objects.create(
        first_name="Jana", last_name="Schroeder", birth_date=PERSON["birth_date"]
    )
    _register(**SOMEONE_ELSE)  # the number series exist
    customer, count = _register()
    assert customer.status == CustomerStatus.DENIED
    assert customer.findings.count() == 6
    assert count <= DENIED, count
