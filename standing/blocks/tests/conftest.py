from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from standing.accounts.scoping import Actor
from standing.blocks import services

BERLIN = ZoneInfo("Europe/Berlin")


def berlin(*args):
    return datetime(*args, tzinfo=BERLIN)


@pytest.fixture
def staff_client(client, support_user):
    client.force_login(support_user)
    return client


@pytest.fixture
def block(support_user):
    """block(customer, duration="14d", reason="missing_documents", now=None, **more)."""

    def make(customer, duration="14d", reason="missing_documents", **more):
        if duration == "indefinite":
            more.setdefault("note", "Kunde hat randaliert.")
        return services.block_customer(
            customer, Actor.of(support_user), reason=reason, duration=duration, **more
        )

    return make
