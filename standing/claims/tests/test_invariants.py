"""A hypothesis state machine over payment events, runs, claim payments and people's actions:
whatever happens, dates stay in order, no letter goes out for a claim that is paid, canceled,
blocked, paused or with the agency, no level is skipped, and the amounts are always the
order's payments plus the ledger."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from standing.accounts.scoping import SYSTEM, Actor
from standing.claims import run as dunning
from standing.claims import services
from standing.claims.amounts import amounts_of
from standing.claims.models import Claim, ClaimEntry, ClaimStatus, Letter
from standing.core.errors import DomainError
from standing.orders import events
from standing.orders import services as orders
from standing.orders.models import Installment, ItemKind, PaymentMethod, PlanKind

S = ClaimStatus
START = date(2026, 1, 31)
QUIET = (S.PAID, S.CANCELED, S.BLOCKED, S.SENT_FOR_COLLECTION)


class Dunning(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        self.atomic = transaction.atomic()
        self.atomic.__enter__()
        self.vendor, self.customer, self.vendor_user, self.support = FIXTURES["all"]
        services.change_settings(
            self.vendor,
            SYSTEM,
            enabled=True,
            first_letter_after_days=3,
            second_letter_after_days=7,
            handover_after_days=5,
            fee_first_letter="1.00",
            fee_second_letter="1.50",
        )
        self.day = START
        self.n = 0
        self.order = orders.create_order(
            SYSTEM,
            number=f"H-{id(self)}",
            vendor=self.vendor,
            customer=self.customer,
            amount=Decimal("400.00"),
            payment_method=PaymentMethod.SEPA_DIRECT_DEBIT,
            created_at=self.customer.created_at,
            plan_kind=PlanKind.INSTALLMENTS,
            count=4,
            first_due=START,
            items=[{"kind": ItemKind.SALE, "sku": "S", "name": "S", "price": Decimal("400")}],
        )
        # What the machine saw: (claim id, from, until) of every pause, letters per day.
        self.pauses = []
        self.quiet_since = {}

    @initialize(auto=st.booleans())
    def missed_first_installment(self, auto):
        """Every example starts from a missed first installment; with ``auto`` its dunning
        starts without review and the handover needs no approval."""
        services.change_settings(self.vendor, SYSTEM, auto_handover=auto)
        self._event("payment_failed", installment=1, fee=Decimal("3.00"))

    def teardown(self):
        transaction.set_rollback(True)
        self.atomic.__exit__(None, None, None)

    def _event(self, type, **fields):
        self.n += 1
        try:
            events.deliver(
                self.order,
                SYSTEM,
                events.Event(id=f"h{id(self)}-{self.n}", type=type, date=self.day, **fields),
            )
        except (DomainError, ValidationError):
            return  # a refused event changes nothing

    def _claim(self):
        return (
            Claim.objects.filter(order=self.order)
            .select_related("order", "customer", "vendor")
            .order_by("-pk")
            .first()
        )

    def _try(self, fn, *args, **kwargs):
        try:
            with transaction.atomic():
                fn(*args, **kwargs)
        except (DomainError, ValidationError):
            pass

    def _note_quiet(self):
        """Remember the letters of each claim when it fell quiet: none may follow."""
        for claim in Claim.objects.filter(order=self.order, status__in=QUIET):
            if claim.pk not in self.quiet_since:
                self.quiet_since[claim.pk] = set(claim.letters.values_list("pk", flat=True))

    @rule(days=st.integers(1, 10))
    def run(self, days):
        self.day += timedelta(days=days)
        dunning.run(self.day)
        self._note_quiet()

    @rule()
    def fail_next_due(self):
        due = Installment.objects.filter(
            order=self.order, state="open", due_date__lte=self.day
        ).first()
        if due is not None:
            self._event("payment_failed", installment=due.sequence, fee=Decimal("2.00"))

    @rule(k=st.integers(1, 4))
    def pay_installment(self, k):
        installment = Installment.objects.get(order=self.order, sequence=k)
        if installment.open_amount > 0:
            self._event("payment_received", installment=k, amount=installment.open_amount)
        self._note_quiet()

    @rule(k=st.integers(1, 4))
    def chargeback(self, k):
        self._event("chargeback", installment=k, fee=Decimal("5.00"))

    @rule(cents=st.integers(1, 20000))
    def pay_claim(self, cents):
        claim = self._claim()
        if claim and claim.status not in (S.PAID, S.CANCELED):
            self.n += 1
            self._try(
                services.apply_claim_payment,
                claim,
                Decimal(cents) / 100,
                on=self.day,
                actor=SYSTEM,
                reference=f"pay-{id(self)}-{self.n}",
            )
        self._note_quiet()

    @rule()
    def start(self):
        claim = self._claim()
        if claim:
            self._try(services.start_dunning, claim, Actor.of(self.vendor_user), on=self.day)

    @rule(days=st.integers(1, 20))
    def pause(self, days):
        claim = self._claim()
        if claim:
            before = claim.paused_until
            self._try(
                services.pause,
                claim,
                Actor.of(self.vendor_user),
                until=self.day + timedelta(days=days),
                reason="Stundung",
                on=self.day,
            )
            claim.refresh_from_db()
            if claim.paused_until != before:
                # A new pause replaces the one running: that one ends today.
                self.pauses = [
                    (pk, since, min(until, self.day) if pk == claim.pk else until)
                    for pk, since, until in self.pauses
                ]
                self.pauses.append((claim.pk, self.day, claim.paused_until))

    @rule()
    def block(self):
        claim = self._claim()
        if claim:
            self._try(services.block, claim, Actor.of(self.support), reason="klären")
            self._note_quiet()

    @rule()
    def release(self):
        claim = self._claim()
        if claim and claim.status == S.BLOCKED:
            self._try(services.release, claim, Actor.of(self.support))
            claim.refresh_from_db()
            if claim.status != S.BLOCKED:
                self.quiet_since.pop(claim.pk, None)

    @rule()
    def approve(self):
        claim = self._claim()
        if claim:
            self._try(services.approve, claim, Actor.of(self.vendor_user), on=self.day)
            self._note_quiet()

    @invariant()
    def dates_in_order(self):
        for claim in Claim.objects.filter(order=self.order):
            dates = [d for d in (claim.first_letter_on, claim.second_letter_on, claim.incasso_on)]
            present = [d for d in dates if d]
            assert present == sorted(present)
            assert not (claim.second_letter_on and not claim.first_letter_on)  # no skipped level
            assert not (claim.incasso_on and not claim.second_letter_on)

    @invariant()
    def letters_once_and_never_when_quiet(self):
        for letter in Letter.objects.filter(claim__order=self.order).select_related("claim"):
            claim = letter.claim
            assert letter.on >= claim.overdue_since
            if letter.level == 2:
                first = Letter.objects.get(claim=claim, level=1)
                assert first.on <= letter.on
            if claim.status in QUIET and claim.pk in self.quiet_since:
                assert letter.pk in self.quiet_since[claim.pk]
            # A pause set on a day after that day's run: no letter on the following days.
            for pk, since, until in self.pauses:
                assert not (pk == claim.pk and since < letter.on <= until)
            if claim.incasso_on:
                assert letter.on <= claim.incasso_on

    @invariant()
    def amounts_are_the_order_plus_the_ledger(self):
        order = self.order
        order.refresh_from_db()
        assert order.paid_amount + order.open_amount == order.amount
        for claim in Claim.objects.filter(order=order).select_related("order"):
            owed = amounts_of(claim, self.day)
            ledger = sum((e.amount for e in ClaimEntry.objects.filter(claim=claim)), Decimal("0"))
            assert owed.open_total == owed.principal + order.cancellation_costs + ledger
            assert owed.principal <= order.open_amount
            if claim.status in (S.DUNNING_1, S.DUNNING_2, S.ON_HOLD):
                levels = {S.DUNNING_1: 1, S.DUNNING_2: 2, S.ON_HOLD: 2}[claim.status]
                assert Letter.objects.filter(claim=claim).count() == levels

    @invariant()
    def board_cache_is_the_derived_open_total(self):
        # Every writer of the inputs refreshed the board's cached open amount in its
        # transaction: check-data finds nothing.
        from standing.claims.integrity import open_amount_cache

        assert list(open_amount_cache()) == []


FIXTURES = {}


@pytest.mark.django_db
def test_claim_invariants_hold_under_any_sequence(
    vendor1, customer_factory, vendor1_user, support_user
):
    FIXTURES["all"] = (vendor1, customer_factory(vendor=vendor1), vendor1_user, support_user)
    Dunning.TestCase.settings = settings(
        max_examples=15,
        stateful_step_count=20,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    Dunning.TestCase().runTest()
