import re
from urllib.parse import urlparse

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from standing.accounts.models import Role
from standing.customers import access
from standing.customers.lifecycle import transition
from standing.customers.models import CustomerStatus


def _invite(customer, support, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        access.invite(customer, support)
    customer.refresh_from_db()
    return re.search(r"http://\S+", mail.outbox[-1].body).group(0)


def test_invitation_link_sets_password_once_and_customer_logs_in(
    client, customer, support, django_capture_on_commit_callbacks
):
    link = _invite(customer, support, django_capture_on_commit_callbacks)
    assert customer.user.role == Role.CUSTOMER and not customer.user.has_usable_password()
    path = urlparse(link).path
    form_page = client.get(path, follow=True)
    assert form_page.status_code == 200
    set_url = form_page.redirect_chain[-1][0] if form_page.redirect_chain else path
    response = client.post(
        set_url, {"new_password1": "Sommer-Regen-42", "new_password2": "Sommer-Regen-42"}
    )
    assert response.status_code == 302
    assert client.login(username=customer.number, password="Sommer-Regen-42")
    me = client.get("/me/")
    assert me.status_code == 200 and customer.number in me.content.decode()
    assert client.get("/customers/").status_code == 403
    client.logout()
    used = client.get(path, follow=True)
    assert 'id="invalid-link"' in used.content.decode()


def test_deleted_customer_cannot_log_in(
    client, customer, support, django_capture_on_commit_callbacks
):
    _invite(customer, support, django_capture_on_commit_callbacks)
    access.set_password(customer, support, "Sommer-Regen-42")
    assert client.login(username=customer.number, password="Sommer-Regen-42")
    client.logout()
    transition(customer, CustomerStatus.DELETED, support)
    assert not client.login(username=customer.number, password="Sommer-Regen-42")


def test_staff_password_rules_and_delete(customer, support, django_capture_on_commit_callbacks):
    with pytest.raises(access.NoLogin):
        access.set_password(customer, support, "Sommer-Regen-42")
    _invite(customer, support, django_capture_on_commit_callbacks)
    with pytest.raises(ValidationError):
        access.set_password(customer, support, "123")
    access.delete_login(customer, support)
    customer.refresh_from_db()
    assert customer.user is None
    with pytest.raises(access.NoLogin):
        access.delete_login(customer, support)


def test_invite_needs_email(customer_factory, support):
    with pytest.raises(ValidationError):
        access.invite(customer_factory(email=""), support)


def test_logins_panel_views(
    client, support_user, customer, mailoutbox, django_capture_on_commit_callbacks, card_panel
):
    client.force_login(support_user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/customers/{customer.number}/login/invite/")
    assert len(mailoutbox) == 1
    assert 'id="login-name"' in card_panel(client, customer, "logins")
    response = client.post(
        f"/customers/{customer.number}/login/password/", {"password": "1"}, follow=True
    )
    assert "alert-danger" in response.content.decode()
    client.post(f"/customers/{customer.number}/login/delete/")
    customer.refresh_from_db()
    assert customer.user is None
    assert client.post(f"/customers/{customer.number}/login/fly/").status_code == 404


def test_login_asks_the_registered_checks_and_denies_without_one(
    client, customer, support, django_capture_on_commit_callbacks
):
    """accounts does not know the standing: customers registers the check in its ready(); with
    no check registered no customer logs in, and every registered check must agree."""
    from standing.accounts.backends import CUSTOMER_LOGIN_CHECKS

    _invite(customer, support, django_capture_on_commit_callbacks)
    access.set_password(customer, support, "Sommer-Regen-42")
    assert CUSTOMER_LOGIN_CHECKS.ordered_keys() == ["customers.standing"]
    with CUSTOMER_LOGIN_CHECKS.replaced():
        assert not client.login(username=customer.number, password="Sommer-Regen-42")
    with CUSTOMER_LOGIN_CHECKS.temporarily(lambda user: False, key="test"):
        assert not client.login(username=customer.number, password="Sommer-Regen-42")
    assert client.login(username=customer.number, password="Sommer-Regen-42")
