"""Duplicate suggestions: found by the screening's keys, dismissed for good, listed on the
"Dubletten" page; staff only."""

from datetime import date

import pytest

from standing.accounts.scoping import Actor
from standing.duplicates import services
from standing.duplicates.models import DuplicatePair


def attributes(suggestions, customer):
    return {r["attribute"] for s in suggestions if s.customer == customer for r in s.reasons}


def test_swapped_names_with_a_typo_and_the_same_birth_date(person):
    anna = person(first_name="Anna", last_name="Müller", birth_date=date(1985, 4, 12))
    swapped = person(first_name="Mueler", last_name="Anna", birth_date=date(1985, 4, 12))
    other_day = person(
        first_name="Anna", last_name="Müller", birth_date=date(1985, 4, 13), street="Ring 2"
    )
    found = services.suggestions(anna)
    assert attributes(found, swapped) == {"name+birth_date"}
    assert other_day not in [s.customer for s in found]


@pytest.mark.parametrize(
    "a,b,attribute",
    [
        ({"email": "anna.mueller@gmail.com"}, {"email": "AnnaMueller+x@googlemail.com"}, "email"),
        ({"phone": "0171 9876543"}, {"phone": "+49 171 9876543"}, "phone"),
        ({"iban": "DE89 3704 0044 0532 0130 00"}, {"iban": "de89370400440532013000"}, "iban"),
        (
            {"last_name": "Schmidt", "street": "Hauptstr. 5", "postal_code": "10115"},
            {"last_name": "Schmitt", "street": "Hauptstraße 5", "postal_code": "10115"},
            "name+address",
        ),
    ],
)
def test_exact_keys_match_after_normalisation(person, a, b, attribute):
    first, second = person(**a), person(**b)
    assert attribute in attributes(services.suggestions(first), second)
    # Stored for the "Dubletten" page when the second was saved.
    assert DuplicatePair.objects.filter(a=first, b=second).exists()


def test_flatmates_with_other_names_are_not_duplicates(person):
    first = person(last_name="Schmidt", street="Hauptstr. 5", postal_code="10115")
    second = person(last_name="Yilmaz", street="Hauptstraße 5", postal_code="10115")
    assert second not in [s.customer for s in services.suggestions(first)]


def test_a_dismissed_pair_is_never_suggested_again(person, support_user):
    first = person(email="same@example.de")
    second = person(email="same@example.de")
    services.dismiss(first, second, Actor.of(support_user))
    assert services.suggestions(first) == []
    assert services.suggestions(second) == []
    # Saving again (which refreshes the stored pairs) does not bring it back.
    second.city = "Hamburg"
    second.save()
    assert not services.open_pairs().exists()
    assert DuplicatePair.objects.get(a=first, b=second).dismissed_by_label == "support"


def test_pair_list_page(client, person, support_user, vendor1_user):
    first = person(email="same@example.de")
    second = person(email="same@example.de")
    client.force_login(support_user)
    response = client.get("/duplicates/")
    assert response.status_code == 200
    assert first.number in response.text and second.number in response.text
    response = client.post(
        f"/duplicates/dismiss/{first.number}/{second.number}/", {"next": "/duplicates/"}
    )
    assert response.status_code == 302
    client.get("/duplicates/")  # shows the success message once
    assert "No possible duplicates." in client.get("/duplicates/").text
    client.force_login(vendor1_user)
    assert client.get("/duplicates/").status_code == 403


def test_card_shows_suggestions_to_staff(client, person, support_user):
    first = person(email="same@example.de")
    second = person(email="same@example.de")
    client.force_login(support_user)
    text = client.get(first.get_absolute_url()).text
    assert 'id="duplicates"' in text and second.number in text
    assert f"/duplicates/merge/{first.number}/?other={second.number}" in text


def test_card_reads_the_stored_pairs_which_agree_with_the_live_suggestions(person, support_user):
    from standing.customers.models import Customer, CustomerStatus

    anna = person(first_name="Anna", last_name="Müller", birth_date=date(1985, 4, 12))
    swapped = person(first_name="Mueler", last_name="Anna", birth_date=date(1985, 4, 12))
    same_mail = person(email=anna.email)
    gone = person(email=anna.email)
    dismissed = person(phone=anna.phone)
    services.dismiss(anna, dismissed, Actor.of(support_user))
    Customer.objects.filter(pk=gone.pk).update(status=CustomerStatus.MERGED)

    def view(found):
        return [(s.customer.number, s.score, s.reasons) for s in found]

    stored = services.stored_suggestions(anna)
    assert {s.customer for s in stored} == {swapped, same_mail}
    assert view(stored) == view(services.suggestions(anna, limit=10))
    # Either side of the pair finds it; a tombstone finds nothing.
    assert [s.customer for s in services.stored_suggestions(swapped)] == [anna]
    assert services.stored_suggestions(Customer.objects.get(pk=gone.pk)) == []


def test_api_lists_and_dismisses(api_as, person, support_user):
    first = person(email="same@example.de")
    second = person(email="same@example.de")
    api = api_as(support_user)
    listed = api.get(f"/customers/{first.number}/duplicates").json()
    assert [d["number"] for d in listed] == [second.number]
    assert listed[0]["reasons"][0] == {"attribute": "email", "score": 100.0}
    dismissed = api.post(f"/customers/{first.number}/duplicates/{second.number}/dismiss")
    assert dismissed.status_code == 204
    assert api.get(f"/customers/{first.number}/duplicates").json() == []
    response = api.post(f"/customers/{first.number}/duplicates/{first.number}/dismiss")
    assert response.status_code == 422 and "itself" in response.json()["detail"]


def test_api_roles(api_as, person, vendor1, vendor1_user, vendor2_user, integration_user):
    mine = person(vendor=vendor1, email="same@example.de")
    person(email="same@example.de")
    assert api_as(vendor1_user).get(f"/customers/{mine.number}/duplicates").status_code == 403
    assert api_as(vendor2_user).get(f"/customers/{mine.number}/duplicates").status_code == 404
    assert api_as(integration_user).get(f"/customers/{mine.number}/duplicates").status_code == 403


def test_bench_case_fills_missing_keys_and_runs(db):
    from standing.customers.models import Customer
    from standing.screening.models import CustomerKeys

    Customer.objects.bulk_create(
        Customer(
            number=f"B-{i:08d}",
            first_name="Lena",
            last_name="Bench",
            birth_date=date(1990, 1, 1),
            email=f"b{i}@bench.example",
            email_key=f"b{i}@bench.example",
            phone="",
        )
        for i in (1, 2)
    )
    cases = services.bench_cases()
    assert CustomerKeys.objects.filter(customer__number__startswith="B-").count() == 2
    found = cases["duplicates of one customer"]()
    assert [r["attribute"] for r in found[0].reasons] == ["name+birth_date"]
    services.bench_cases()  # idempotent
    assert CustomerKeys.objects.filter(customer__number__startswith="B-").count() == 2


def test_scan_stores_the_pairs_of_customers_saved_without_signals(person, capsys):
    from django.core.management import call_command

    first = person(email="same@example.de")
    second = person(email="same@example.de")
    DuplicatePair.objects.all().delete()
    call_command("duplicates", "scan")
    assert DuplicatePair.objects.filter(a=first, b=second).count() == 1
    call_command("duplicates", "scan")  # idempotent
    assert DuplicatePair.objects.count() == 1
    assert "2 customers scanned" in capsys.readouterr().out


def test_bench_only_duplicates_writes_its_figures(db, tmp_path, capsys):
    import json

    from django.core.management import call_command

    target = tmp_path / "results.json"
    call_command(
        "bench", "--only", "duplicates", "--customers", "5", "--repeat", "3", "-o", str(target)
    )
    figures = json.loads(target.read_text())
    (key,) = figures
    assert key.startswith("duplicates/")
    assert figures[key]["customers"] == 5
    assert set(figures[key]["cases"]["duplicates of one customer"]) == {"p50_ms", "p95_ms"}


def test_a_registration_leaves_the_pairs_to_the_worker(person, settings, support_user, client):
    """As in production: the save queues the refresh in its own transaction; the card shows
    the pair once the worker (``db_worker``) has run it."""
    from unittest import mock

    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    anna = person(first_name="Anna", last_name="Müller", birth_date=date(1985, 4, 12))
    twin = person(first_name="Anna", last_name="Mueller", birth_date=date(1985, 4, 12))
    assert not DuplicatePair.objects.exists()
    queued = DBTaskResult.objects.filter(task_path__endswith="refresh_customer_pairs")
    assert sorted(r.args_kwargs["args"][0] for r in queued) == [anna.pk, twin.pk]
    client.force_login(support_user)
    assert twin.number not in client.get(anna.get_absolute_url()).text
    # The worker as it runs, but for its connection housekeeping: it would close the test's.
    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
        call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)
    assert not queued.exclude(status="SUCCESSFUL").exists()
    assert [s.customer for s in services.stored_suggestions(anna)] == [twin]
    assert twin.number in client.get(anna.get_absolute_url()).text
