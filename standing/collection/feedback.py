"""The agency's feedback import (SPEC §7): the exchange file's format read back, applied
atomically on the shared CSV importer (``core.csvimport``: BOM, semicolons, Latin-1, every bad
row reported with its line and column, all or nothing).

``incasso_state`` is the agency's word and drives the change; ``status_support`` is ours and is
not read. A row changes the claim only when the agency's state differs from what our state maps
to (``exchange.INCASSO_STATE``), through the claim lifecycle:

- ``paid``: the agency collected the claim **in full** (the file has no amount column): the
  claim's open amount on the day of the import is applied as a payment on the claim (costs,
  interest, then principal, § 367 BGB), whose order event id is derived from the row
  (``incasso:<vendor>:<order>:<claim>:paid``), so a re-import pays nothing twice; the claim
  is then ``paid``;
- ``canceled``, ``blocked``, ``on_hold``, ``sent_for_collection``: that transition of the claim
  lifecycle (its table and guards decide; a refusal is a bad row);
- a ``support_comment`` the claim does not carry yet is kept as a comment the vendor sees.

A row whose state already matches changes nothing: importing the same file twice is a no-op.
"""

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from standing.accounts.scoping import Actor
from standing.claims import services as claims
from standing.claims.amounts import amounts_of
from standing.claims.lifecycle import CLAIMS
from standing.claims.models import (
    UNFINISHED_STATES,
    Claim,
    ClaimComment,
    ClaimStatus,
    Visibility,
)
from standing.core.csvimport import Column, CsvFileError, CsvImport, ImportRefused, Report
from standing.core.errors import DomainError
from standing.vendors.models import Vendor

from .exchange import HEADER, INCASSO_STATES, incasso_state, parse_date
from .models import FeedbackImport, Outcome

S = ClaimStatus
DATES = ("first_dunning_letter", "second_dunning_letter", "incasso_date")
AGENCY = "Inkasso-Rückmeldung"


@dataclass
class Feedback:
    claim: Claim
    state: str  # the agency's incasso_state
    target: str | None  # our state to move to (None: the state already fits)
    incasso_on: date | None
    comment: str
    updates: dict = field(default_factory=dict)


class RowFailed(DomainError):
    def __init__(self, line, message):
        self.line = line
        super().__init__(message)


def _bool(text):
    value = text.strip().lower()
    if value not in ("true", "false"):
        raise ValidationError(_("write True or False, not '%(value)s'") % {"value": text[:20]})
    return value == "true"


class AgencyFeedback(CsvImport):
    columns = [Column(name) for name in HEADER if name != "status_support"] + [
        Column("status_support", required=False)
    ]

    def __init__(self, actor: Actor, on: date | None = None):
        self.actor = actor
        self.on = on or claims.today()
        self.changes: list[dict] = []

    def start(self, report: Report):
        self.vendors = set(Vendor.objects.values_list("pk", flat=True))
        self.seen: dict[int, int] = {}
        self.changes = []

    def prepare(self, rows):
        keys = {}
        for row in rows:
            vendor = row.values.get("vendor_id", "").strip()
            if vendor.isdigit():
                keys.setdefault(int(vendor), set()).add(row.values.get("order_id", "").strip())
        self.claims = {}
        for vendor, numbers in keys.items():
            found = (
                Claim.objects.filter(vendor_id=vendor, order__number__in=numbers)
                .select_related("order", "customer", "vendor")
                .order_by("opened_at", "pk")
            )
            for claim in found:
                key = (claim.vendor_id, claim.order.number)
                current = self.claims.get(key)
                # The running claim of the order counts; else its newest.
                if current is None or current.status not in UNFINISHED_STATES:
                    self.claims[key] = claim

    def clean(self, row):
        values = row.values
        errors = {}
        vendor = values["vendor_id"].strip()
        if not vendor.isdigit() or int(vendor) not in self.vendors:
            errors["vendor_id"] = [_("unknown vendor '%(value)s'") % {"value": vendor[:20]}]
        number = values["order_id"].strip()
        claim = None
        if "vendor_id" not in errors:
            claim = self.claims.get((int(vendor), number))
            if claim is None:
                errors["order_id"] = [
                    _("unknown order '%(order)s': vendor %(vendor)s has no claim on it")
                    % {"order": number[:64], "vendor": vendor}
                ]
        dates = {}
        for column in DATES:
            try:
                dates[column] = parse_date(values[column])
            except ValueError:
                errors[column] = [
                    _("'%(value)s' is not a date; write MM/DD/YYYY, e.g. 01/31/2020")
                    % {"value": values[column].strip()[:20]}
                ]
        present = [(c, dates[c]) for c in DATES if dates.get(c)]
        for (before, earlier), (after, later) in zip(present, present[1:], strict=False):
            if later < earlier:
                errors.setdefault(after, []).append(
                    _("dates out of order: %(after)s is before %(before)s")
                    % {"after": after, "before": before}
                )
        state = values["incasso_state"].strip()
        if state not in INCASSO_STATES:
            errors["incasso_state"] = [
                _("unknown state '%(value)s'; use one of %(states)s")
                % {"value": state[:30], "states": ", ".join(INCASSO_STATES)}
            ]
        for column in ("reopened", "invalid_address"):
            try:
                _bool(values[column])
            except ValidationError as error:
                errors[column] = error.messages
        if errors:
            raise ValidationError(errors)
        item = Feedback(
            claim=claim,
            state=state,
            target=None,
            incasso_on=dates["incasso_date"],
            comment=values["support_comment"].strip()[:2000],
        )
        self._plan(item)
        return item

    def _plan(self, item: Feedback):
        """The lifecycle move the agency's state asks for, refused here if the lifecycle
        forbids it (so the whole file is refused before anything changes)."""
        claim = item.claim
        if incasso_state(claim.status) == item.state:
            return
        target = S(item.state)
        item.target = target
        if why := CLAIMS.refusal_reason(claim, target, self.actor):
            raise ValidationError(
                {
                    "incasso_state": [
                        _("the claim lifecycle forbids this change: %(why)s") % {"why": why}
                    ]
                }
            )
        updates = {} if target == S.BLOCKED else {"status_before_block": ""}
        if target == S.BLOCKED:
            updates["status_before_block"] = claim.status
        elif target == S.SENT_FOR_COLLECTION:
            handed = item.incasso_on or self.on
            if claim.second_letter_on and handed < claim.second_letter_on:
                raise ValidationError(
                    {
                        "incasso_date": [
                            _(
                                "dates out of order: the handover %(handed)s is before our "
                                "second letter of %(second)s"
                            )
                            % {
                                "handed": handed.strftime("%m/%d/%Y"),
                                "second": claim.second_letter_on.strftime("%m/%d/%Y"),
                            }
                        ]
                    }
                )
            updates["incasso_on"] = handed
        elif target in (S.CANCELED, S.PAID):
            updates["closed_on"] = self.on
            if target == S.CANCELED:
                updates["cancel_reason"] = _("canceled by the collection agency")
        item.updates = updates

    def check(self, items, report):
        kept = []
        for line, item in items:
            first = self.seen.setdefault(item.claim.pk, line)
            if first != line:
                report.problem(
                    line,
                    "order_id",
                    _("order %(order)s is already in line %(first)s")
                    % {"order": item.claim.order.number, "first": first},
                )
                continue
            kept.append((line, item))
        return kept

    def write(self, items):
        for line, item in items:
            try:
                change = self._apply(item)
            except (DomainError, ValidationError) as error:
                text = str(error) if isinstance(error, DomainError) else " ".join(error.messages)
                raise RowFailed(line, text) from error
            if change:
                self.changes.append({"line": line, **change})

    def _apply(self, item: Feedback) -> dict | None:
        claim, actor = item.claim, self.actor
        before = incasso_state(claim.status)
        change = {}
        if item.target == S.PAID:
            owed = amounts_of(claim, self.on).open_total
            if owed > 0:
                reference = f"incasso:{claim.vendor_id}:{claim.order.number}:{claim.pk}:paid"
                claims.apply_claim_payment(
                    claim, owed, on=self.on, actor=actor, reference=reference[:90]
                )
                change["payment"] = str(owed)
            claim.refresh_from_db()
        if item.target and claim.status != item.target:
            CLAIMS.transition(
                claim,
                item.target,
                actor,
                reason=_("collection agency: %(state)s") % {"state": item.state},
                updates=item.updates,
            )
        if item.target:
            change |= {"from": before, "to": item.state}
        if (
            item.comment
            and not ClaimComment.objects.filter(
                claim=claim, visibility=Visibility.VENDOR, text=item.comment
            ).exists()
        ):
            ClaimComment.objects.create(
                claim=claim,
                visibility=Visibility.VENDOR,
                text=item.comment,
                author=None,
                author_label=AGENCY,
            )
            change["comment"] = True
        if not change:
            return None
        return {"order": claim.order.number, "claim": claim.pk, **change}


def import_feedback(data: bytes, file_name: str, actor: Actor, *, on=None) -> FeedbackImport:
    """Apply the agency's feedback file ``data`` (all rows or none) and keep the import as a
    record with the file and its report, applied or refused."""
    importer = AgencyFeedback(actor, on=on)
    report, error = None, ""
    try:
        report = importer.apply(data)
    except ImportRefused as refused:
        report = refused.report
    except CsvFileError as problem:
        error = str(problem)
    except RowFailed as failed:
        error = _("line %(line)s: %(message)s; nothing was imported.") % {
            "line": failed.line,
            "message": str(failed),
        }
    ok = report is not None and report.ok and not error
    details = {"error": error}
    if report is not None:
        details |= {
            "encoding": report.encoding,
            "delimiter": report.delimiter,
            "problems": [
                {"line": p.line, "column": p.column, "message": p.message, "text": str(p)}
                for p in report.problems
            ],
        }
    if ok:
        details["changes"] = importer.changes
    record = FeedbackImport(
        actor=actor.user,
        actor_label=actor.label,
        file_name=file_name[:255],
        rows=report.rows if report else 0,
        applied=report.applied if ok else 0,
        changed=len(importer.changes) if ok else 0,
        outcome=Outcome.APPLIED if ok else Outcome.REFUSED,
        report=details,
    )
    record.file.save(_safe_name(file_name), ContentFile(data), save=False)
    record.save()
    return record


def _safe_name(name: str) -> str:
    from django.utils.text import get_valid_filename

    try:
        return get_valid_filename(name.rsplit("/", 1)[-1])[-100:]
    except SuspiciousFileOperation:  # a name made only of odd characters
        return "feedback.csv"
