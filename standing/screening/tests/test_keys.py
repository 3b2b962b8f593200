import pytest

from standing.screening import keys


@pytest.mark.parametrize(
    "a, b",
    [
        ("Max.Betrueger@GMail.com", "maxbetrueger+shop@googlemail.com"),
        ("ANNA@web.de", "anna@web.de"),
    ],
)
def test_email_keys_follow_case_and_provider_dot_rules(a, b):
    assert keys.email_key(a) == keys.email_key(b)


def test_dots_matter_outside_gmail():
    assert keys.email_key("a.b@web.de") != keys.email_key("ab@web.de")


@pytest.mark.parametrize(
    "street", ["Hauptstraße 1", "Hauptstr. 1", "hauptstrasse 1", "Haupt Str 1", "Hauptstr.1"]
)
def test_street_abbreviations(street):
    assert keys.street_key(street) == "hauptstrasse1"


def test_identifiers_normalise():
    assert keys.phone_key("0171/2345678") == keys.phone_key("+49 171 2345678") == "+491712345678"
    assert keys.iban_key("de89 3704 0044 0532 0130 00") == "DE89370400440532013000"
    assert keys.iban_key("DE00 1234") == ""
    assert keys.document_key("l01x 00t-47") == "L01X00T47"


@pytest.mark.parametrize(
    "first, last",
    [
        ("Jürgen", "Müller-Lüdenscheidt"),
        ("Juergen", "Müller Lüdenscheidt"),
        ("Jurgen", "Müllerlüdenscheidt"),  # typo: ü written as u
        ("Müller-Lüdenscheidt", "Jürgen"),  # swapped first and last name
        ("Jürgen", "Mueller-Luedenscheid"),  # typo: a letter missing
    ],
)
def test_name_variants_score_high(first, last):
    listed = keys.name_key("Jürgen", "Müller-Lüdenscheidt")
    assert keys.name_score(keys.name_key(first, last), listed) >= 90


def test_other_names_score_low():
    listed = keys.name_key("Jürgen", "Müller-Lüdenscheidt")
    assert keys.name_score(keys.name_key("Jürgen", "Schmidt"), listed) < 70
    assert keys.name_score("", listed) == 0
