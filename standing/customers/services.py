"""The rules of the customer card: creating, editing, notes, files, messages, permissions."""

import mimetypes
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from standing.activity.services import record
from standing.core.errors import DomainError
from standing.core.models import next_value

from . import normalize
from .models import (
    Customer,
    CustomerFile,
    CustomerStatus,
    CustomerVendor,
    Grant,
    Note,
    Permission,
)

# The master data ("Stammdaten") staff may edit, in form order.
MASTER_FIELDS = [
    "kind",
    "first_name",
    "last_name",
    "company_name",
    "birth_date",
    "email",
    "phone",
    "iban",
    "document_number",
    "street",
    "postal_code",
    "city",
    "country",
    "group",
    "language",
    "general_info",
]


class CustomerIsDeleted(DomainError):
    """A deleted customer is a record kept for the books: nothing of it changes any more."""


def clean_master_data(values: dict, country_default="DE") -> dict:
    """Normalise phone, IBAN and postal code; raise ValidationError({field: message})."""
    cleaned, errors = dict(values), {}
    country = cleaned.get("country") or country_default
    for field, fn in [
        ("phone", normalize.phone_e164),
        ("iban", normalize.iban_compact),
        ("postal_code", lambda v: normalize.postal_code(v, country)),
    ]:
        if field in cleaned:
            try:
                cleaned[field] = fn(cleaned[field] or "")
            except ValidationError as error:
                errors[field] = error.messages
    if cleaned.get("document_number"):
        cleaned["document_number"] = "".join(cleaned["document_number"].split()).upper()
    for field in ("first_name", "last_name"):
        if field in cleaned and not (cleaned[field] or "").strip():
            errors[field] = [_("This field is required.")]
    if cleaned.get("birth_date") and cleaned["birth_date"] > timezone.localdate():
        errors["birth_date"] = [_("The birth date lies in the future.")]
    if errors:
        raise ValidationError(errors)
    return cleaned


@transaction.atomic
def create_customer(actor, vendor=None, status=CustomerStatus.PENDING, **values) -> Customer:
    values = clean_master_data(values)
    number = f"{settings.CUSTOMER_NUMBER_PREFIX}{next_value('customer'):06d}"
    customer = Customer(number=number, status=status, **values)
    # The number comes from its sequence: not looked up again (the unique index stays).
    customer.full_clean(exclude=["number", "search_name", "first_key", "email_key", "user"])
    customer.save()
    if vendor is not None:
        link_vendor(customer, vendor)
    record(customer, actor, "customer.created", _("Customer created"), after=_snapshot(customer))
    return customer


def link_vendor(customer, vendor):
    CustomerVendor.objects.get_or_create(customer=customer, vendor=vendor)


def _snapshot(customer, fields=MASTER_FIELDS):
    return {f: getattr(customer, "group_id" if f == "group" else f) for f in fields}


@transaction.atomic
def update_customer(customer: Customer, actor, values: dict) -> Customer:
    """Change master data; logs before/after of exactly the fields that changed."""
    if customer.merged_into_id:
        raise DomainError(
            _("Customer %(number)s was merged into %(other)s; change that one.")
            % {"number": customer.number, "other": customer.merged_into.number}
        )
    if customer.status == CustomerStatus.DELETED:
        raise CustomerIsDeleted(
            _("Customer %(number)s is deleted; their data can no longer be changed.")
            % {"number": customer.number}
        )
    unknown = set(values) - set(MASTER_FIELDS)
    if unknown:
        raise ValidationError({f: [_("This field cannot be changed.")] for f in unknown})
    values = clean_master_data(values, customer.country)
    before = _snapshot(customer, values)
    for field, value in values.items():
        setattr(customer, field, value)
    customer.full_clean(exclude=["search_name", "first_key", "email_key", "user"])
    after = _snapshot(customer, values)
    changed = [f for f in values if before[f] != after[f]]
    if not changed:
        return customer
    customer.save(update_fields=changed)
    record(
        customer,
        actor,
        "customer.updated",
        _("Master data changed: %(fields)s")
        % {"fields": ", ".join(str(Customer._meta.get_field(f).verbose_name) for f in changed)},
        before={f: before[f] for f in changed},
        after={f: after[f] for f in changed},
    )
    return customer


# --- permissions ("Berechtigungen"): settings → customer group → customer ---------------


def effective_permissions(customer: Customer) -> dict[str, bool]:
    result = {}
    group_grants = customer.group.permissions if customer.group_id else {}
    for perm in Permission.values:
        allowed = bool(settings.DEFAULT_PERMISSIONS.get(perm, False))
        for grants in (group_grants, customer.permissions):
            if grants.get(perm) == Grant.ALLOW:
                allowed = True
            elif grants.get(perm) == Grant.DENY:
                allowed = False
        result[perm] = allowed
    return result


def permission_rows(customer):
    """For the card: each permission with its default, group grant, own grant and result."""
    effective = effective_permissions(customer)
    group_grants = customer.group.permissions if customer.group_id else {}
    return [
        {
            "key": perm,
            "label": Permission(perm).label,
            "default": bool(settings.DEFAULT_PERMISSIONS.get(perm, False)),
            "group": Grant(group_grants.get(perm, Grant.INHERIT)).label,
            "own": customer.permissions.get(perm, Grant.INHERIT),
            "effective": effective[perm],
        }
        for perm in Permission.values
    ]


@transaction.atomic
def set_permissions(customer, actor, grants: dict[str, str]):
    errors = {
        k: [_("Unknown permission or value.")]
        for k, v in grants.items()
        if k not in Permission.values or v not in Grant.values
    }
    if errors:
        raise ValidationError(errors)
    before = dict(customer.permissions)
    after = {k: v for k, v in {**before, **grants}.items() if v != Grant.INHERIT}
    if after == before:
        return customer
    customer.permissions = after
    customer.save(update_fields=["permissions"])
    record(
        customer,
        actor,
        "customer.permissions",
        _("Permissions changed"),
        before={k: before.get(k, Grant.INHERIT) for k in grants},
        after={k: after.get(k, Grant.INHERIT) for k in grants},
    )
    return customer


# --- notes, files, messages ------------------------------------------------------------


@transaction.atomic
def add_note(customer, actor, text):
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": [_("The note is empty.")]})
    note = Note.objects.create(customer=customer, author=actor.user, text=text)
    record(customer, actor, "note.added", _("Note: %(text)s") % {"text": text[:200]})
    return note


# Leading bytes of the types we accept, so a renamed executable is refused.
SIGNATURES = {
    ".pdf": [b"%PDF"],
    ".png": [b"\x89PNG"],
    ".jpg": [b"\xff\xd8"],
    ".jpeg": [b"\xff\xd8"],
}


@transaction.atomic
def upload_file(customer, actor, upload):
    name = Path(upload.name).name
    ext = Path(name).suffix.lower()
    if ext not in settings.UPLOAD_EXTENSIONS:
        allowed = ", ".join(sorted(settings.UPLOAD_EXTENSIONS))
        raise ValidationError(
            {
                "file": [
                    _("Files of type “%(ext)s” are not accepted (allowed: %(allowed)s).")
                    % {"ext": ext or "?", "allowed": allowed}
                ]
            }
        )
    if upload.size > settings.UPLOAD_MAX_BYTES:
        raise ValidationError(
            {
                "file": [
                    _("The file is larger than %(mb)d MB.")
                    % {"mb": settings.UPLOAD_MAX_BYTES // (1024 * 1024)}
                ]
            }
        )
    if upload.size == 0:
        raise ValidationError({"file": [_("The file is empty.")]})
    head = upload.read(8)
    upload.seek(0)
    if ext in SIGNATURES and not any(head.startswith(s) for s in SIGNATURES[ext]):
        raise ValidationError({"file": [_("The file content does not match its type.")]})
    stored = CustomerFile.objects.create(
        customer=customer,
        file=upload,
        name=name,
        content_type=mimetypes.guess_type(name)[0] or "application/octet-stream",
        size=upload.size,
        uploaded_by=actor.user,
    )
    record(customer, actor, "file.uploaded", _("Document uploaded: %(name)s") % {"name": name})
    return stored


@transaction.atomic
def delete_file(customer_file, actor):
    customer, name = customer_file.customer, customer_file.name
    customer_file.file.delete(save=False)
    customer_file.delete()
    record(customer, actor, "file.deleted", _("Document deleted: %(name)s") % {"name": name})


@transaction.atomic
def send_message(customer, actor, subject, body, attachment_ids=()):
    from . import outbox

    errors = {}
    if not customer.email:
        errors["to"] = [_("The customer has no email address; add one in the master data.")]
    if not (subject or "").strip():
        errors["subject"] = [_("The subject is empty.")]
    if not (body or "").strip():
        errors["body"] = [_("The message is empty.")]
    files = list(customer.files.filter(pk__in=attachment_ids))
    if len(files) != len(set(attachment_ids)):
        errors["attachments"] = [_("An attachment does not belong to this customer.")]
    if errors:
        raise ValidationError(errors)
    message = outbox.enqueue(customer, subject, body, actor=actor, attachments=files)
    record(
        customer,
        actor,
        "message.queued",
        _("Email “%(subject)s” to %(to)s") % {"subject": subject, "to": customer.email},
        after={"attachments": ", ".join(f.name for f in files)},
    )
    return message
