"""The Zinsrechner page (SPEC §7): staff and vendor users; bad input is shown, never a 500."""

import pytest
from django.urls import reverse

URL = reverse("law:calculator")
PARAMS = {"principal": "2500.00", "debtor": "consumer", "from": "2024-06-15", "to": "2024-07-14"}


@pytest.fixture
def staff(client, support_user):
    client.force_login(support_user)
    return client


@pytest.fixture
def german(settings):
    settings.LANGUAGE_CODE = "de"


def test_the_empty_form_and_the_table_with_sources(staff, german):
    response = staff.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="interest-form"' in html and 'id="interest-result"' not in html
    assert "Zinsrechner" in html
    assert "Bundesbank" in html and "-0,88 %" in html  # the base-rate table


def test_pieces_total_and_flat_fee_in_german(staff, german):
    html = staff.get(URL, PARAMS).content.decode()
    # Hand-checked in test_vectors.test_a_period_across_one_change.
    assert "15.06.2024" in html and "30.06.2024" in html and "01.07.2024" in html
    assert "8,62 %" in html and "8,37 %" in html
    assert "9,420765" in html and "8,004098" in html
    assert 'id="interest-total">17,42 €' in html
    assert 'id="interest-flat-fee">0,00 €' in html
    assert 'id="interest-provisional"' not in html


def test_a_business_beyond_the_table_is_provisional_with_the_flat_fee(staff):
    html = staff.get(
        URL, {"principal": "1000", "debtor": "business", "from": "2026-06-01", "to": "2026-07-31"}
    ).content.decode()
    assert 'id="interest-provisional"' in html and "the base-rate table ends on" in html
    assert "06/30/2026" in html or "2026-06-30" in html or "June 30, 2026" in html
    assert 'id="interest-total">€17.16' in html
    assert 'id="interest-flat-fee">€40.00' in html


def test_htmx_gets_only_the_results(staff):
    response = staff.get(URL, PARAMS, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert 'id="interest-result"' in html and 'id="interest-form"' not in html


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"to": "2024-06-01"}, "The last day must not be before the first day."),
        ({"principal": "-5"}, "The amount must not be negative."),
        ({"debtor": "merchant"}, "Select a valid choice."),
        ({"from": "2024-02-30"}, "YYYY-MM-DD"),
        ({"from": "2019-06-01"}, "2020-01-01"),
    ],
)
def test_bad_input_is_shown_with_a_message(staff, change, message):
    response = staff.get(URL, {**PARAMS, **change})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="interest-errors"' in html and 'id="interest-result"' not in html
    assert message in html


def test_who_may_use_it(client, admin_user, vendor1_user, integration_user):
    client.force_login(vendor1_user)
    assert client.get(URL, PARAMS).status_code == 200
    assert URL in client.get(reverse("customers:list")).content.decode()  # in the navigation
    client.force_login(admin_user)
    assert client.get(URL, PARAMS).status_code == 200
    client.force_login(integration_user)
    assert client.get(URL).status_code == 403
    client.logout()
    assert client.get(URL).status_code == 302


def test_the_pieces_partial_serves_other_pages(db):
    # A claim page includes the same table; without a flat fee it shows no flat-fee row.
    from datetime import date
    from decimal import Decimal

    from django.template.loader import render_to_string

    from standing.law.services import default_interest

    interest = default_interest(Decimal("1000.00"), "business", date(2025, 3, 1), date(2025, 3, 31))
    html = render_to_string("law/_pieces.html", {"interest": interest})
    assert 'id="interest-total">€9.57' in html  # hand-checked in test_vectors
    assert "interest-flat-fee" not in html
