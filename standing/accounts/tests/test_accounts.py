import pytest
from django.core.management import call_command

from standing.accounts.models import ApiToken, hash_token


def test_login_logout_and_password_change(client, support_user):
    response = client.post("/login/", {"username": "support", "password": "pw-support"})
    assert response.status_code == 302
    assert client.get("/customers/").status_code == 200
    response = client.post(
        "/password/",
        {
            "old_password": "pw-support",
            "new_password1": "Gr0ssartig-Neu!",
            "new_password2": "Gr0ssartig-Neu!",
        },
    )
    assert response.status_code == 302
    client.post("/logout/")
    assert client.get("/customers/").status_code == 302
    assert client.login(username="support", password="Gr0ssartig-Neu!")


def test_wrong_password_is_refused(client, support_user):
    response = client.post("/login/", {"username": "support", "password": "nope"})
    assert response.status_code == 200
    assert client.get("/customers/").status_code == 302


def test_language_is_german_by_default_and_switches_per_user(client, support_user, settings):
    settings.LANGUAGE_CODE = "de"
    client.force_login(support_user)
    assert "Kunden" in client.get("/customers/").content.decode()
    client.post("/language/", {"language": "en", "next": "/customers/"})
    support_user.refresh_from_db()
    assert support_user.language == "en"
    assert ">Customers<" in client.get("/customers/").content.decode()
    assert client.post("/language/", {"language": "xx"}).status_code == 400
    redirect = client.post("/language/", {"language": "de", "next": "https://evil.example/"})
    assert redirect["Location"] == "/"


def test_settings_only_for_admin(client, support_user, admin_user):
    client.force_login(support_user)
    assert client.get("/settings/").status_code == 403
    client.force_login(admin_user)
    assert client.get("/settings/").status_code == 200
    client.post(
        "/settings/groups/",
        {
            "new-name": "VIP",
            "new-reserve": "allow",
            "new-book": "inherit",
            "new-pay_by_invoice": "allow",
        },
    )
    from standing.customers.models import CustomerGroup

    assert CustomerGroup.objects.get(name="VIP").permissions == {
        "reserve": "allow",
        "pay_by_invoice": "allow",
    }


def test_token_create_prints_token_alone_and_stores_only_its_hash(capsys, support_user):
    call_command("token", "create", "support")
    raw = capsys.readouterr().out.strip()
    assert "\n" not in raw and raw.startswith("stg_")
    token = ApiToken.objects.get()
    assert token.token_hash == hash_token(raw) and raw not in token.token_hash
    assert token.scope == "support"


def test_token_create_unknown_user_fails(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="no user"):
        call_command("token", "create", "ghost")


def test_token_revoke(capsys, support_user):
    _token, raw = ApiToken.issue(support_user)
    call_command("token", "revoke", raw[:12])
    assert ApiToken.objects.get().revoked_at is not None


def test_vendor_token_cannot_escalate(vendor1_user):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("token", "create", "vendor1", "--scope", "admin")


def test_token_use_is_recorded_to_the_minute(api_as, support_user):
    import time_machine

    api = api_as(support_user)
    with time_machine.travel("2026-11-23 10:00:00+00:00", tick=False):
        api.get("/vendors")
        first = ApiToken.objects.get().last_used_at
        assert first is not None
    with time_machine.travel("2026-11-23 10:00:30+00:00", tick=False):
        api.get("/vendors")
        assert ApiToken.objects.get().last_used_at == first
    with time_machine.travel("2026-11-23 10:02:00+00:00", tick=False):
        api.get("/vendors")
        assert ApiToken.objects.get().last_used_at > first
