"""How people read stored values (shared ground: letters, templates and lists use these)."""

import re

import phonenumbers


def phone_display(value: str) -> str:
    """A stored (E.164) number as people read it: "+49 171 1234567"; anything else as is."""
    if not value:
        return ""
    try:
        number = phonenumbers.parse(value, "DE")
    except phonenumbers.NumberParseException:
        return value
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def iban_display(value: str) -> str:
    """An IBAN in groups of four: "DE89 3704 0044 0532 0130 00"."""
    compact = re.sub(r"\s+", "", value or "").upper()
    return " ".join(compact[i : i + 4] for i in range(0, len(compact), 4))
