"""Normalised keys of a person's attributes, the same for a customer and a deny-list entry.

Every key is stored on the deny-list entry (and on ``CustomerKeys``) in an indexed column, so
matching is an indexed equality lookup, never a scan of the list in Python.
"""

import re

from django.core.exceptions import ValidationError
from rapidfuzz import fuzz

from standing.customers.normalize import iban_compact, phone_e164, search_key

# Providers that ignore dots in the local part and everything after "+".
DOTLESS_PROVIDERS = {"gmail.com": "gmail.com", "googlemail.com": "gmail.com"}

# Street abbreviations ("Hauptstr. 1" = "Hauptstraße 1" = "Hauptstrasse 1").
STREET_ABBREVIATIONS = [
    (re.compile(r"str(?:\.|\b)"), "strasse"),
    (re.compile(r"\bpl(?:\.|\b)"), "platz"),
]


def email_key(raw: str) -> str:
    email = (raw or "").strip().lower()
    local, at, domain = email.rpartition("@")
    if not at:
        return email
    if domain in DOTLESS_PROVIDERS:
        local = local.split("+", 1)[0].replace(".", "")
        domain = DOTLESS_PROVIDERS[domain]
    return f"{local}@{domain}"


def phone_key(raw: str) -> str:
    try:
        return phone_e164(raw or "")
    except ValidationError:
        return ""


def iban_key(raw: str) -> str:
    try:
        return iban_compact(raw or "")
    except ValidationError:
        return ""


def document_key(raw: str) -> str:
    return re.sub(r"[^A-Z0-9]", "", (raw or "").upper())


def compact(text: str) -> str:
    """Transliterated letters and digits only: "Müller-Lüdenscheidt" → "muellerluedenscheidt"."""
    return re.sub(r"[^a-z0-9]", "", search_key(text))


def street_key(raw: str) -> str:
    street = search_key(raw)
    for pattern, full in STREET_ABBREVIATIONS:
        street = pattern.sub(full, street)
    return re.sub(r"[^a-z0-9]", "", street)


def address_key(street: str, postal_code: str, country: str) -> str:
    street, postal_code = street_key(street), (postal_code or "").strip().replace(" ", "")
    if not (street and postal_code):
        return ""
    return f"{street}|{postal_code}|{(country or 'DE').upper()}"


def name_key(first_name: str, last_name: str) -> str:
    """ "first last" in compact parts, for the fuzzy comparison (kept on the entry)."""
    return f"{compact(first_name)} {compact(last_name)}".strip()


def name_score(key_a: str, key_b: str) -> float:
    """0–100: how alike two names are, tolerating typos, swapped first/last name and double
    names written apart, hyphenated or joined."""
    if not key_a or not key_b:
        return 0.0
    first_a, _, last_a = key_a.partition(" ")
    first_b, _, last_b = key_b.partition(" ")
    joined_a = first_a + last_a
    return max(
        fuzz.ratio(joined_a, first_b + last_b),
        fuzz.ratio(joined_a, last_b + first_b),
        fuzz.ratio(last_a + first_a, first_b + last_b),
    )


def last_name_score(key_a: str, key_b: str) -> float:
    return fuzz.ratio(key_a.partition(" ")[2], key_b.partition(" ")[2])


def customer_keys(customer) -> dict:
    """The keys of a customer (or of any object with the same attribute names)."""
    return {
        "email_key": email_key(customer.email),
        "phone_key": phone_key(customer.phone),
        "iban_key": iban_key(customer.iban),
        "address_key": address_key(customer.street, customer.postal_code, customer.country),
        "document_key": document_key(getattr(customer, "document_number", "")),
        "name_key": name_key(customer.first_name, customer.last_name),
        "birth_date": customer.birth_date,
    }
