"""Every record that hangs on a customer, and what a merge, the data export and the erasure do
with it: one explicit policy per foreign key to ``Customer``.

The generic code (``standing.duplicates`` merges, ``standing.privacy`` exports and erases)
walks every reverse relation of ``Customer`` (``_meta.get_fields(include_hidden=True)``) and
refuses to run while one of them has no policy, so a new model with a customer foreign key
cannot be forgotten: it fails ``test_every_customer_relation_has_a_policy`` and
``standing check`` until its app registers a policy with ``register()`` in ``ready()``.

Apps also register *erasure blockers*: ``fn(customer) -> message | None``; while one answers a
message, the customer cannot be erased (a payment pending, a claim with the collection agency).
"""

import sys
from collections.abc import Callable
from dataclasses import dataclass, field

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Q

from standing.core.registry import Registry

# What a merge does with the merged-away customer's rows.
MOVE = "move"  # point them at the survivor
UNIQUE = "unique"  # move them, except where the survivor has a row with the same ``unique_with``
DROP = "drop"  # derived data (keys, suggestions): delete it, the survivor's own stays

# What the erasure does with the rows.
DELETE = "delete"  # gone, with the files they hold
ANONYMISE = "anonymise"  # personal fields overwritten by ``anonymise``, the row stays
KEEP = "keep"  # holds no personal data: stays as it is
RETAIN = "retain"  # bookkeeping: stays pseudonymised until its retention ends, then deleted

# SPEC §5 (§ 147 AO, § 257 HGB as of 2025): years kept, counted from the end of the calendar
# year of the record's ``retention_date``.
RETENTION_YEARS = {"voucher": 8, "books": 10, "letters": 6}

# A customer row without the person: every personal field of the row blanked. A merged-away
# customer (its tombstone) and an erased one (pseudonymised, ``last_name`` then holds the
# pseudonym) both keep only their number, status and links; one map for both.
BLANK_CUSTOMER = {
    "first_name": "",
    "last_name": "",
    "company_name": "",
    "birth_date": None,
    "email": "",
    "phone": "",
    "iban": "",
    "document_number": "",
    "street": "",
    "postal_code": "",
    "city": "",
    "general_info": "",
    "group": None,
    "permissions": {},
}


@dataclass(frozen=True)
class Conflict:
    """Something staff must know before a merge; ``blocking`` ones refuse it until resolved."""

    message: str
    blocking: bool = False


@dataclass(frozen=True)
class RecordPolicy:
    label: object  # plural, for the merge preview and the erasure confirmation ("orders")
    merge: str = MOVE
    unique_with: tuple = ()
    # fn(survivor, other) -> list[Conflict]
    conflicts: Callable | None = None
    # Key of the rows in customer.json; None: not exported (derived data without facts).
    export: str | None = None
    # Rows that are screening evidence (SPEC §2): not in the customer's own export, and
    # withheld while the operator records a legal restriction. True: every row.
    evidence: Q | bool = False
    # Rows for staff only (the operator's own notes, internal comments): not in the
    # customer's own export, but in the export staff make. True: every row.
    staff_only: Q | bool = False
    erase: str = DELETE
    # {field: value} written over personal data (ANONYMISE and RETAIN).
    anonymise: dict = field(default_factory=dict)
    retention: str | None = None  # a key of RETENTION_YEARS, for RETAIN
    retention_date: str = ""  # the date or date-time field the retention counts from
    # Rows of other models that belong to these (an order's installments and payment events):
    # {export key: ("app_label.Model", lookup from that model to the customer)}, or with a
    # third item: a Q of the rows that are for staff only (internal comments).
    export_related: dict = field(default_factory=dict)
    # fn(rows): erasure work beyond the rows' own fields, before ``erase`` is applied (the
    # files and texts of rows that hang on these: a claim's letters and comments).
    on_erase: Callable | None = None

    def __post_init__(self):
        if self.erase == RETAIN and (
            self.retention not in RETENTION_YEARS or not self.retention_date
        ):
            raise ImproperlyConfigured("A retained record needs a retention kind and its date.")


# Keyed by ("app_label.modelname", fk); filled in AppConfig.ready() (the privacy app's).
POLICIES = Registry("record policies")
# fn(customer) -> message | None, keyed by "module.qualname".
ERASURE_BLOCKERS = Registry("erasure blockers")


def register(model: str, fk: str, policy: RecordPolicy):
    """``model`` as "app_label.ModelName", ``fk`` the name of its foreign key to Customer;
    once per relation."""
    return POLICIES.register(policy, key=(model.lower(), fk), module=_caller())


def register_erasure_blocker(fn: Callable):
    key = f"{fn.__module__}.{fn.__qualname__}"
    return ERASURE_BLOCKERS.register(fn, key=key, module=fn.__module__)


def _caller():
    return sys._getframe(2).f_globals.get("__name__", "")


@dataclass(frozen=True)
class Relation:
    model: type
    fk: str
    policy: RecordPolicy | None

    @property
    def key(self):
        return f"{self.model._meta.label_lower}.{self.fk}"

    def rows(self, customer):
        return self.model._default_manager.filter(**{self.fk: customer})


def relations() -> list[Relation]:
    """Every foreign key (or one-to-one) to Customer, with its policy (None: missing)."""
    customer = apps.get_model("customers", "Customer")
    found = []
    # Hidden ones too (related_name="+"): a relation without a reverse accessor is still data.
    reverse = [
        f
        for f in customer._meta.get_fields(include_hidden=True)
        if f.auto_created and not f.concrete and f.is_relation
    ]
    for rel in reverse:
        model, fk = rel.related_model, rel.field.name
        found.append(Relation(model, fk, POLICIES.get((model._meta.label_lower, fk))))
    return found


def missing() -> list[str]:
    return [r.key for r in relations() if r.policy is None]


def covered() -> list[Relation]:
    """Every relation, or ImproperlyConfigured naming those without a policy."""
    if gaps := missing():
        raise ImproperlyConfigured(
            "No merge/export/erasure policy for: "
            + ", ".join(gaps)
            + ". Register one with standing.customers.records.register()."
        )
    return relations()


def erasure_blockers(customer) -> list[str]:
    return [str(message) for fn in ERASURE_BLOCKERS if (message := fn(customer))]


def check_policies(app_configs=None, **kwargs):
    """A system check (``standing check``): every customer relation has a policy."""
    from django.core.checks import Error

    return [
        Error(
            f"{key} has no customer record policy.",
            hint="Register one with standing.customers.records.register() in the app's ready().",
            id="customers.E001",
        )
        for key in missing()
    ]
