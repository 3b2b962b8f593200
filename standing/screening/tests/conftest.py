from datetime import date

import pytest

from standing.accounts.scoping import SYSTEM
from standing.screening import denylist


@pytest.fixture(autouse=True)
def _sandbox(settings):
    settings.SCREENING_CREDIT_PROVIDER = "sandbox"
    settings.SCREENING_CREDIT_SCORE_THRESHOLD = 400


@pytest.fixture
def staff_client(client, support_user):
    client.force_login(support_user)
    return client


@pytest.fixture
def registration():
    """A valid registration body (SPEC §10) with overrides."""

    def make(**overrides):
        address = overrides.pop("address", {})
        body = {
            "first_name": "Jana",
            "last_name": "Schröder",
            "birth_date": "1990-03-14",
            "email": "jana.schroeder@example.de",
            "phone": "0171 2345678",
            "address": {
                "street": "Lindenstraße 5",
                "postal_code": "20095",
                "city": "Hamburg",
                "country": "DE",
                **address,
            },
        }
        body.update(overrides)
        return body

    return make


@pytest.fixture
def entry(db):
    def make(**values):
        return denylist.add_entry(SYSTEM, values)

    return make


@pytest.fixture
def listed(entry):
    """A deny-list entry for "Max Betrüger", born 17.05.1980, with every identifier."""
    return entry(
        first_name="Max",
        last_name="Betrüger",
        birth_date=date(1980, 5, 17),
        email="max.betrueger@gmail.com",
        phone="+49 151 23456789",
        iban="DE89 3704 0044 0532 0130 00",
        street="Musterweg 13",
        postal_code="12345",
        city="Musterstadt",
        document_number="L01X 00T47",
        note="Zahlungsausfall",
    )
