"""Merging two customers ("Zusammenführen mit", SPEC §5): the survivor keeps its number; staff
choose field by field whose value it keeps; every related record moves to it in one
transaction, following each relation's policy (``standing.customers.records``); the other
becomes a tombstone that points to the survivor, and its data stays as a snapshot in the
survivor's history.
"""

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from standing.activity import audit
from standing.activity.services import record
from standing.core.errors import DomainError
from standing.customers import records
from standing.customers.lifecycle import card_action, transition
from standing.customers.models import Customer, CustomerStatus
from standing.customers.services import MASTER_FIELDS, update_customer

from .services import GONE

KEEP, OTHER = "keep", "other"
# What staff choose between: the master data and the permissions of the card.
CHOICE_FIELDS = [*MASTER_FIELDS, "permissions"]
# What a tombstone holds: its number, status and where it went; nothing personal.
TOMBSTONE = records.BLANK_CUSTOMER


class MergeRefused(DomainError):
    """The two cannot be merged now; the message says what to resolve first."""


@dataclass
class Preview:
    survivor: Customer
    other: Customer
    fields: list = field(default_factory=list)  # [{name, label, keep, other, differs}]
    moves: list = field(default_factory=list)  # [{key, label, count}]
    conflicts: list = field(default_factory=list)  # [records.Conflict]

    @property
    def blocking(self):
        return [c for c in self.conflicts if c.blocking]


def _label(name):
    if name == "permissions":
        return gettext_lazy("Permissions")
    return Customer._meta.get_field(name).verbose_name


def _value(customer, name):
    """The value as staff read it: choices by their label, dates as dates."""
    value = getattr(customer, name)
    if name != "permissions":
        choices = dict(Customer._meta.get_field(name).flatchoices)
        if value in choices:
            return choices[value]
    return value


def _display(value):
    if value in (None, "", {}):
        return ""
    if isinstance(value, dict):
        return ", ".join(f"{k}: {v}" for k, v in sorted(value.items()))
    if isinstance(value, date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    return str(value)


def check_mergeable(survivor, other):
    if survivor.pk == other.pk:
        raise MergeRefused(_("A customer cannot be merged with itself."))
    for customer in (survivor, other):
        if customer.status in GONE:
            raise MergeRefused(
                _("Customer %(number)s is %(status)s and cannot be merged.")
                % {"number": customer.number, "status": customer.get_status_display()}
            )


def preview(survivor, other) -> Preview:
    """Every field side by side, every record that would move, and every conflict; changes
    nothing."""
    check_mergeable(survivor, other)
    result = Preview(survivor, other)
    for name in CHOICE_FIELDS:
        mine, theirs = _value(survivor, name), _value(other, name)
        result.fields.append(
            {
                "name": name,
                "label": _label(name),
                "keep": _display(mine),
                "other": _display(theirs),
                "differs": _display(mine) != _display(theirs),
            }
        )
    for rel in records.covered():
        policy = rel.policy
        if policy.merge != records.DROP:
            count = rel.rows(other).count()
            if policy.merge == records.UNIQUE:
                count -= _duplicated(rel, survivor, other).count()
            if count:
                result.moves.append({"key": rel.key, "label": policy.label, "count": count})
        if policy.conflicts:
            result.conflicts.extend(policy.conflicts(survivor, other))
    if other.user_id:
        result.moves.append({"key": "login", "label": gettext_lazy("logins"), "count": 1})
        if survivor.user_id:
            result.conflicts.append(
                records.Conflict(
                    _(
                        "Both customers have a login (%(a)s, %(b)s); a customer has one. "
                        "Delete one of them on its card first."
                    )
                    % {"a": survivor.user.username, "b": other.user.username},
                    blocking=True,
                )
            )
    if survivor.status != other.status:
        result.conflicts.append(
            records.Conflict(
                _("The statuses differ (%(a)s, %(b)s): %(number)s keeps its own, %(status)s.")
                % {
                    "a": survivor.get_status_display(),
                    "b": other.get_status_display(),
                    "number": survivor.number,
                    "status": survivor.get_status_display(),
                }
            )
        )
    return result


def clean_choices(choices) -> dict:
    if not isinstance(choices, dict):
        raise ValidationError({"choices": [_("Give an object {field: “keep” or “other”}.")]})
    errors = {}
    for name, choice in choices.items():
        if name not in CHOICE_FIELDS:
            errors[name] = [_("Unknown field; choose among: %s.") % ", ".join(CHOICE_FIELDS)]
        elif choice not in (KEEP, OTHER):
            errors[name] = [_("Choose “keep” or “other”.")]
    if errors:
        raise ValidationError(errors)
    return choices


def _duplicated(rel, survivor, other):
    """The other's rows of a UNIQUE relation that the survivor has already (the same vendor
    link, the same cleared entry): they go instead of moving."""
    unique = rel.policy.unique_with
    same = models.Exists(rel.rows(survivor).filter(**{u: models.OuterRef(u) for u in unique}))
    return rel.rows(other).filter(same)


def _move(rel, survivor, other):
    policy, rows = rel.policy, rel.rows(other)
    if policy.merge == records.DROP:
        rows.delete()
        return 0
    if policy.merge == records.UNIQUE:
        rel.model._default_manager.filter(
            pk__in=list(_duplicated(rel, survivor, other).values_list("pk", flat=True))
        ).delete()
    return rows.update(**{rel.fk: survivor})


def snapshot(customer) -> dict:
    data = {"number": customer.number, "status": customer.status}
    for name in CHOICE_FIELDS:
        value = getattr(customer, "group_id" if name == "group" else name)
        if isinstance(value, date):
            value = value.isoformat()
        data[name] = value if isinstance(value, dict | int | None) else str(value)
    return data


def merge(survivor, other, actor, choices=None) -> dict:
    """Merge ``other`` into ``survivor``; returns {policy key: rows moved}. The activity log is
    append-only; a merge is one of the domain actions allowed to move its rows (issue 9)."""
    with audit.maintenance():
        return _merge(survivor, other, actor, choices)


def _merge(survivor, other, actor, choices=None) -> dict:
    choices = clean_choices(choices or {})
    # Both rows locked (SQLite: the IMMEDIATE transaction), then read afresh.
    locked = {
        c.pk: c for c in Customer.objects.select_for_update().filter(pk__in=[survivor.pk, other.pk])
    }
    survivor, other = locked[survivor.pk], locked[other.pk]
    plan = preview(survivor, other)
    if plan.blocking:
        raise MergeRefused(" ".join(str(c.message) for c in plan.blocking))
    before = snapshot(other)
    taken = {name: getattr(other, name) for name, c in choices.items() if c == OTHER}
    # The tombstone first: saving it refreshes its derived keys, which the DROP policies then
    # remove with the rest of what it held.
    for name, value in TOMBSTONE.items():
        setattr(other, name, value)
    other.merged_into = survivor
    other.save(update_fields=[*TOMBSTONE, "merged_into"])
    moved = {}
    for rel in records.covered():
        count = _move(rel, survivor, other)
        if count:
            moved[rel.key] = count
    if other.user_id and not survivor.user_id:
        user = other.user
        Customer.objects.filter(pk=other.pk).update(user=None)
        other.user = None
        Customer.objects.filter(pk=survivor.pk).update(user=user)
        survivor.user = user
        moved["login"] = 1
    permissions = taken.pop("permissions", None)
    if taken:
        update_customer(survivor, actor, taken)
    if permissions is not None and permissions != survivor.permissions:
        old = survivor.permissions
        survivor.permissions = permissions
        survivor.save(update_fields=["permissions"])
        record(
            survivor,
            actor,
            "customer.permissions",
            _("Permissions taken over from %(number)s") % {"number": other.number},
            before=old,
            after=permissions,
        )
    with card_action("merge"):
        transition(
            other,
            CustomerStatus.MERGED,
            actor,
            _("Merged into %(number)s") % {"number": survivor.number},
            details={"merged_into": survivor.number},
        )
    record(
        survivor,
        actor,
        "customer.merged",
        _("Customer %(other)s merged into this one (%(fields)s taken over)")
        % {"other": before["number"], "fields": ", ".join(choices_taken(choices)) or "–"},
        before=before,
        after={"merged": before["number"], **{k: str(v) for k, v in moved.items()}},
        internal=True,
    )
    return moved


def choices_taken(choices):
    return [str(_label(n)) for n, c in choices.items() if c == OTHER]


def resolve(number):
    """The customer a number stands for now: a tombstone's survivor (following chains)."""
    customer = Customer.objects.get(number=number)
    seen = set()
    while customer.merged_into_id and customer.pk not in seen:
        seen.add(customer.pk)
        customer = customer.merged_into
    return customer
