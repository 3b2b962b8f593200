"""The settings page reads as words for a clerk: aligned group rows, small styled selects, no
file or setting names in the text; the technical names only in a tooltip for admins."""

import re

from standing.customers.models import CustomerGroup


def test_settings_page_speaks_in_words(client, admin_user, settings):
    settings.LANGUAGE_CODE = "de"
    CustomerGroup.objects.create(name="Stammkunden", permissions={"pay_by_invoice": "allow"})
    client.force_login(admin_user)
    html = client.get("/settings/").content.decode()
    text = re.sub(r"<[^>]+>", " ", html)  # what is read, not attributes
    for jargon in ("settings.py", "VERIFIED_ACTIONS", "SCREENING_", "first_name", "AUTO_ACTIVATE"):
        assert jargon not in text, jargon
    assert 'title="Technischer Name: VERIFIED_ACTIONS"' in html
    assert "Vorname" in text  # the required fields, by their labels
    row = html.split('data-group="', 1)[1].split("</tr>", 1)[0]
    assert row.count("form-select form-select-sm") == 3 and 'form="group-' in row


def test_group_saved_from_its_table_row(client, admin_user):
    group = CustomerGroup.objects.create(name="Probezeit", permissions={})
    client.force_login(admin_user)
    prefix = f"g{group.pk}"
    response = client.post(
        f"/settings/groups/{group.pk}/",
        {
            f"{prefix}-name": "Probezeit",
            f"{prefix}-reserve": "inherit",
            f"{prefix}-book": "deny",
            f"{prefix}-pay_by_invoice": "inherit",
        },
    )
    assert response.status_code == 302
    group.refresh_from_db()
    assert group.permissions == {"book": "deny"}
