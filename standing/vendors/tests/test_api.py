def test_admin_creates_and_lists_vendors(api_as, admin_user):
    api = api_as(admin_user)
    response = api.post("/vendors", {"name": "Rad & Tat GmbH"})
    assert response.status_code == 201
    assert isinstance(response.json()["id"], int)
    assert [v["name"] for v in api.get("/vendors").json()] == ["Rad & Tat GmbH"]
    assert api.post("/vendors", {"name": "Rad & Tat GmbH"}).status_code == 409
    assert api.post("/vendors", {"name": "  "}).status_code == 422
    assert api.post("/vendors", {}).status_code == 422


def test_vendor_user_sees_only_its_vendor_and_cannot_create(api_as, vendor1_user, vendor2):
    api = api_as(vendor1_user)
    assert [v["name"] for v in api.get("/vendors").json()] == [vendor1_user.vendor.name]
    assert api.post("/vendors", {"name": "X"}).status_code == 403


def test_support_cannot_create(api_as, support_user):
    assert api_as(support_user).post("/vendors", {"name": "X"}).status_code == 403


GOOD_IBAN = "DE02 1203 0000 0000 2020 51"


def test_admin_gives_a_vendor_address_and_bank_account(api_as, admin_user):
    api = api_as(admin_user)
    created = api.post(
        "/vendors",
        {
            "name": "Rad & Tat",
            "legal_name": "Rad & Tat GmbH",
            "street": "Hafenstraße 5",
            "postal_code": "20457",
            "city": "Hamburg",
            "iban": GOOD_IBAN,
            "bic": "byladem1001",
        },
    )
    assert created.status_code == 201, created.content
    vendor = created.json()
    assert vendor["iban"] == "DE02120300000000202051" and vendor["bic"] == "BYLADEM1001"
    assert vendor["country"] == "DE"
    changed = api.patch(f"/vendors/{vendor['id']}", {"city": "Lübeck", "postal_code": "23552"})
    assert changed.status_code == 200 and changed.json()["city"] == "Lübeck"
    assert changed.json()["iban"] == "DE02120300000000202051"  # untouched by a PATCH
    replaced = api.put(f"/vendors/{vendor['id']}", {"name": "Rad & Tat", "iban": ""})
    assert replaced.status_code == 200 and replaced.json()["iban"] == ""
    assert replaced.json()["street"] == ""


def test_a_bad_iban_answers_422_and_changes_nothing(api_as, admin_user, vendor1):
    api = api_as(admin_user)
    bad = api.patch(f"/vendors/{vendor1.pk}", {"iban": "DE02 1203 0000 0000 2020 52"})
    assert bad.status_code == 422 and "iban" in bad.json()["detail"]
    assert api.post("/vendors", {"name": "X", "iban": "DE00"}).status_code == 422
    assert api.patch(f"/vendors/{vendor1.pk}", {"bic": "XYZ"}).status_code == 422
    assert api.patch(f"/vendors/{vendor1.pk}", {"postal_code": "123"}).status_code == 422
    assert api.patch(f"/vendors/{vendor1.pk}", {"name": " "}).status_code == 422
    vendor1.refresh_from_db()
    assert vendor1.iban == "" and vendor1.name != " "
    assert [v["name"] for v in api.get("/vendors").json()] == [vendor1.name]


def test_only_admins_change_vendors_and_nobody_sees_another(
    api_as, vendor1_user, support_user, vendor2
):
    vendor1 = vendor1_user.vendor
    own = api_as(vendor1_user)
    assert own.get(f"/vendors/{vendor1.pk}").status_code == 200
    assert own.get(f"/vendors/{vendor2.pk}").status_code == 404
    assert own.patch(f"/vendors/{vendor1.pk}", {"city": "X"}).status_code == 403
    assert api_as(support_user).patch(f"/vendors/{vendor1.pk}", {"city": "X"}).status_code == 403
    assert api_as(support_user).put(f"/vendors/{vendor1.pk}", {"name": "X"}).status_code == 403


def test_the_settings_page_edits_a_vendor(client, admin_user, support_user, vendor1):
    client.force_login(admin_user)
    settings_page = client.get("/settings/").content.decode()
    assert f'href="/vendors/{vendor1.pk}/"' in settings_page
    url = f"/vendors/{vendor1.pk}/"
    assert client.get(url).status_code == 200
    refused = client.post(url, {"name": vendor1.name, "iban": "DE00 1234"})
    assert refused.status_code == 200 and "is not a valid IBAN" in refused.content.decode()
    vendor1.refresh_from_db()
    assert vendor1.iban == ""
    saved = client.post(
        url,
        {
            "name": vendor1.name,
            "legal_name": "Nord GmbH",
            "street": "Hafenstraße 5",
            "postal_code": "20457",
            "city": "Hamburg",
            "country": "de",
            "iban": GOOD_IBAN,
        },
    )
    assert saved.status_code == 302
    vendor1.refresh_from_db()
    assert vendor1.is_creditor and vendor1.country == "DE"
    assert vendor1.iban == "DE02120300000000202051"
    client.force_login(support_user)
    assert client.get(url).status_code == 403
