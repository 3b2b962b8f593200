"""Issue 9, item 5: under the Content-Security-Policy every page, HTMX dialog and confirmation
still works, and the browser reports no violation."""

import pytest
from playwright.sync_api import expect

from standing.accounts.models import Role, User
from standing.accounts.scoping import SYSTEM
from standing.customers.models import Customer
from standing.screening import denylist
from standing.screening.models import DenyEntry

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_pages_dialogs_and_confirmations_work_under_the_policy(page, live_server):
    violations = []
    page.on(
        "console",
        lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None,
    )
    User.objects.create_user("support", password="support-pw", role=Role.SUPPORT)
    customer = Customer.objects.create(number="K-000042", first_name="Anna", last_name="Weber")
    entry = denylist.add_entry(SYSTEM, {"first_name": "Max", "last_name": "Betrüger"})

    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", "support")
    page.fill("input[name=password]", "support-pw")
    page.click("main form button")
    for path in ["/customers/", "/orders/", "/blocks/", "/denylist/", "/denied/"]:
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, path
        assert "script-src 'self'" in response.headers["content-security-policy"]

    # An HTMX dialog opens and submits.
    page.goto(f"{live_server.url}{customer.get_absolute_url()}")
    page.click("#block-button")
    form = page.locator("#dialog #block-form")
    expect(form).to_be_visible()

    # data-confirm asks first: dismissed, nothing happens; accepted, the entry goes.
    page.goto(f"{live_server.url}/denylist/")
    answers = iter([False, True])
    page.on("dialog", lambda d: d.accept() if next(answers) else d.dismiss())
    remove = page.locator(f"form[action$='/denylist/{entry.pk}/delete/'] button")
    remove.click()
    page.wait_for_timeout(300)
    assert DenyEntry.objects.filter(pk=entry.pk).exists()
    remove.click()
    page.wait_for_load_state()
    expect(page.locator(f"form[action$='/denylist/{entry.pk}/delete/']")).to_have_count(0)
    assert not violations, violations
