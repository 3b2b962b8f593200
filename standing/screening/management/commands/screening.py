"""``standing screening bench [--entries N]`` · ``standing screening reindex``.

The benchmark loads N synthetic deny-list entries (``source="bench"``, bulk-created in chunks,
reused by the next run) into the configured database and measures the screening latency of
probe customers: the deny-list matching alone, and a whole registration (customer, login,
credit check, matching, status) inside a transaction that is rolled back.
"""

import json
import random
import statistics
import time
from datetime import date, timedelta
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection, transaction

from standing.accounts.scoping import SYSTEM
from standing.customers.management.commands.demo import CITIES, FIRST, LAST, STREETS
from standing.customers.models import Customer
from standing.screening import keys, services
from standing.screening.matching import match_customer, refresh_customer_keys
from standing.screening.models import DenyEntry

CHUNK = 5000
DAYS = (date(2006, 1, 1) - date(1940, 1, 1)).days


class Rollback(Exception):
    pass


def synthetic(rng, n):
    first, last = rng.choice(FIRST), rng.choice(LAST)
    # Syllables make the names varied, as on a real list (not 90 surnames for a million rows).
    last = last + rng.choice(["", "", "", "-" + rng.choice(LAST), rng.choice(["er", "mann", "s"])])
    postal, city = rng.choice(CITIES)
    entry = DenyEntry(
        first_name=first,
        last_name=last,
        birth_date=date(1940, 1, 1) + timedelta(days=rng.randrange(DAYS)),
        email=f"{keys.compact(first)}.{keys.compact(last)}{n}@example.org",
        phone=f"+4917{n:08d}",
        street=f"{rng.choice(STREETS)} {rng.randrange(1, 200)}",
        postal_code=postal,
        city=city,
        country="DE",
        document_number=f"B{n:08d}",
        source="bench",
        added_by_label="bench",
    )
    entry.name_key = keys.name_key(entry.first_name, entry.last_name)
    entry.email_key = keys.email_key(entry.email)
    entry.phone_key = entry.phone  # already E.164 by construction
    entry.address_key = keys.address_key(entry.street, entry.postal_code, entry.country)
    entry.document_key = entry.document_number
    return entry


def typo(rng, text):
    i = rng.randrange(1, len(text))
    return text[:i] + text[i + 1 :] if rng.random() < 0.5 else text[:i] + "x" + text[i:]


def percentiles(values):
    ordered = sorted(values)
    pick = lambda p: ordered[min(len(ordered) - 1, int(p * len(ordered)))]  # noqa: E731
    return {
        "p50": round(statistics.median(ordered), 3),
        "p95": round(pick(0.95), 3),
        "max": round(ordered[-1], 3),
        "n": len(ordered),
    }


class Command(BaseCommand):
    help = "Screening tools: bench [--entries N] [--probes M], reindex."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        bench = sub.add_parser("bench", help="measure screening latency against N entries")
        bench.add_argument("--entries", type=int, default=100_000)
        bench.add_argument("--probes", type=int, default=300)
        bench.add_argument("--output", default=str(settings.VAR_DIR / "bench" / "screening.json"))
        sub.add_parser("reindex", help="rebuild the customers' matching keys")

    def handle(self, action, **options):
        getattr(self, f"do_{action}")(**options)

    def do_reindex(self, **_):
        count = 0
        for customer in Customer.objects.iterator(chunk_size=2000):
            refresh_customer_keys(customer)
            count += 1
        self.stdout.write(f"Keys of {count} customers rebuilt.")

    def load(self, wanted):
        rng = random.Random(20261123)
        have = DenyEntry.objects.filter(source="bench").count()
        started = time.perf_counter()
        for start in range(have, wanted, CHUNK):
            batch = [synthetic(rng, n) for n in range(start, min(wanted, start + CHUNK))]
            with transaction.atomic():
                DenyEntry.objects.bulk_create(batch, batch_size=1000)
            if (start // CHUNK) % 20 == 0:
                self.stderr.write(f"  {start + len(batch):,} entries loaded")
        # Fresh statistics, as the database's autovacuum would have them in production.
        with connection.cursor() as cursor:
            cursor.execute(
                "ANALYZE screening_denyentry" if connection.vendor == "postgresql" else "ANALYZE"
            )
        return have, round(time.perf_counter() - started, 1)

    def probes(self, count):
        """Half copies of random entries with a typo or swapped names (hits), half strangers."""
        rng = random.Random(7)
        ids = list(DenyEntry.objects.filter(source="bench").values_list("id", flat=True)[:50000])
        people = []
        for i in range(count):
            if i % 2 == 0 and ids:
                e = DenyEntry.objects.get(pk=rng.choice(ids))
                first, last = (
                    (e.last_name, e.first_name)
                    if i % 4 == 0
                    else (e.first_name, typo(rng, e.last_name))
                )
                birth = e.birth_date
                email = f"someone{i}@example.net"
            else:
                first, last = rng.choice(FIRST), rng.choice(LAST) + "berg"
                birth = date(1940, 1, 1) + timedelta(days=rng.randrange(DAYS))
                email = f"stranger{i}@example.net"
            postal, city = rng.choice(CITIES)
            people.append(
                {
                    "first_name": first,
                    "last_name": last,
                    "birth_date": birth,
                    "email": email,
                    "phone": f"+49 30 {rng.randrange(1000000, 9999999)}",
                    "street": f"Probeweg {i + 1}",
                    "postal_code": postal,
                    "city": city,
                    "country": "DE",
                }
            )
        return people

    def do_bench(self, entries, probes, output, **_):
        self.stderr.write(f"Loading {entries:,} synthetic entries into {connection.vendor} …")
        had, load_seconds = self.load(entries)
        total = DenyEntry.objects.count()
        people = self.probes(probes)
        match_ms, hits = [], 0
        for person in people:
            started = time.perf_counter()
            found = match_customer(Customer(**person))
            match_ms.append((time.perf_counter() - started) * 1000)
            hits += bool(found)
        register_ms = []
        for person in people[: min(100, len(people))]:
            try:
                with transaction.atomic():
                    started = time.perf_counter()
                    services.register(SYSTEM, dict(person))
                    register_ms.append((time.perf_counter() - started) * 1000)
                    raise Rollback
            except Rollback:
                pass
        figures = {
            "database": connection.vendor,
            "deny_list_entries": total,
            "loaded_now": DenyEntry.objects.filter(source="bench").count() - had,
            "load_seconds": load_seconds,
            "probes": len(people),
            "probes_with_hits": hits,
            "match_ms": percentiles(match_ms),
            "registration_ms": percentiles(register_ms),
            "credit_provider": settings.SCREENING_CREDIT_PROVIDER,
        }
        Path(output).parent.mkdir(parents=True, exist_ok=True)
        Path(output).write_text(json.dumps(figures, indent=2) + "\n")
        self.stdout.write(json.dumps(figures, indent=2))
