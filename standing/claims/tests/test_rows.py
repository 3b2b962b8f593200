"""The rows of the claims list and the collection board (``claim_tags``, written in Python):
what each cell shows, escaped; the status badges; the action forms, followed as a user clicks
them; the board's own wording and columns."""

import re
from datetime import date, timedelta
from html import unescape

import pytest
from django.test import Client
from django.utils import translation

from standing.claims import services
from standing.claims.models import Claim, ClaimStatus
from standing.claims.templatetags.claim_tags import claim_status
from standing.core.money import format_money

pytestmark = pytest.mark.django_db
D0 = date(2026, 1, 31)


def login(user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


@pytest.fixture
def claim(collection, make_order, event, customer_factory, vendor1):
    collection(first_letter_after_days=0)
    customer = customer_factory(vendor=vendor1, first_name='<b>Eve</b> & "Co"', last_name="Ü")
    order = make_order(customer=customer, number="AN-<7>")
    event(order, "payment_failed", D0, installment=1)
    return Claim.objects.get(order=order)


def row_of(page, claim):
    start = page.index(f'<tr data-claim="{claim.pk}"')
    return page[start : page.index("</tr>", start)]


def test_a_row_shows_the_claim_escaped_with_its_amounts(support_user, claim):
    url = "/claims/?status=all&q=<x>"
    page = login(support_user).get("/claims/?status=all").content.decode()
    row = row_of(page, claim)
    assert "&lt;b&gt;Eve&lt;/b&gt; &amp; &quot;Co&quot; Ü" in row and "<b>Eve" not in row
    assert f'<a href="/claims/{claim.pk}/">AN-&lt;7&gt;</a>' in row
    derived = services.page_of([claim.pk], services.today())[0]
    with translation.override("en"):
        assert format_money(derived.open_total) in row
        assert format_money(claim.order.amount) in row
    assert 'data-status="open"' in row and ">open</span>" in row
    german = login(support_user).get("/claims/?status=all", HTTP_ACCEPT_LANGUAGE="de")
    row = row_of(german.content.decode(), claim)
    assert ">offen</span>" in row and 'data-action="start_dunning">Verfolgen</button>' in row
    with translation.override("de"):
        assert format_money(derived.open_total) in row
    # The forms return to the page they were sent from, its query escaped in the attribute.
    searched = login(support_user).get(url.replace("<x>", "%3Cx%3E")).content.decode()
    assert 'name="next" value="/claims/?status=all&amp;q=%3Cx%3E"' in searched


def test_the_badges_say_what_staff_must_know(claim):
    today = date(2026, 3, 1)
    Claim.objects.filter(pk=claim.pk).update(
        paused_until=today + timedelta(days=3), reopened=True, invalid_address=True
    )
    claim = Claim.objects.get(pk=claim.pk)
    with translation.override("de"):
        html = claim_status(claim, today)
        assert "pausiert bis 04.03.2026" in html and "wiederaufgenommen" in html
        assert '<span class="badge bg-danger">Adresse unvollständig</span>' in html
        # Without a day to compare with, or once the pause is over, no pause is shown.
        assert "pausiert" not in claim_status(claim)
        assert "pausiert" not in claim_status(claim, today + timedelta(days=4))
    with translation.override("en"):
        assert "paused until 04.03.2026" in claim_status(claim, today)


def test_a_rows_form_does_what_its_button_says(support_user, claim):
    """Follow the row's "Pause" form as a browser would: its action, its CSRF token, its
    fields; the claim is paused and the user is back on the list."""
    client = login(support_user)
    row = row_of(client.get("/claims/?status=all").content.decode(), claim)
    form = re.search(r'<form method="post" action="([^"]+/pause/)"[^>]*>(.*?)</form>', row, re.S)
    fields = dict(re.findall(r'name="(csrfmiddlewaretoken|next)" value="([^"]*)"', form[2]))
    assert set(fields) == {"csrfmiddlewaretoken", "next"}
    until = services.today() + timedelta(days=10)
    response = client.post(
        unescape(form[1]),
        {**{k: unescape(v) for k, v in fields.items()}, "until": until, "reason": "Stundung"},
    )
    assert response.status_code == 302 and response["Location"] == "/claims/?status=all"
    assert Claim.objects.get(pk=claim.pk).paused_until == until
    row = row_of(client.get("/claims/?status=all").content.decode(), claim)
    assert f"paused until {until:%d.%m.%Y}" in row


def test_the_board_words_its_buttons_and_adds_its_columns(support_user, vendor1_user, claim):
    support = login(support_user).get("/collection/?status=all").content.decode()
    row = row_of(support, claim)
    assert 'data-order="AN-&lt;7&gt;"' in row and f'name="ids" value="{claim.pk}"' in row
    assert 'data-action="start_dunning">Start dunning</button>' in row
    assert 'data-action="cancel">Cancel the process</summary>' in row
    # Staff see the vendor, and only the board's actions (no pause or block there).
    assert f"<td>{claim.vendor.name}</td>" in row
    assert 'data-action="pause"' not in row and 'data-action="block"' not in row
    assert claim.limitation_date.strftime("%d.%m.%Y") in row
    vendor = row_of(login(vendor1_user).get("/collection/?status=all").content.decode(), claim)
    assert f"<td>{claim.vendor.name}</td>" not in vendor
    listed = row_of(login(support_user).get("/claims/?status=all").content.decode(), claim)
    assert 'data-action="start_dunning">Pursue</button>' in listed
    assert 'data-action="cancel">Do not pursue</summary>' in listed
    assert 'data-action="pause"' in listed and 'name="ids"' not in listed


def test_an_empty_page_says_so(support_user, db):
    for url in ("/claims/?status=all", "/collection/?status=all"):
        page = login(support_user).get(url).content.decode()
        assert "No claims match." in page
        assert ClaimStatus.OPEN not in re.findall(r'data-status="(\w+)"', page)
