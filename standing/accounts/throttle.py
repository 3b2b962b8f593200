"""Login throttling per account name and per client address.

After ``LOGIN_FREE_FAILURES`` failures in a row, each further failure makes the caller wait
longer (1 s, 2 s, 4 s … up to ``LOGIN_MAX_DELAY``) before the next attempt is even checked;
after ``LOGIN_LOCK_AFTER`` failures of an account name (``LOGIN_ADDRESS_LOCK_AFTER`` of an
address, which many people may share) it is locked for ``LOGIN_LOCK_MINUTES``, and each
further failure locks it again. Quiet ``LOGIN_LOCK_MINUTES`` after the last delay or lock
forget the failures; a successful login forgets the account's.

Counters are kept per submitted name, existing or not, and the refusal reads the same for
both, so the throttle does not tell whether an account exists. Every failure and every
refused attempt is logged (logger ``standing.security``). Counters live in the database, so
they hold across processes and restarts.
"""

import logging
import math
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import LoginThrottle

log = logging.getLogger("standing.security")


def keys(username, address):
    return [f"user:{(username or '').strip().lower()[:150]}", f"ip:{address or 'unknown'}"]


def wait_seconds(username, address, now=None) -> int:
    """Seconds until an attempt for ``username`` from ``address`` is checked again (0: now)."""
    now = now or timezone.now()
    until = (
        LoginThrottle.objects.filter(key__in=keys(username, address), blocked_until__gt=now)
        .order_by("-blocked_until")
        .values_list("blocked_until", flat=True)
        .first()
    )
    return math.ceil((until - now).total_seconds()) if until else 0


def _delay(failures, lock_after):
    if failures >= lock_after:
        return timedelta(minutes=settings.LOGIN_LOCK_MINUTES)
    extra = failures - settings.LOGIN_FREE_FAILURES
    if extra <= 0:
        return timedelta(0)
    return timedelta(seconds=min(2 ** (extra - 1), settings.LOGIN_MAX_DELAY))


def failed(username, address, now=None):
    """Count a failed login against the account name and the address."""
    now = now or timezone.now()
    forget = timedelta(minutes=settings.LOGIN_LOCK_MINUTES)
    for key in keys(username, address):
        lock_after = (
            settings.LOGIN_LOCK_AFTER
            if key.startswith("user:")
            else settings.LOGIN_ADDRESS_LOCK_AFTER
        )
        with transaction.atomic():
            row = _locked_row(key, now)
            # Forgotten after a quiet LOGIN_LOCK_MINUTES past the end of the last delay or
            # lock; a failure right after a lock locks again at once.
            if row.blocked_until < now - forget:
                row.failures = 0
            row.failures += 1
            row.last_failure_at = now
            row.blocked_until = now + _delay(row.failures, lock_after)
            row.save()
        if row.failures >= lock_after:
            log.warning("login locked: %s after %d failures", key, row.failures)
    log.warning("login failed: user %r from %s", username, address)


def _locked_row(key, now):
    row = LoginThrottle.objects.select_for_update().filter(key=key).first()
    if row is not None:
        return row
    try:
        with transaction.atomic():
            return LoginThrottle.objects.create(
                key=key, failures=0, last_failure_at=now, blocked_until=now
            )
    except IntegrityError:  # created by a concurrent failure a moment ago
        return LoginThrottle.objects.select_for_update().get(key=key)


def refused(username, address, seconds):
    log.warning("login refused (throttled %ds): user %r from %s", seconds, username, address)


def succeeded(username):
    """A successful login forgets the account's failures (not the address's)."""
    LoginThrottle.objects.filter(key=keys(username, "")[0]).delete()
