"""Erasure of a customer's personal data ("Löschen", SPEC §5): irreversible.

Every record follows its policy (``standing.customers.records``): deleted with its files,
anonymised, kept as it is (no personal data), or — bookkeeping — kept pseudonymised with the
date its retention ends (§ 147 AO, § 257 HGB: booking vouchers 8 years, books 10, business
letters 6, each from the end of the calendar year). The customer row stays as a pseudonym
(number, status DELETED) while retained records point to it; the tick deletes what is due and,
with the last of them, the row. The activity log keeps that the erasure happened.
"""

import secrets
from collections import defaultdict
from datetime import date, datetime

from django.apps import apps
from django.db import models, transaction
from django.db.models.deletion import ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _

from standing.accounts.scoping import SYSTEM
from standing.activity import audit
from standing.activity.models import ActivityRecord
from standing.activity.services import record
from standing.core.errors import DomainError
from standing.customers import records
from standing.customers.lifecycle import card_action, transition
from standing.customers.models import Customer, CustomerStatus

from .models import Erasure, RetainedRecord

CHUNK = 1000
# What stays of the customer row: a pseudonym (set as ``last_name``) instead of every personal
# field; the same blanking as a merge's tombstone.
PSEUDONYMISED = records.BLANK_CUSTOMER


class ErasureRefused(DomainError):
    """Erasure is not possible now (a claim with the agency, a payment pending, …)."""


def retention_end(kind: str, when) -> date:
    """The last day a record of ``kind`` dated ``when`` must be kept: the end of the calendar
    year ``when`` falls in, plus the retention years."""
    if isinstance(when, datetime):
        when = timezone.localtime(when).date()
    return date(when.year + records.RETENTION_YEARS[kind], 12, 31)


def plan(customer) -> dict:
    """What the erasure will do, for the confirmation: {"delete": [(label, n)], "keep": [(label,
    n, kind, until)], "blockers": [message]}."""
    result = {"delete": [], "anonymise": [], "keep": [], "blockers": refusals(customer)}
    for rel in records.covered():
        policy = rel.policy
        rows = rel.rows(customer)
        count = rows.count()
        if not count:
            continue
        if policy.erase == records.RETAIN:
            last = rows.aggregate(last=models.Max(policy.retention_date))["last"]
            result["keep"].append(
                {
                    "label": policy.label,
                    "count": count,
                    "kind": policy.retention,
                    "years": records.RETENTION_YEARS[policy.retention],
                    "until": retention_end(policy.retention, last),
                }
            )
        elif policy.erase == records.ANONYMISE:
            result["anonymise"].append({"label": policy.label, "count": count})
        elif policy.erase == records.DELETE:
            result["delete"].append({"label": policy.label, "count": count})
    return result


def refusals(customer) -> list[str]:
    reasons = []
    if customer.status == CustomerStatus.MERGED:
        reasons.append(
            _("Customer %(number)s was merged into %(other)s; erase that one.")
            % {"number": customer.number, "other": customer.merged_into.number}
        )
    if Erasure.objects.filter(customer=customer).exists():
        reasons.append(_("Customer %(number)s is erased already.") % {"number": customer.number})
    return reasons + records.erasure_blockers(customer)


def _delete_files(queryset, fields):
    for obj in queryset.only("pk", *fields).iterator(chunk_size=CHUNK):
        for name in fields:
            stored = getattr(obj, name)
            if stored:
                stored.storage.delete(stored.name)


def _file_fields(model):
    return [f.name for f in model._meta.concrete_fields if isinstance(f, models.FileField)]


def _retain(rel, customer):
    policy = rel.policy
    rows = rel.rows(customer)
    label = rel.model._meta.label_lower
    batch, last = [], None
    for pk, when in rows.values_list("pk", policy.retention_date).iterator(chunk_size=CHUNK):
        until = retention_end(policy.retention, when)
        last = max(last, until) if last else until
        batch.append(
            RetainedRecord(
                customer=customer,
                model=label,
                object_id=pk,
                kind=policy.retention,
                retain_until=until,
            )
        )
        if len(batch) >= CHUNK:
            RetainedRecord.objects.bulk_create(batch, ignore_conflicts=True)
            batch = []
    RetainedRecord.objects.bulk_create(batch, ignore_conflicts=True)
    files = [f for f in _file_fields(rel.model) if f in policy.anonymise]
    _delete_files(rows, files)
    if policy.anonymise:
        rows.update(**policy.anonymise)
    return last


def erase(customer, actor) -> Erasure:
    """Erase ``customer`` (irreversible). The activity log is append-only; erasure is one of the
    domain actions allowed to pseudonymise and, after retention, delete its rows (issue 9)."""
    with audit.maintenance():
        return _erase(customer, actor)


def _erase(customer, actor) -> Erasure:
    customer = Customer.objects.select_for_update().get(pk=customer.pk)
    if reasons := refusals(customer):
        raise ErasureRefused(" ".join(reasons))
    summary = plan(customer)
    number, last = customer.number, None
    # Every relation by its policy; the retained ones first, so their references are recorded
    # before anything around them is deleted.
    relations = sorted(records.covered(), key=lambda r: r.policy.erase != records.RETAIN)
    for rel in relations:
        policy, rows = rel.policy, rel.rows(customer)
        if policy.on_erase:
            policy.on_erase(rows)
        if policy.erase == records.RETAIN:
            until = _retain(rel, customer)
            if until:
                last = max(last, until) if last else until
        elif policy.erase == records.ANONYMISE:
            _delete_files(rows, [f for f in _file_fields(rel.model) if f in policy.anonymise])
            rows.update(**policy.anonymise)
        elif policy.erase == records.DELETE:
            _delete_files(rows, _file_fields(rel.model))
            rows.delete()
    user = customer.user
    for name, value in PSEUDONYMISED.items():
        setattr(customer, name, value)
    customer.last_name = _("erased") + f" {secrets.token_hex(4)}"
    customer.user = None
    customer.save(update_fields=[*PSEUDONYMISED, "user"])
    if user is not None:
        user.delete()
    if customer.status != CustomerStatus.DELETED:
        with card_action("erase"):
            transition(customer, CustomerStatus.DELETED, actor, _("Personal data erased"))
    kept = {str(k["label"]): k["count"] for k in summary["keep"]}
    erasure = Erasure.objects.create(
        customer=customer,
        number=number,
        erased_at=timezone.now(),
        erased_by_label=actor.label,
        kept=kept,
        retention_until=last,
    )
    # The fact, without personal data: who, when, and what is kept until when.
    record(
        customer,
        actor,
        "customer.erased",
        _("Personal data erased; kept for bookkeeping until %(until)s: %(kept)s")
        % {
            "until": last.isoformat() if last else "–",
            "kept": ", ".join(f"{k} ({n})" for k, n in kept.items()) or "–",
        },
        after={"kept_until": last.isoformat() if last else None},
    )
    return erasure


def _delete_due(model_label, ids):
    model = apps.get_model(model_label)
    try:
        with transaction.atomic():
            _delete_files(model._default_manager.filter(pk__in=ids), _file_fields(model))
            model._default_manager.filter(pk__in=ids).delete()
    except ProtectedError:
        return False  # another retained record still refers to these: a later tick
    RetainedRecord.objects.filter(model=model_label, object_id__in=ids).delete()
    return True


def delete_due(now):
    """The tick: delete retained records whose retention has ended, then the pseudonymised
    customer rows nothing is kept for any more (at once when nothing was). Idempotent."""
    today = timezone.localdate(now)
    due = defaultdict(list)
    for model_label, object_id in RetainedRecord.objects.filter(retain_until__lt=today).values_list(
        "model", "object_id"
    ):
        due[model_label].append(object_id)
    deleted = 0
    pending = dict(due)
    # Rows that protect others go after them: repeat while a round makes progress.
    while pending:
        progress = [label for label, ids in pending.items() if _delete_due(label, ids)]
        for label in progress:
            deleted += len(pending.pop(label))
        if not progress:
            break
    finished = 0
    open_erasures = Erasure.objects.filter(finished_at__isnull=True, customer__isnull=False)
    for erasure in open_erasures.exclude(
        customer__in=RetainedRecord.objects.filter(customer__isnull=False).values("customer")
    ):
        with audit.maintenance():
            customer = erasure.customer
            ActivityRecord.objects.filter(customer=customer).delete()
            Customer.objects.filter(merged_into=customer).delete()
            try:
                customer.delete()
            except ProtectedError:
                continue
            Erasure.objects.filter(pk=erasure.pk).update(finished_at=now)
            record(
                None,
                SYSTEM,
                "customer.erasure_finished",
                _(
                    "Customer %(number)s: the records kept for bookkeeping reached the end of "
                    "their retention and were deleted"
                )
                % {"number": erasure.number},
            )
            finished += 1
    if deleted or finished:
        return f"erasure: {deleted} retained record(s) deleted, {finished} customer(s) finished"
    return None
