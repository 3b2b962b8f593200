from datetime import date

import pytest

from standing.customers.models import Customer
from standing.screening import services
from standing.screening.matching import match_customer
from standing.screening.models import ClearedMatch, Finding, FindingState, Trigger


def person(**values):
    base = {
        "first_name": "Erika",
        "last_name": "Neumann",
        "birth_date": date(1991, 1, 1),
        "email": "erika@example.de",
        "phone": "+4930123456",
        "iban": "",
        "street": "Am Markt 1",
        "postal_code": "10115",
        "city": "Berlin",
        "country": "DE",
    }
    return Customer(**{**base, **values})


def attributes(customer):
    return sorted(h.attribute for h in match_customer(customer))


@pytest.mark.parametrize(
    "values, attribute",
    [
        ({"email": "Max.Betrueger+x@googlemail.com"}, "email"),
        ({"phone": "0151 23456789"}, "phone"),
        ({"iban": "DE89370400440532013000"}, "iban"),
        (
            {
                "street": "Musterweg 13",
                "postal_code": "12345",
                "first_name": "Max",
                "last_name": "Betrueger",
                "birth_date": None,
            },
            "name+address",
        ),
    ],
)
def test_exact_identifiers_match(listed, values, attribute):
    assert attribute in attributes(person(**values))


@pytest.mark.parametrize(
    "first, last",
    [
        ("Max", "Betrüger"),
        ("Max", "Betrueger"),
        ("Max", "Betruger"),
        ("Betrüger", "Max"),
        ("Maxx", "Betrüger"),
    ],
)
def test_fuzzy_name_with_birth_date(listed, first, last):
    hits = match_customer(person(first_name=first, last_name=last, birth_date=date(1980, 5, 17)))
    assert [h.attribute for h in hits] == ["name+birth_date"]
    assert hits[0].entry == listed and 90 <= hits[0].score <= 100


def test_double_names_written_apart_or_joined(entry):
    listed = entry(
        first_name="Jürgen", last_name="Müller-Lüdenscheidt", birth_date=date(1970, 7, 7)
    )
    for last in ["Müller Lüdenscheidt", "Müllerlüdenscheidt", "Mueller-Luedenscheidt"]:
        hits = match_customer(
            person(first_name="Jürgen", last_name=last, birth_date=date(1970, 7, 7))
        )
        assert [h.entry for h in hits] == [listed], last


def test_same_name_other_birth_date_is_no_hit(listed):
    assert (
        attributes(person(first_name="Max", last_name="Betrüger", birth_date=date(1980, 5, 18)))
        == []
    )


def test_address_alone_needs_a_similar_name(listed):
    flatmate = person(
        first_name="Erika", last_name="Neumann", street="Musterweg 13", postal_code="12345"
    )
    assert attributes(flatmate) == []


def test_entry_with_only_an_address_matches_the_address(entry):
    entry(street="Industriestr. 4", postal_code="50667", city="Köln")
    assert attributes(person(street="Industriestraße 4", postal_code="50667")) == ["address"]


def test_stranger_matches_nothing(listed):
    assert attributes(person()) == []


def test_matching_asks_a_fixed_number_of_indexed_queries(
    listed, entry, django_assert_max_num_queries
):
    for i in range(30):
        entry(first_name=f"Person{i}", last_name="Muster", birth_date=date(1980, 5, 17))
    with django_assert_max_num_queries(6):
        match_customer(person(first_name="Max", last_name="Betrüger", birth_date=date(1980, 5, 17)))


def test_cleared_entry_never_denies_the_same_customer_again(listed, customer_factory, support):
    customer = customer_factory(
        first_name="Max", last_name="Betrüger", birth_date=date(1980, 5, 17)
    )
    services.screen(customer, support, Trigger.MANUAL)
    finding = Finding.objects.get(customer=customer, entry=listed)
    services.clear_finding(finding, support)
    assert ClearedMatch.objects.filter(customer=customer, entry=listed).exists()
    assert match_customer(customer) == []
    again = services.screen(customer, support, Trigger.MANUAL)
    assert not again.findings.exists()
    assert Finding.objects.get(pk=finding.pk).state == FindingState.CLEARED


def test_document_number_on_the_card_matches_the_deny_list(customer_factory, entry, support):
    from standing.customers import services as customers
    from standing.screening.matching import match_customer

    entry(document_number="l01x 00t47", note="gefälschter Ausweis")
    customer = customer_factory(first_name="Ida", last_name="Neu")
    assert not match_customer(customer)
    customers.update_customer(customer, support, {"document_number": "L01X00T47 "})
    customer.refresh_from_db()
    assert customer.document_number == "L01X00T47"
    hits = match_customer(customer)
    assert [h.attribute for h in hits] == ["document_number"]
