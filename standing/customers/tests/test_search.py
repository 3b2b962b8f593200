import pytest

from standing.customers.models import Customer
from standing.customers.search import search


@pytest.fixture
def people(customer_factory):
    return {
        "mueller": customer_factory(
            first_name="Jürgen", last_name="Müller", email="jm@web.de", phone="0171 1112223"
        ),
        "schulz": customer_factory(
            first_name="Anna", last_name="Schulz", email="anna@gmx.de", phone="+49 160 9998887"
        ),
        "weiss": customer_factory(first_name="Käthe", last_name="Weiß", company_name="Weiß GmbH"),
    }


def found(text):
    return set(search(Customer.objects.all(), text).values_list("last_name", flat=True))


def test_by_name_with_and_without_umlauts(people):
    assert found("Müller") == {"Müller"}
    assert found("mueller") == {"Müller"}
    assert found("weiss") == {"Weiß"}
    assert found("Müller Jürgen") == {"Müller"}
    assert found("Anna Schulz") == {"Schulz"}


def test_by_number_email_phone(people):
    assert found(people["schulz"].number) == {"Schulz"}
    assert found(people["schulz"].number.lower().replace("-", "")) == {"Schulz"}
    assert found("anna@gmx") == {"Schulz"}
    assert found("0171 1112223") == {"Müller"}
    assert found("+49 160 9998887") == {"Schulz"}


def test_no_match_and_odd_input(people):
    assert found("Zzyzx") == set()
    assert found("%_'\"; drop table") == set()
    assert len(found("   ")) == 3


def test_a_word_matches_the_beginning_of_the_last_name_first_name_or_email(customer_factory):
    made = {
        "last": customer_factory(first_name="Eva", last_name="Schneider-Kraus", email="e@x.de"),
        "first": customer_factory(first_name="Schneider", last_name="Ott", email="o@x.de"),
        "email": customer_factory(first_name="Udo", last_name="Lang", email="schneider@x.de"),
        "inside": customer_factory(first_name="Ute", last_name="Kraus-Schneider", email="u@x.de"),
    }
    found = set(search(Customer.objects.all(), "Schneider"))
    assert found == {made["last"], made["first"], made["email"]}
    # "Anna Müller" either way round; a third word must match as well.
    assert set(search(Customer.objects.all(), "Ott Schneider")) == {made["first"]}
    assert set(search(Customer.objects.all(), "schneider ott o@x")) == {made["first"]}
    assert set(search(Customer.objects.all(), "schneider ott e@x")) == set()


def test_the_ids_of_a_search_come_newest_first_as_the_union_of_its_ranges(customer_factory):
    from django.db import connection

    from standing.customers.search import matching_ids

    by_last = [customer_factory(first_name="Eva", last_name="Weber") for _ in range(3)]
    by_first = customer_factory(first_name="Weber", last_name="Ott")
    by_email = customer_factory(email="weber.udo@x.de", last_name="Lang")
    customer_factory(last_name="Kaiser")
    ids = matching_ids(Customer.objects.all(), "weber")
    expected = sorted([c.pk for c in (*by_last, by_first, by_email)], reverse=True)
    assert list(ids) == expected
    assert list(ids[1:3]) == expected[1:3] and ids.count() == 5
    # On PostgreSQL one statement, each range its own SELECT (an index-only scan each).
    sql = str(ids.query)
    assert (sql.count("UNION") == 2) == (connection.vendor == "postgresql")
    # Other filters of the list apply within every range.
    only = Customer.objects.filter(pk__in=[by_first.pk, by_email.pk])
    assert list(matching_ids(only, "weber")) == sorted([by_first.pk, by_email.pk], reverse=True)


def test_the_list_pages_through_a_name_search(client, support_user, customer_factory):
    made = [customer_factory(last_name="Seitenweise") for _ in range(27)]
    customer_factory(last_name="Anders")
    client.force_login(support_user)
    first = client.get("/customers/", {"q": "seitenweise"}).text
    assert "27" in first and "1 / 2" in first and "page=2" in first
    second = client.get("/customers/", {"q": "seitenweise", "page": 2}).text
    assert "2 / 2" in second
    # The two oldest on the second page, newest first.
    shown = [c.number for c in made if f">{c.number}</a>" in second]
    assert sorted(shown, key=second.index) == [made[1].number, made[0].number]
