"""Normalising and validating the attributes of a person: names, phone, IBAN, postal code.

Shared by the card's master data, search and the deny-list matching, so that "Müller" and
"Mueller", "+49 171 1234567" and "0171/1234567" are the same everywhere.
"""

import re
import unicodedata

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from schwifty import IBAN, exceptions
from schwifty.exceptions import SchwiftyException

from standing.core.formats import iban_display, phone_display  # noqa: F401  (re-exported)

GERMAN = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
_NOT_KEPT = re.compile(r"[^a-z0-9@.+\- ]")


def search_key(text: str) -> str:
    """Lower case, German transliteration, other accents dropped, single spaces."""
    text = (text or "").lower().translate(GERMAN)
    if not text.isascii():  # ASCII has nothing to decompose (most names, every key)
        text = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(_NOT_KEPT.sub(" ", text).split())


def phone_e164(raw: str, region: str = "DE") -> str:
    """The phone number in E.164, or ValidationError with a message a person can act on."""
    if not raw:
        return ""
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        raise ValidationError(_("“%(value)s” is not a phone number.") % {"value": raw}) from None
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(
            _("“%(value)s” is not a valid phone number (e.g. +49 171 1234567).") % {"value": raw}
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _iban_problem(error):
    """Why an IBAN is not valid, in words (schwifty's messages are English)."""
    reasons = {
        exceptions.InvalidChecksumDigits: _("its check digits do not match (a typo?)"),
        exceptions.InvalidBBANChecksum: _("the account number's check digit does not match"),
        exceptions.InvalidLength: _("it has the wrong number of characters for its country"),
        exceptions.InvalidCountryCode: _("it does not start with a known country code"),
        exceptions.InvalidStructure: _("it contains characters an IBAN cannot have there"),
        exceptions.InvalidBankCode: _("its bank code is not valid"),
        exceptions.InvalidAccountCode: _("its account number is not valid"),
    }
    for kind, reason in reasons.items():
        if isinstance(error, kind):
            return reason
    return _("it is not in the IBAN format")


def iban_compact(raw: str) -> str:
    if not raw:
        return ""
    try:
        return IBAN(raw).compact
    except SchwiftyException as error:
        raise ValidationError(
            _("“%(value)s” is not a valid IBAN: %(error)s")
            % {"value": raw, "error": _iban_problem(error)}
        ) from None


def postal_code(raw: str, country: str) -> str:
    raw = (raw or "").strip()
    if raw and country == "DE" and not re.fullmatch(r"\d{5}", raw):
        raise ValidationError(_("A German postal code has five digits."))
    return raw
