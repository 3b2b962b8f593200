"""The vendor's master data: validated the same way from the settings page and the API."""

import re

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from schwifty import BIC, IBAN
from schwifty.exceptions import SchwiftyException

from .models import Vendor

FIELDS = ("name", "legal_name", "email", "street", "postal_code", "city", "country", "iban", "bic")


def clean_iban(raw: str) -> str:
    """The IBAN compact (``""`` for none), or ValidationError naming what is wrong."""
    raw = (raw or "").strip()
    if not raw:
        return ""
    try:
        return IBAN(raw).compact
    except SchwiftyException as error:
        raise ValidationError(
            _("“%(value)s” is not a valid IBAN: %(error)s") % {"value": raw, "error": error}
        ) from None


def clean_bic(raw: str) -> str:
    raw = (raw or "").replace(" ", "").upper()
    if not raw:
        return ""
    try:
        return str(BIC(raw, allow_invalid=False).compact)
    except SchwiftyException:
        raise ValidationError(
            _("“%(value)s” is not a valid BIC (8 or 11 characters).") % {"value": raw}
        ) from None


def clean(values: dict, vendor: Vendor | None = None) -> dict:
    """``values`` (any of FIELDS) checked and normalised; ValidationError with a message per
    field otherwise. Nothing is written."""
    errors = {}
    cleaned = {}
    for key in FIELDS:
        if key not in values or values[key] is None:
            continue
        value = str(values[key]).strip()
        try:
            if key == "name" and not value:
                raise ValidationError(_("The vendor needs a name."))
            if key == "iban":
                value = clean_iban(value)
            elif key == "bic":
                value = clean_bic(value)
            elif key == "country":
                value = value.upper()
                if value and not re.fullmatch(r"[A-Z]{2}", value):
                    raise ValidationError(_("The country is a two-letter code, e.g. DE."))
            elif key == "postal_code":
                country = str(values.get("country") or (vendor.country if vendor else "DE"))
                if value and country.upper() in ("", "DE") and not re.fullmatch(r"\d{5}", value):
                    raise ValidationError(_("A German postal code has five digits."))
        except ValidationError as error:
            errors[key] = error.messages[0]
            continue
        cleaned[key] = value
    if errors:
        raise ValidationError(errors)
    return cleaned


class NameTaken(Exception):
    pass


def save(values: dict, vendor: Vendor | None = None) -> Vendor:
    """Create (``vendor`` None) or change a vendor with checked ``values``."""
    cleaned = clean(values, vendor)
    vendor = vendor or Vendor()
    for key, value in cleaned.items():
        setattr(vendor, key, value)
    try:
        with transaction.atomic():
            vendor.save()
    except IntegrityError:
        raise NameTaken(
            _("A vendor named '%(name)s' exists already.") % {"name": vendor.name}
        ) from None
    return vendor
