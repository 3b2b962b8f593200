"""The rules of blocks (SPEC §4): block, lift, expire — and the one lifecycle table.

Whether a customer is blocked is computed from the current time (``Block.active_q``), so a
timed block stops blocking at its end for every check. The lifecycle table below records
what *happened* to a block: a person lifted it, or the system wrote its expiry to the log.
"""

from datetime import date, datetime, time, timedelta

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from standing.accounts.models import STAFF_ROLES, User
from standing.activity.services import record
from standing.core import lifecycle, strict
from standing.core.errors import DomainError
from standing.customers.models import CustomerStatus

from .models import Block, BlockReason, BlockStatus

S = BlockStatus


class Duration(models.TextChoices):
    DAYS_5 = "5d", gettext_lazy("5 days")
    DAYS_14 = "14d", gettext_lazy("14 days")
    MONTH_1 = "1m", gettext_lazy("1 month")
    UNTIL = "until", gettext_lazy("until a date (payment deferral)")
    INDEFINITE = "indefinite", gettext_lazy("indefinite")


# Calendar arithmetic in local time: "1 month" from 31 January is the end of February, and
# "14 days" across the change to winter time ends at the same wall-clock time.
STEPS = {
    Duration.DAYS_5: relativedelta(days=5),
    Duration.DAYS_14: relativedelta(days=14),
    Duration.MONTH_1: relativedelta(months=1),
}


# --- the lifecycle -----------------------------------------------------------------------


TRANSITIONS = {
    # A person lifts a block that has not ended yet ("entsperren").
    (S.ACTIVE, S.LIFTED): "lifted",
    # The system logs the end of a timed block, once.
    (S.ACTIVE, S.EXPIRED): "expired",
}
# Which blocks (at ``now``) a transition may touch, beyond their recorded status: checked by
# the database in the same conditional UPDATE.
TIME_RULES = {
    S.LIFTED: lambda now: Q(ends_at__isnull=True) | Q(ends_at__gt=now),
    S.EXPIRED: lambda now: Q(ends_at__lte=now),
}


def _ended(block, now):
    return block.ends_at is not None and block.ends_at <= now


class BlockTransitionNotAllowed(lifecycle.TransitionNotAllowed):
    """The block has ended already (lifted or expired), so it cannot change any more."""

    def __init__(self, message=None, *, obj=None, frm=None, to=None, now=None):
        block = obj
        self.block = block
        if message is None:
            if block.status == S.LIFTED:
                message = _("The block of %(since)s was lifted on %(at)s already.") % {
                    "since": block_date(block),
                    "at": format_moment(block.lifted_at),
                }
            elif block.status == S.EXPIRED or _ended(block, now or timezone.now()):
                message = _("The block of %(since)s ended on %(at)s; there is nothing to lift.") % {
                    "since": block_date(block),
                    "at": format_moment(block.ends_at),
                }
            else:
                message = _("The block of %(since)s cannot become %(to)s.") % {
                    "since": block_date(block),
                    "to": S(to).label,
                }
        super().__init__(message, obj=block, frm=frm, to=to)


class BlockChangedMeanwhile(lifecycle.ChangedMeanwhile, BlockTransitionNotAllowed):
    pass


BLOCK = lifecycle.Lifecycle(
    "block",
    Block,
    TRANSITIONS,
    action_prefix="block",
    internal=True,
    describe=lambda block: _("The block of %(since)s") % {"since": block_date(block)},
    not_allowed=BlockTransitionNotAllowed,
    changed=BlockChangedMeanwhile,
)


def allowed_transitions(block, now=None) -> list[str]:
    """What can happen to ``block`` at ``now``: the table, then the time rules."""
    now = now or timezone.now()
    return [
        to
        for to in BLOCK.allowed(block)
        if (to == S.LIFTED) != _ended(block, now)  # lift before the end, expire after
    ]


@transaction.atomic
def transition(block: Block, to: str, actor, *, now, summary, values=None, details=None):
    """Move ``block`` to ``to`` if the table allows it at ``now`` (the one lifecycle engine:
    a conditional UPDATE that also checks the time rule, so two concurrent requests or ticks
    cannot both succeed, logged in the same transaction). ``actor`` None is the system."""
    try:
        return BLOCK.transition(
            block,
            to,
            actor,
            updates=values,
            summary=summary,
            before={"block": block.pk},
            details={"block": block.pk, **(details or {})},
            condition=TIME_RULES[to](now) if to in TIME_RULES else None,
            at=now if to != S.EXPIRED else block.ends_at,
        )
    except lifecycle.TransitionNotAllowed as refused:
        # Say what happened to the block, from its row as it is now.
        block.refresh_from_db()
        error = BlockChangedMeanwhile if isinstance(refused, lifecycle.ChangedMeanwhile) else None
        raise (error or BlockTransitionNotAllowed)(
            obj=block, frm=refused.frm, to=to, now=now
        ) from None


# --- blocking ----------------------------------------------------------------------------


class CustomerDeleted(DomainError):
    """A deleted customer can no longer log in, book or reserve: there is nothing to block."""


def format_moment(moment):
    return date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")


def block_date(block):
    """How people name a block in a message: by the day it began ("the block of 30.11.2026")."""
    return date_format(timezone.localtime(block.starts_at), "SHORT_DATE_FORMAT")


def staff_member(username, actor) -> User:
    """The staff member named by ``username``, or the acting user ("Betreuer")."""
    if username in (None, ""):
        if actor.user is None or actor.user.role not in STAFF_ROLES:
            raise ValidationError({"staff": [_("Name the staff member.")]})
        return actor.user
    user = User.objects.filter(username=username, is_active=True, role__in=STAFF_ROLES).first()
    if user is None:
        raise ValidationError(
            {"staff": [_("'%(name)s' is not a staff member.") % {"name": username}]}
        )
    return user


def reason_for(code, *, include_inactive=False) -> BlockReason:
    reasons = (
        BlockReason.objects.all() if include_inactive else BlockReason.objects.filter(active=True)
    )
    if isinstance(code, BlockReason):
        code = code.code
    reason = reasons.filter(code=code).first()
    if reason is None:
        known = ", ".join(BlockReason.objects.filter(active=True).values_list("code", flat=True))
        raise ValidationError(
            {
                "reason": [
                    _("Unknown reason '%(code)s'; use one of: %(known)s.")
                    % {"code": code, "known": known}
                ]
            }
        )
    return reason


def parse_moment(value, field) -> tuple[datetime, bool]:
    """A date or a date-time as an aware datetime, and whether it was a date alone.

    Naive values are local time (Europe/Berlin by default)."""
    if isinstance(value, str):
        text = value.strip()
        try:
            if not strict.DATE.match(text):
                raise ValueError(text)
            value = date.fromisoformat(text) if len(text) == 10 else datetime.fromisoformat(text)
        except ValueError:
            raise ValidationError(
                {
                    field: [
                        _("'%(value)s' is not a date (YYYY-MM-DD) or an ISO date-time.")
                        % {"value": value}
                    ]
                }
            ) from None
    if isinstance(value, date):
        try:
            strict.in_range(value.date() if isinstance(value, datetime) else value)
        except ValueError as error:
            raise ValidationError({field: [str(error)]}) from None
    if isinstance(value, datetime):
        if timezone.is_naive(value):
            value = timezone.make_aware(value)
        return value, False
    if isinstance(value, date):
        return timezone.make_aware(datetime.combine(value, time.min)), True
    raise ValidationError({field: [_("Give a date or a date-time.")]})


def end_of_day(day_start: datetime) -> datetime:
    """The first moment of the next local day: a block "until 31.12." blocks all that day."""
    try:
        local = timezone.localtime(day_start).date() + timedelta(days=1)
    except OverflowError:
        raise ValidationError({"until": [_("The end lies too far in the future.")]}) from None
    return timezone.make_aware(datetime.combine(local, time.min))


def compute_end(duration, starts_at, until=None):
    """The end of a block of ``duration`` that starts at ``starts_at`` (None: indefinite)."""
    if duration in STEPS:
        # Aware local datetimes add in wall-clock time; the offset follows the new date.
        return timezone.localtime(starts_at) + STEPS[duration]
    if duration == Duration.UNTIL:
        if until in (None, ""):
            raise ValidationError({"until": [_("Give the date the block ends with.")]})
        moment, is_date = parse_moment(until, "until")
        return end_of_day(moment) if is_date else moment
    return None


def _block_summary(block):
    values = {"reason": block.reason.label, "staff": block.staff.username}
    if block.ends_at is None:
        return _("Blocked indefinitely (%(reason)s) by %(staff)s") % values
    return _("Blocked until %(until)s (%(reason)s) by %(staff)s") % {
        **values,
        "until": format_moment(block.ends_at),
    }


@transaction.atomic
def block_customer(
    customer, actor, *, reason, duration, note="", staff=None, until=None, now=None
) -> Block:
    """Block ``customer`` from now for ``duration`` ("5d", "14d", "1m", "until", "indefinite").

    ``staff`` names the staff member by username (default: the acting user). An indefinite
    block needs a message in ``note``. Raises ValidationError({field: [message]})."""
    now = now or timezone.now()
    note = (note or "").strip()
    if customer.status == CustomerStatus.DELETED:
        raise CustomerDeleted(_("Customer %(number)s is deleted.") % {"number": customer.number})
    errors = {}
    found = {}
    for field, get in [
        ("reason", lambda: reason_for(reason)),
        ("staff", lambda: staff_member(staff, actor)),
        ("ends_at", lambda: _checked_end(duration, now, until, note)),
    ]:
        try:
            found[field] = get()
        except ValidationError as error:
            errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    block = Block.objects.create(
        customer=customer,
        reason=found["reason"],
        staff=found["staff"],
        note=note,
        starts_at=now,
        ends_at=found["ends_at"],
    )
    record(
        customer,
        actor,
        "block.created",
        _block_summary(block),
        after=_facts(block, duration=duration),
        internal=True,
        at=now,
    )
    return block


def _checked_end(duration, now, until, note):
    if duration not in Duration.values:
        raise ValidationError(
            {
                "duration": [
                    _("Unknown duration '%(value)s'; use one of: %(known)s.")
                    % {"value": duration, "known": ", ".join(Duration.values)}
                ]
            }
        )
    if duration != Duration.UNTIL and until not in (None, ""):
        raise ValidationError({"until": [_("'until' belongs to the duration 'until' only.")]})
    if duration == Duration.INDEFINITE and not note:
        raise ValidationError(
            {"note": [_("A block without end needs a message: why is the customer blocked?")]}
        )
    ends_at = compute_end(duration, now, until)
    if ends_at is not None and ends_at <= now:
        raise ValidationError(
            {"until": [_("The end %(at)s lies in the past.") % {"at": _as_given(until, ends_at)}]}
        )
    return ends_at


def _as_given(until, ends_at):
    """The end as the user wrote it: a day stays that day (a block "through 01.01." ends at
    the start of 02.01., but the message names the day they typed)."""
    day = until if isinstance(until, date) and not isinstance(until, datetime) else None
    if isinstance(until, str) and len(until.strip()) == 10:
        day = parse_date(until.strip())
    if day is not None:
        return date_format(day, "SHORT_DATE_FORMAT")
    return format_moment(ends_at)


def _facts(block, **extra):
    return {
        "block": block.pk,
        "reason": block.reason.code,
        "staff": block.staff.username,
        "since": block.starts_at,
        "until": block.ends_at,
        "note": block.note,
        **extra,
    }


def lift_block(block: Block, actor, *, reason, staff=None, now=None) -> Block:
    """Unblock ("entsperren"): always with the staff member and a reason text."""
    now = now or timezone.now()
    reason = (reason or "").strip()
    errors = {}
    if not reason:
        errors["reason"] = [_("Say why the block is lifted.")]
    try:
        staff_user = staff_member(staff, actor)
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    return transition(
        block,
        S.LIFTED,
        actor,
        now=now,
        summary=_("Block lifted by %(staff)s: %(reason)s")
        % {
            "staff": staff_user.username,
            "reason": reason,
        },
        values={"lifted_at": now, "lifted_by": staff_user, "lift_reason": reason},
        details={"staff": staff_user.username, "reason": reason},
    )


def expire_block(block, now):
    return transition(
        block,
        S.EXPIRED,
        None,
        now=now,
        summary=_("Block expired (%(reason)s, since %(since)s)")
        % {"reason": block.reason.label, "since": format_moment(block.starts_at)},
        values={"expiry_logged_at": now},
        details={"ended_at": block.ends_at},
    )


def expire_due_blocks(now):
    """The tick: write each timed block's end into its customer's log, once, by the system."""
    due = Block.objects.filter(status=S.ACTIVE, ends_at__lte=now).select_related(
        "customer", "reason"
    )
    done, last = 0, 0
    while batch := list(due.filter(pk__gt=last).order_by("pk")[:500]):
        for block in batch:
            last = block.pk
            try:
                expire_block(block, now)
            except BlockTransitionNotAllowed:
                continue  # lifted or logged by someone else in the meantime
            done += 1
    return f"blocks: {done} expiry(ies) logged" if done else None


# --- the reason list (settings) ----------------------------------------------------------


def add_reason(code, label) -> BlockReason:
    """A new reason; its code is fixed from now on (the API and imports use it)."""
    code, label = (code or "").strip().lower(), (label or "").strip()
    errors = {}
    if not code or not all(c.isascii() and (c.isalnum() or c in "_-") for c in code):
        errors["code"] = [_("The code consists of letters, digits, '_' and '-'.")]
    elif BlockReason.objects.filter(code=code).exists():
        errors["code"] = [_("The code '%(code)s' exists already.") % {"code": code}]
    if not label:
        errors["label"] = [_("Give the reason a label.")]
    if errors:
        raise ValidationError(errors)
    return BlockReason.objects.create(code=code, label=label[:100])


def update_reason(reason: BlockReason, label, active: bool) -> BlockReason:
    """Rename or (de)activate a reason; existing blocks keep it, new blocks cannot use it."""
    label = (label or "").strip()
    if not label:
        raise ValidationError({"label": [_("Give the reason a label.")]})
    reason.label, reason.active = label[:100], bool(active)
    reason.save(update_fields=["label", "active"])
    return reason
