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
