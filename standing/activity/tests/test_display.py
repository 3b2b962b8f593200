"""The activity log in words: labels, not column names; localised dates and amounts; status
labels, not codes."""

from datetime import UTC, datetime
from decimal import Decimal

from django.utils import translation

from standing.accounts.scoping import SYSTEM
from standing.activity.services import record
from standing.customers import services
from standing.customers.lifecycle import transition
from standing.customers.models import CustomerStatus


def test_changes_read_in_german(customer):
    entry = record(
        customer,
        SYSTEM,
        "order.payment",
        "x",
        before={"paid_amount": Decimal("0"), "status": "open"},
        after={
            "paid_amount": Decimal("1234.5"),
            "status": "paid",
            "created": datetime(2026, 12, 5, 4, 9, 17, 168850, tzinfo=UTC),
        },
    )
    with translation.override("de"):
        rows = entry.changes_in_words()
    assert ("bezahlt", "0,00 €", "1.234,50 €") in rows
    assert any(after == "05.12.2026 05:09" for _label, _before, after in rows)
    assert ("Status", "Offen", "Bezahlt") in [(str(a).capitalize(), b, c) for a, b, c in rows]


def test_customer_status_change_on_the_card_reads_as_labels(
    client, admin_user, customer, settings, card_panel
):
    settings.LANGUAGE_CODE = "de"
    transition(customer, CustomerStatus.DENIED, SYSTEM)
    services.update_customer(customer, SYSTEM, {"city": "Dresden", "postal_code": "01067"})
    client.force_login(admin_user)
    html = card_panel(client, customer, "activity")
    activity = html.split('id="activity-list"', 1)[1].split("</ul>", 1)[0]
    assert "<del>Ausstehend</del></td><td>Abgelehnt" in activity
    assert ">PLZ</td>" in activity and "postal_code" not in activity and "pending" not in activity


def test_the_log_names_people_not_logins(client, admin_user, support_user, customer, card_panel):
    support_user.first_name, support_user.last_name = "Jonas", "Becker"
    support_user.save()
    client.force_login(admin_user)
    html = card_panel(client, customer, "activity")
    activity = html.split('id="activity-list"', 1)[1].split("</ul>", 1)[0]
    assert "· Jonas Becker" in activity and "· support" not in activity
