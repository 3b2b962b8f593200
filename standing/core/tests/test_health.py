from unittest import mock

from django.db import OperationalError


def test_health_answers_without_login_when_the_database_answers(client, db):
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert response["Cache-Control"] == "no-store"
    assert "sessionid" not in response.cookies


def test_health_is_503_when_the_database_does_not_answer(client, db):
    with mock.patch("django.db.backends.utils.CursorWrapper.execute", side_effect=OperationalError):
        response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"


def test_health_refuses_writes(client, db):
    assert client.post("/health/").status_code == 405
