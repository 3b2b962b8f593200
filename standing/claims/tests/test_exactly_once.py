"""Exactly once: two runs at once (two threads with their own connections, and two
processes), and a run killed with SIGKILL and started again, never make a letter twice.

They run on PostgreSQL and on SQLite's file-based test database."""

import os
import random
import signal
import subprocess
import sys
import threading
import time
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.db.models import Count

from standing.claims import run as dunning
from standing.claims.models import Claim, ClaimEntry, ClaimStatus, EntryKind, Letter

D0 = date(2026, 1, 31)
RUN_DAY = date(2026, 2, 10)


@pytest.fixture(autouse=True)
def _shared_database(transactional_db):
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("needs PostgreSQL or a file-based SQLite test database")


@pytest.fixture
def due_claims(collection, make_order, event, customer_factory, vendor1):
    def make(n):
        collection(first_letter_after_days=0, auto_handover=True)
        customers = [customer_factory(vendor=vendor1) for _ in range(n)]
        for customer in customers:
            order = make_order(customer=customer, count=2)
            event(order, "payment_failed", D0, installment=1)
        assert Claim.objects.filter(dunning_started_on=D0).count() == n
        return n

    return make


def assert_once(n):
    per_claim = Letter.objects.values("claim", "level").annotate(n=Count("id"))
    assert all(row["n"] == 1 for row in per_claim)
    assert Letter.objects.filter(level=1).count() == n
    assert Claim.objects.filter(status=ClaimStatus.DUNNING_1).count() == n
    interest = ClaimEntry.objects.filter(kind=EntryKind.INTEREST, level=1)
    assert interest.count() == n


def test_two_runs_at_once_in_threads(due_claims):
    n = due_claims(40)
    barrier = threading.Barrier(2)
    outcomes, errors = [], []

    def go():
        try:
            barrier.wait()
            outcomes.append(dunning.run(RUN_DAY))
        except Exception as error:  # collected and asserted below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=go) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert errors == []
    assert sum(o.summary["letters_1"] for o in outcomes) == n
    assert_once(n)


def _database_url():
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    host, port = db.get("HOST") or "127.0.0.1", db.get("PORT") or 5432
    return f"postgres://{db['USER']}@{host}:{port}/{db['NAME']}"


def _command(day):
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        # Tasks are only enqueued (database backend): the test is about the run itself.
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
    }
    standing = Path(sys.executable).with_name("standing")
    return [str(standing), "dunning", "run", "--date", day.isoformat()], env


def test_two_runs_at_once_in_processes(due_claims):
    n = due_claims(60)
    args, env = _command(RUN_DAY)
    procs = [subprocess.Popen(args, env=env, stdout=subprocess.PIPE, text=True) for _ in range(2)]
    outputs = [p.communicate(timeout=180)[0] for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outputs
    assert_once(n)


def _started_runs():
    from standing.claims.models import DunningRun

    return DunningRun.objects.filter(finished_at__isnull=True).count()


def test_a_killed_run_started_again_sends_each_letter_once(due_claims):
    n = due_claims(150)
    args, env = _command(RUN_DAY)
    rng = random.Random(12)
    kills = 0
    for _attempt in range(3):
        before = _started_runs()
        proc = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL)
        deadline = time.monotonic() + 30
        # Killed while the run is under way: after its run record exists, at a random moment.
        while _started_runs() == before and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.01)
        time.sleep(rng.uniform(0, 0.4))
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            kills += 1
        proc.wait(60)
    assert kills >= 1
    final = subprocess.run(args, env=env, capture_output=True, text=True, timeout=180)
    assert final.returncode == 0, final.stderr
    assert_once(n)
    # Whatever the kills hit, no claim is half-moved: each in dunning_1 has its letter.
    assert not Claim.objects.filter(status=ClaimStatus.DUNNING_1, letters__isnull=True).exists()
