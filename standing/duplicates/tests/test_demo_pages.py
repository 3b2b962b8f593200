"""On the demo data, the pages of issue 14 answer for every role without a server error, and
the demo's second accounts are suggested as duplicates of their originals."""

import io

import pytest
from django.core.management import call_command

from standing.accounts.models import User
from standing.customers.models import Customer
from standing.duplicates.demo import MARK
from standing.duplicates.services import open_pairs, suggestions


@pytest.fixture
def demo(db):
    call_command("demo", stdout=io.StringIO())


def test_demo_twins_are_suggested(demo):
    twins = Customer.objects.filter(general_info=MARK)
    assert twins.count() == 2
    for twin in twins:
        assert suggestions(twin), twin.number
    assert open_pairs().count() >= 2


@pytest.mark.parametrize("username", ["admin", "support", "vendor1", "vendor2"])
def test_pages_answer_for_every_role(client, demo, username):
    client.force_login(User.objects.get(username=username))
    pair = open_pairs().first()
    staff = username in ("admin", "support")
    pages = [
        "/duplicates/",
        f"/duplicates/merge/{pair.a.number}/",
        f"/duplicates/merge/{pair.a.number}/?q=a",
        f"/duplicates/merge/{pair.a.number}/?other={pair.b.number}",
        f"/privacy/{pair.a.number}/erase/",
    ]
    for path in pages:
        response = client.get(path)
        assert response.status_code in ((200,) if staff else (403, 404)), (path, response)
    # A vendor sees the card of its own customers, without the staff's panels.
    card = client.get(pair.a.get_absolute_url())
    assert card.status_code in ((200,) if staff else (200, 404))
    assert ('id="card-actions"' in card.text) == staff
    export = client.get(f"/privacy/{pair.a.number}/export/")
    assert export.status_code == (200 if staff else 403)
