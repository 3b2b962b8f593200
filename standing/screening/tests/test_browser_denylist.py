"""The deny list at 1440 px: no sideways scrolling; the CSV upload reports on the page."""

import pytest
from playwright.sync_api import expect

from standing.accounts.models import Role, User
from standing.accounts.scoping import SYSTEM
from standing.screening import denylist
from standing.screening.models import DenyEntry

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_denylist_fits_1440_and_imports_an_upload(page, tmp_path):
    User.objects.create_user("support", password="Geheim-123", role=Role.SUPPORT)
    for n in range(3):
        denylist.add_entry(
            SYSTEM,
            {
                "first_name": "Hans-Peter",
                "last_name": f"Müller-Lüdenscheidt{n}",
                "birth_date": "1970-01-01",
                "email": f"hans-peter.mueller-luedenscheidt{n}@beispiel-firma.example",
                "phone": "+49 171 1234567",
                "iban": "DE89 3704 0044 0532 0130 00",
                "street": "Bürgermeister-Smidt-Straße 100",
                "postal_code": "28195",
                "city": "Bremen",
                "document_number": "L01X00T47",
                "note": "Mehrfach Zahlungsausfall, Fahrzeug verspätet und beschädigt zurück",
            },
        )
    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto("/login/")
    page.fill("#id_username", "support")
    page.fill("#id_password", "Geheim-123")
    page.click("button[type=submit]")
    page.goto("/denylist/")
    expect(page.locator("#denylist-table tbody tr")).to_have_count(3)
    assert page.evaluate("document.documentElement.scrollWidth") <= 1440

    csv = tmp_path / "liste.csv"
    csv.write_text(
        ",".join(denylist.COLUMNS) + "\nErika,Beispiel,1980-01-02,,,,,,,,,Test\n", "utf-8"
    )
    page.set_input_files("#import-form input[type=file]", str(csv))
    page.click("#import-submit")
    expect(page.locator("#import-report .alert-success")).to_contain_text("liste.csv")
    assert DenyEntry.objects.count() == 4
