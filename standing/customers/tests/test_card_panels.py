"""The card page holds the panels above the fold and names the URL of every other panel,
which HTMX loads when it scrolls into view; each panel URL answers its partial alone, with
the card's scoping and deny-by-default roles."""

import re

import pytest

from standing.customers.panels import PANELS


def _shown(role):
    """The card panels a role sees, in page order (the main column, then the side)."""
    panels = [p for p in PANELS if p.column != "portal" and role in p.roles]
    return [p for p in panels if p.column == "main"] + [p for p in panels if p.column == "side"]


@pytest.mark.parametrize("who", ["support_user", "vendor1_user"])
def test_the_card_names_each_lazy_panels_url_and_renders_the_rest(
    client, request, customer_factory, vendor1, who
):
    user = request.getfixturevalue(who)
    customer = customer_factory(vendor=vendor1)
    client.force_login(user)
    html = client.get(customer.get_absolute_url()).content.decode()
    shown = _shown(user.role)
    lazy = [f"/customers/{customer.number}/panels/{p.key}/" for p in shown if p.lazy]
    assert lazy and re.findall(r'hx-get="([^"]+)" hx-trigger="revealed"', html) == lazy
    for url in lazy:  # a placeholder, with a plain link for a browser without JavaScript
        assert f'<noscript><a href="{url}">' in html
    assert html.count("Loading …") == len(lazy)
    assert 'id="activity-list"' not in html and 'id="notes"' not in html.split("lazy-panel")[0]
    if user.role == "support":
        eager = [p.key for p in shown if not p.lazy]
        assert {"blocks", "outcome", "card-actions"} <= set(eager)
        assert 'id="current-blocks"' in html and 'id="card-actions"' in html
    else:
        assert all(p.lazy for p in shown)  # a vendor's card: the header and the master data


def test_each_panel_url_answers_its_partial_alone(client, support_user, customer, card_panel):
    client.force_login(support_user)
    for panel in _shown("support"):
        html = card_panel(client, customer, panel.key)
        assert "<html" not in html and 'id="card-header"' not in html, panel.key
    assert 'id="activity-list"' in card_panel(client, customer, "activity")
    assert 'name="text"' in card_panel(client, customer, "notes")  # the note form


def test_a_panel_url_of_another_vendors_customer_is_not_found(
    client, vendor1_user, vendor2_user, customer_factory, vendor1, card_panel
):
    customer = customer_factory(vendor=vendor1)
    client.force_login(vendor1_user)
    vendor_panels = _shown("vendor")
    assert vendor_panels
    for panel in vendor_panels:
        card_panel(client, customer, panel.key)  # 200 for the customer's own vendor
    client.force_login(vendor2_user)
    assert client.get(customer.get_absolute_url()).status_code == 404
    for panel in PANELS:
        url = f"/customers/{customer.number}/panels/{panel.key}/"
        assert client.get(url).status_code == 404, panel.key
    assert client.get(f"/customers/{customer.number}/panels/nope/").status_code == 404
