"""/api/v1/docs works offline: Swagger UI from our own static files, never from a CDN."""

from django.contrib.staticfiles import finders


def test_docs_load_swagger_ui_from_static_files(client, admin_user):
    client.force_login(admin_user)
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "cdn." not in html and "https://" not in html
    for asset in ("ninja/swagger-ui-bundle.js", "ninja/swagger-ui.css", "ninja/swagger-ui-init.js"):
        assert f"/static/{asset}" in html
        assert finders.find(asset), asset
