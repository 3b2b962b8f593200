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
