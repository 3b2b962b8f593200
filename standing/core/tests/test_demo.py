import io

from django.core.management import call_command

from standing.accounts.models import User
from standing.customers.management.commands.demo import CUSTOMER_PASSWORD
from standing.customers.models import Customer


def test_demo_is_idempotent_and_prints_logins(db, capsys):
    call_command("demo")
    out = capsys.readouterr().out
    count = Customer.objects.count()
    assert count >= 300
    for login in ("admin", "support", "vendor1", "vendor2"):
        assert login in out
    assert out.count("API token: stg_") == 5
    call_command("demo")
    assert Customer.objects.count() == count
    assert set(User.objects.values_list("username", flat=True)) >= {
        "admin",
        "support",
        "vendor1",
        "vendor2",
    }
    assert (
        User.objects.get(username="vendor1").vendor != User.objects.get(username="vendor2").vendor
    )
    assert len(set(Customer.objects.values_list("status", flat=True))) >= 4


def test_demo_prints_a_customer_login_that_works_by_number_and_by_email(db, client):
    out = io.StringIO()
    call_command("demo", stdout=out)
    line = next(line for line in out.getvalue().splitlines() if "/me/" in line)
    customer = Customer.objects.get(user__isnull=False, email__endswith="@demo.standing.example")
    assert customer.number in line and customer.email in line and CUSTOMER_PASSWORD in line
    for name in (customer.number, customer.email.upper()):
        client.logout()
        response = client.post("/login/", {"username": name, "password": CUSTOMER_PASSWORD})
        assert response.status_code == 302, name
        assert client.get("/", follow=True).request["PATH_INFO"] == "/me/"
