from django.core.management import call_command

from standing.accounts.models import User
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
