"""``standing bench``: measure what staff wait for, on a realistic amount of data.

Run it against a scratch database (``DATABASE_URL=… standing bench``): it bulk-loads
synthetic customers (numbers ``B-…``) until there are ``--customers`` of them, then times the
customer list and its searches. Figures go to ``var/bench/results.json``; nothing here asserts
a time: the numbers are for people to compare between commits and databases.
"""

import json
import random
import statistics
import time
from datetime import date, timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.core.paginator import Paginator
from django.db import connection, transaction
from django.utils import timezone

from standing.core.bench import BENCHES
from standing.core.pagination import EstimatingPaginator
from standing.customers.management.commands.demo import FIRST, LAST
from standing.customers.models import Customer, CustomerStatus
from standing.customers.normalize import search_key
from standing.customers.search import customer_list
from standing.customers.standing import filter_blocked


class Command(BaseCommand):
    help = "Benchmark the customer list and search; results in var/bench/results.json."

    def add_arguments(self, parser):
        parser.add_argument("--customers", type=int, default=100_000)
        parser.add_argument("--repeat", type=int, default=20)
        parser.add_argument(
            "-o", "--output", default=str(settings.VAR_DIR / "bench" / "results.json")
        )
        parser.add_argument(
            "--only",
            choices=sorted(BENCHES),
            help="run only this benchmark of another app (default: the customer list)",
        )
        parser.add_argument("--orders", type=int, default=1_000_000, help="--only claims")
        parser.add_argument("--due", type=int, default=100_000, help="--only claims")
        parser.add_argument("--letters", type=int, default=10_000, help="--only claims")

    def handle(self, customers, repeat, output, **options):
        if options.get("only"):
            name = options["only"]
            figures = BENCHES[name](self, {"repeat": repeat, "customers": customers, **options})
            self.write(output, figures, key=name)
            return
        loaded = self.load(customers)
        sample = Customer.objects.filter(number__startswith="B-").order_by("?").first()
        qs = Customer.objects.all()
        cases = {
            "list page 1": lambda: list(EstimatingPaginator(customer_list(qs), 25).get_page(1)),
            "list count": lambda: Paginator(customer_list(qs), 25).count,
            "filter status=denied page 1": lambda: list(
                Paginator(customer_list(qs, status=CustomerStatus.DENIED), 25).get_page(1)
            ),
            "filter blocked page 1": lambda: list(
                Paginator(filter_blocked(qs, True), 25).get_page(1)
            ),
            "search number": lambda: list(customer_list(qs, q=sample.number)[:25]),
            "search email prefix": lambda: list(customer_list(qs, q=sample.email[:8])[:25]),
            "search last name": lambda: list(customer_list(qs, q=sample.last_name)[:25]),
            "search first + last name": lambda: list(
                customer_list(qs, q=f"{sample.first_name} {sample.last_name}")[:25]
            ),
            "search phone": lambda: list(customer_list(qs, q=sample.phone)[:25]),
            "search no hit": lambda: list(customer_list(qs, q="Zzyzxwq")[:25]),
        }
        results = self.measure(cases, repeat)
        self.write(
            output, {"customers": Customer.objects.count(), "loaded_now": loaded, "cases": results}
        )

    def measure(self, cases, repeat):
        """{name: {p50_ms, p95_ms}} of each callable, run ``repeat`` times after a warm-up."""
        results = {}
        for name, fn in cases.items():
            fn()  # warm caches
            timings = []
            for _ in range(repeat):
                start = time.perf_counter()
                fn()
                timings.append((time.perf_counter() - start) * 1000)
            timings.sort()
            results[name] = {
                "p50_ms": round(statistics.median(timings), 2),
                "p95_ms": round(timings[int(len(timings) * 0.95) - 1], 2),
            }
            self.stdout.write(
                f"{name:<30} p50 {results[name]['p50_ms']:>8} ms  "
                f"p95 {results[name]['p95_ms']:>8} ms"
            )
        return results

    def load(self, target):
        have = Customer.objects.filter(number__startswith="B-").count()
        rng = random.Random(have)
        batch, created = [], 0
        start = time.perf_counter()
        for i in range(have + 1, target + 1):
            first, last = rng.choice(FIRST), rng.choice(LAST) + str(rng.randrange(1000))
            batch.append(
                Customer(
                    number=f"B-{i:08d}",
                    first_name=first,
                    last_name=last,
                    birth_date=date(1950, 1, 1) + timedelta(days=rng.randrange(20000)),
                    email=f"b{i}@bench.example",
                    email_key=f"b{i}@bench.example",
                    phone=f"+4917{rng.randrange(10**8, 10**9)}",
                    status=rng.choice(CustomerStatus.values[:4]),
                    search_name=search_key(f"{last} {first}"),
                    first_key=search_key(first),
                )
            )
            if len(batch) == 10_000:
                created += self.flush(batch)
        created += self.flush(batch)
        if created:
            self.stdout.write(f"loaded {created} customers in {time.perf_counter() - start:.1f} s")
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE customers_customer")
        return created

    @staticmethod
    def flush(batch):
        with transaction.atomic():
            Customer.objects.bulk_create(batch)
        n = len(batch)
        batch.clear()
        return n

    def write(self, output, data, key="customers"):
        from pathlib import Path

        path = Path(output)
        path.parent.mkdir(parents=True, exist_ok=True)
        existing = json.loads(path.read_text()) if path.exists() else {}
        existing[f"{key}/{connection.vendor}"] = {
            **data,
            "measured_at": timezone.now().isoformat(),
        }
        path.write_text(json.dumps(existing, indent=2, ensure_ascii=False))
        self.stdout.write(f"results written to {path}")
