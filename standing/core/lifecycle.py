"""One lifecycle engine: every status of the product changes here, and only here.

A lifecycle is declared as data::

    CLAIMS = Lifecycle(
        "claim",
        Claim,
        {("open", "first_letter"): "first_letter", ...},   # (from, to) -> activity action
        guards={"first_letter": lambda claim, actor: None if claim.amount else _("Nothing owed.")},
    )

``transition()`` checks the table and the guards, moves the row with a conditional
``UPDATE ... WHERE pk = … AND status = old`` (so of two concurrent requests only one wins) and
writes, in the same transaction, the activity record on the object's customer and a
``core.StateTransition`` row (who, when, from, to, reason). It tells the two refusals apart:
``TransitionNotAllowed`` (the table or a guard says no) and ``ChangedMeanwhile`` (someone else
moved the object first; reload). Both are ``DomainError`` (HTTP 409).

``transition_bulk()`` moves a whole queryset set-based (the dunning run over 100,000 claims):
rows are locked and moved in chunks, only rows still in ``frm`` move, and only they get a
transition row and an activity record.

``allowed()`` answers "which target states are reachable now" for buttons, API preconditions and
boards, from the same table and guards that ``transition()`` enforces.
"""

from collections.abc import Callable, Iterable

from django.db import connections, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from standing.activity.services import build_record

from .errors import DomainError

# Rows locked and moved per statement by transition_bulk (bounded memory, bounded parameters).
BULK_CHUNK = 2000


class LifecycleError(DomainError):
    """A refused transition: the object, the state it was seen in and the one asked for."""

    def __init__(self, message, *, obj=None, frm=None, to=None):
        self.obj, self.frm, self.to = obj, frm, to
        super().__init__(message)


class TransitionNotAllowed(LifecycleError):
    """The lifecycle's table or one of its guards does not allow this transition now."""


class ChangedMeanwhile(LifecycleError):
    """The object left the state the request saw: someone else changed it first. An app may
    derive its own from this and its TransitionNotAllowed (callers catching the latter keep
    working; ``isinstance(error, ChangedMeanwhile)`` tells the race apart)."""


def _attr_path(obj, path):
    for part in path.split("__"):
        if obj is None:
            return None
        obj = getattr(obj, part)
    return obj


class Lifecycle:
    """A state machine over ``model.<field>``.

    - ``transitions``: ``{(from, to): action}``; ``action`` names the activity record
      (written as ``"<action_prefix>.<action>"``).
    - ``guards``: ``{(from, to) or to: callable(obj, actor) -> str | None}``; ``None`` allows,
      a string is the reason shown to the person who asked.
    - ``record``: write an activity record on the object's customer (``customer`` is the
      attribute path to it, ``"self"`` for the customer itself, ``None`` for objects without one).
    - ``internal``: the activity record is for staff only.
    - ``describe``: ``callable(obj) -> str`` naming the object in messages ("Order A-1").
    - ``refusal``: ``callable(obj, frm, to) -> str`` for "not allowed from this state".
    - ``summary``: ``callable(obj, frm, to) -> str`` for the activity record's summary.
    - ``not_allowed`` / ``changed``: the app's own subclasses of ``TransitionNotAllowed`` and
      ``ChangedMeanwhile`` (constructed with the message and ``obj=, frm=, to=``), so callers
      may keep catching the app's name for the refusal.
    """

    def __init__(
        self,
        name: str,
        model,
        transitions: dict,
        *,
        field: str = "status",
        guards: dict | None = None,
        record: bool = True,
        customer: str | None = "customer",
        action_prefix: str | None = None,
        internal: bool = False,
        describe: Callable | None = None,
        refusal: Callable | None = None,
        summary: Callable | None = None,
        not_allowed: type[TransitionNotAllowed] = TransitionNotAllowed,
        changed: type[ChangedMeanwhile] = ChangedMeanwhile,
    ):
        self.name = name
        self.model = model
        self.field = field
        self.transitions = {(str(f), str(t)): a for (f, t), a in transitions.items()}
        self.guards = {
            (tuple(str(s) for s in k) if isinstance(k, tuple) else str(k)): g
            for k, g in (guards or {}).items()
        }
        for key in self.guards:
            if isinstance(key, tuple) and key not in self.transitions:
                raise ValueError(f"{name}: guard for {key} which is not a transition")
        self.record = record and customer is not None
        self.customer = customer
        self.action_prefix = action_prefix or name
        self.internal = internal
        self.describe = describe or (lambda obj: f"{model._meta.verbose_name} {obj.pk}")
        self.refusal = refusal
        self.summary = summary
        self.not_allowed, self.changed = not_allowed, changed
        self.on_enter: dict[str, list[Callable]] = {}

    # --- the table ---------------------------------------------------------------------------
    @property
    def states(self) -> list[str]:
        """Every state the field can hold (its choices, else the states the table names)."""
        choices = self.model._meta.get_field(self.field).choices
        if choices:
            return [str(value) for value, _label in choices]
        return list(dict.fromkeys(s for pair in self.transitions for s in pair))

    def label(self, state) -> str:
        choices = dict(self.model._meta.get_field(self.field).flatchoices)
        return str(choices.get(state, state))

    def action(self, frm, to) -> str | None:
        return self.transitions.get((str(frm), str(to)))

    def state_of(self, obj) -> str:
        return getattr(obj, self.field)

    def refusal_reason(self, obj, to, actor=None, frm=None) -> str | None:
        """Why ``obj`` cannot go to ``to`` now (None: it can)."""
        frm = self.state_of(obj) if frm is None else frm
        if (str(frm), str(to)) not in self.transitions:
            if self.refusal:
                return str(self.refusal(obj, frm, to))
            return str(
                _("%(object)s is %(state)s and cannot become %(to)s.")
                % {"object": self.describe(obj), "state": self.label(frm), "to": self.label(to)}
            )
        for key in ((str(frm), str(to)), str(to)):
            guard = self.guards.get(key)
            if guard is not None and (reason := guard(obj, actor)):
                return str(reason)
        return None

    def allowed(self, obj, actor=None) -> list[str]:
        """The target states ``obj`` can reach now: the table, then the guards."""
        frm = str(self.state_of(obj))
        return [
            to
            for (f, to) in self.transitions
            if f == frm and self.refusal_reason(obj, to, actor, frm=frm) is None
        ]

    def can(self, obj, to, actor=None) -> bool:
        return self.refusal_reason(obj, to, actor) is None

    def when_entering(self, state, handler):
        """Register ``handler(obj, actor)`` to run inside ``transition()`` after ``obj`` entered
        ``state`` (in the same transaction; use ``transaction.on_commit`` for side effects)."""
        handlers = self.on_enter.setdefault(str(state), [])
        if handler in handlers:
            raise ValueError(f"{self.name}: {handler!r} is registered twice for {state}")
        handlers.append(handler)
        return handler

    # --- moving one object ------------------------------------------------------------------
    def transition(
        self,
        obj,
        to,
        actor,
        *,
        reason="",
        updates=None,
        summary=None,
        details=None,
        before=None,
        internal=None,
        condition=None,
        at=None,
        run_handlers=True,
    ):
        """Move ``obj`` to ``to`` (with ``updates`` to other fields in the same UPDATE).

        ``summary``/``details``/``before``/``internal`` shape the activity record; ``reason``
        goes into it and into the transition row. ``condition`` (a Q) joins the conditional
        UPDATE, for rules the database must check at the same moment (a block that has not
        ended yet); when it fails, the transition is not allowed. ``at`` dates the records
        (default: now)."""
        to = str(to)
        frm = str(self.state_of(obj))
        if why := self.refusal_reason(obj, to, actor, frm=frm):
            raise self.not_allowed(why, obj=obj, frm=frm, to=to)
        updates = dict(updates or {})
        with transaction.atomic():
            rows = self.model._default_manager.filter(pk=obj.pk, **{self.field: frm})
            if condition is not None:
                rows = rows.filter(condition)
            if rows.update(**{self.field: to}, **updates) != 1:
                self._changed_meanwhile(obj, frm, to, condition)
            setattr(obj, self.field, to)
            for name, value in updates.items():
                if not hasattr(value, "resolve_expression"):
                    setattr(obj, name, value)
            now = at or timezone.now()
            self._transition_rows([(obj.pk, frm)], to, actor, reason, now)
            if self.record:
                build_record(
                    _attr_path(obj, self.customer) if self.customer != "self" else obj,
                    actor,
                    f"{self.action_prefix}.{self.action(frm, to)}",
                    summary or self._summary(obj, frm, to),
                    before={self.field: frm, **(before or {})},
                    after={
                        self.field: to,
                        **({"reason": reason} if reason else {}),
                        **(details or {}),
                    },
                    internal=self.internal if internal is None else internal,
                    at=now,
                ).save()
            if run_handlers:
                for handler in self.on_enter.get(to, []):
                    handler(obj, actor)
        return obj

    def _changed_meanwhile(self, obj, frm, to, condition=None):
        current = (
            self.model._default_manager.filter(pk=obj.pk).values_list(self.field, flat=True).first()
        )
        if current is not None:
            setattr(obj, self.field, current)
        if condition is not None and current == frm:
            raise self.not_allowed(
                _("%(object)s cannot become %(to)s now.")
                % {"object": self.describe(obj), "to": self.label(to)},
                obj=obj,
                frm=frm,
                to=to,
            )
        raise self.changed(
            _("%(object)s was changed meanwhile (now %(state)s). Reload and try again.")
            % {
                "object": self.describe(obj),
                "state": self.label(current) if current is not None else _("deleted"),
            },
            obj=obj,
            frm=frm,
            to=to,
        )

    def _summary(self, obj, frm, to):
        if self.summary:
            return self.summary(obj, frm, to)
        return _("%(object)s: %(frm)s → %(to)s") % {
            "object": self.describe(obj),
            "frm": self.label(frm),
            "to": self.label(to),
        }

    def _transition_rows(self, moved: Iterable, to, actor, reason, at):
        from .models import StateTransition

        user = getattr(actor, "user", None)
        StateTransition.objects.bulk_create(
            [
                StateTransition(
                    lifecycle=self.name,
                    object_type=self.model._meta.label_lower,
                    object_id=str(pk),
                    from_state=frm,
                    to_state=to,
                    actor=user,
                    actor_label=actor.label if actor else "system",
                    at=at,
                    reason=str(reason)[:300],
                )
                for pk, frm in moved
            ],
            batch_size=BULK_CHUNK,
        )

    # --- moving many ------------------------------------------------------------------------
    def transition_bulk(
        self, queryset, frm, to, actor, *, reason="", updates=None, summary=None
    ) -> list:
        """Move every row of ``queryset`` that is (still) in ``frm`` to ``to``; returns the pks
        actually moved. Rows another transaction moved first are skipped: they are neither
        returned nor given a transition row. Guards are not evaluated per row: narrow
        ``queryset`` to the rows the guards would allow."""
        frm, to = str(frm), str(to)
        action = self.action(frm, to)
        if action is None:
            raise self.not_allowed(
                _("%(model)s cannot go from %(frm)s to %(to)s.")
                % {
                    "model": self.model._meta.verbose_name,
                    "frm": self.label(frm),
                    "to": self.label(to),
                },
                frm=frm,
                to=to,
            )
        updates = dict(updates or {})
        candidates = queryset.filter(**{self.field: frm}).order_by("pk")
        moved_all, after = [], None
        customer_path = "pk" if self.customer == "self" else self.customer
        features = connections[candidates.db].features
        lock_of = {"of": ("self",)} if features.has_select_for_update_of else {}
        while True:
            with transaction.atomic():
                chunk = candidates if after is None else candidates.filter(pk__gt=after)
                # Locked before they are moved: on PostgreSQL a row another transaction moved
                # meanwhile is re-checked against ``status = frm`` and skipped; on SQLite the
                # IMMEDIATE transaction already holds the database's write lock.
                fields = ("pk", customer_path) if self.record else ("pk",)
                rows = list(chunk.select_for_update(**lock_of).values_list(*fields)[:BULK_CHUNK])
                if not rows:
                    break
                pks = [row[0] for row in rows]
                count = self.model._default_manager.filter(pk__in=pks, **{self.field: frm}).update(
                    **{self.field: to}, **updates
                )
                if count != len(pks):  # pragma: no cover - the lock makes this impossible
                    raise self.changed(
                        _("Some rows were changed meanwhile. Run it again."), frm=frm, to=to
                    )
                now = timezone.now()
                self._transition_rows([(pk, frm) for pk in pks], to, actor, reason, now)
                if self.record:
                    self._bulk_records(rows, frm, to, actor, reason, summary, now)
                moved_all.extend(pks)
                after = pks[-1]
        return moved_all

    def _bulk_records(self, rows, frm, to, actor, reason, summary, at):
        from standing.activity.models import ActivityRecord

        text = summary or _("%(model)s: %(frm)s → %(to)s") % {
            "model": self.model._meta.verbose_name,
            "frm": self.label(frm),
            "to": self.label(to),
        }
        ActivityRecord.objects.bulk_create(
            [
                build_record(
                    None,
                    actor,
                    f"{self.action_prefix}.{self.action(frm, to)}",
                    text,
                    before={self.field: frm, "object": str(pk)},
                    after={self.field: to, **({"reason": reason} if reason else {})},
                    internal=self.internal,
                    at=at,
                    customer_id=customer_id,
                )
                for pk, customer_id in rows
            ],
            batch_size=BULK_CHUNK,
        )

    # --- reading ----------------------------------------------------------------------------
    def history(self, obj):
        """The object's transitions, oldest first."""
        from .models import StateTransition

        return StateTransition.objects.filter(lifecycle=self.name, object_id=str(obj.pk)).order_by(
            "at", "pk"
        )
