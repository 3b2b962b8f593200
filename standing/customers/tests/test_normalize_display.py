"""Readable data: phone numbers in international format, IBANs in groups of four, and IBAN
errors that say in words what is wrong."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from standing.customers.normalize import iban_compact, iban_display, phone_display


def test_phone_and_iban_as_people_read_them():
    assert phone_display("+491711234567") == "+49 171 1234567"
    assert phone_display("") == "" and phone_display("not a number") == "not a number"
    assert iban_display("DE89370400440532013000") == "DE89 3704 0044 0532 0130 00"


def test_iban_typo_is_explained_in_german():
    with translation.override("de"), pytest.raises(ValidationError) as error:
        iban_compact("DE89370400440532013001")
    text = " ".join(error.value.messages)
    assert "checksum" not in text.lower() and "Prüfziffer" in text


def test_card_and_list_show_readable_numbers(client, admin_user, customer_factory):
    customer = customer_factory(phone="0171 1234567", iban="DE89370400440532013000")
    client.force_login(admin_user)
    card = client.get(customer.get_absolute_url()).content.decode()
    assert "+49 171 1234567" in card and "DE89 3704 0044 0532 0130 00" in card
    listing = client.get("/customers/").content.decode()
    assert "+49 171 1234567" in listing
