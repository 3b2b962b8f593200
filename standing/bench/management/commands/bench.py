"""``standing bench``: generate a realistic amount of data, and measure what staff wait for.

- ``standing bench generate --customers N [--seed S] [--entries M]``: customers, orders,
  installment plans, claims in every state, blocks and the deny list, set-based
  (``standing.bench.generate``);
- ``standing bench run``: the figures of issue 15 with their floors and targets, written to
  ``bench/results/`` and ``docs/benchmarks.md`` (``standing.bench.runner``);
- ``standing bench docs``: rewrite ``docs/benchmarks.md`` from ``bench/results/``;
- ``standing bench [--customers N]``: the customer list and its searches (synthetic ``B-…``
  customers, loaded until there are N); ``--only NAME`` runs a benchmark another app registered
  with ``standing.core.bench.BENCHES`` (its figures go to ``var/bench/results.json``).

Run it against a scratch database. Nothing here asserts a time.
"""

import json
import random
from datetime import date, timedelta
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.core.paginator import Paginator
from django.db import connection, transaction
from django.utils import timezone

from standing.bench import generate, runner
from standing.core.bench import BENCHES
from standing.core.measure import measure
from standing.core.pagination import EstimatingPaginator
from standing.customers.management.commands.demo import FIRST, LAST
from standing.customers.models import Customer, CustomerStatus
from standing.customers.normalize import search_key
from standing.customers.search import customer_list
from standing.customers.standing import filter_blocked


class Command(BaseCommand):
    help = (
        "Benchmarks: generate --customers N [--seed S]; run (results in bench/results/); docs; "
        "or, without an action, the customer list and search (--only NAME: another app's)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "action", nargs="?", choices=["generate", "run", "docs"], help="see above"
        )
        parser.add_argument("--customers", type=int, help="generate: 1,000,000; list: 100,000")
        parser.add_argument("--seed", type=int, default=1, help="generate: the random seed")
        parser.add_argument(
            "--entries", type=int, help="generate: deny-list entries (default: --customers)"
        )
        parser.add_argument("--processes", type=int, help="generate: worker processes")
        parser.add_argument("--repeat", type=int, default=20)
        parser.add_argument(
            "-o", "--output", default=str(settings.VAR_DIR / "bench" / "results.json")
        )
        parser.add_argument(
            "--only",
            choices=sorted(BENCHES.ordered_keys()),
            help="run only this benchmark of another app (default: the customer list)",
        )
        parser.add_argument("--orders", type=int, default=1_000_000, help="--only claims")
        parser.add_argument("--due", type=int, default=100_000, help="--only claims")
        parser.add_argument("--letters", type=int, default=10_000, help="--only claims")
        run = parser.add_argument_group("run")
        run.add_argument("--denylist-rows", type=int, default=1_000_000)
        run.add_argument("--import-repeat", type=int, default=3)
        run.add_argument("--probes", type=int, default=100, help="registrations measured")
        run.add_argument("--http-seconds", type=float, default=5.0, help="per round and page")
        run.add_argument("--rounds", type=int, default=3)
        run.add_argument("--clients", type=int, default=8)
        run.add_argument(
            "--skip", action="append", choices=["import", "registration", "http"], default=[]
        )
        run.add_argument(
            "--with",
            action="append",
            dest="with_",
            default=[],
            choices=sorted(BENCHES.ordered_keys()),
            help="also run this registered benchmark and keep its figures in the results",
        )
        run.add_argument("--results-dir", default=str(runner.RESULTS))
        run.add_argument("--no-docs", action="store_true", help="leave docs/benchmarks.md")

    def handle(self, action=None, **options):
        if action == "generate":
            figures = generate.generate(
                options["customers"] or 1_000_000,
                seed=options["seed"],
                entries=options["entries"],
                processes=options["processes"],
                stdout=self.stdout,
                stderr=self.stderr,
            )
            self.stdout.write(json.dumps(figures))
            return
        if action == "run":
            runner.run(
                {
                    **options,
                    "with": options["with_"],
                    "docs": not options["no_docs"],
                    "command": self,
                },
                out=self.stdout,
            )
            return
        if action == "docs":
            runner.write_docs(Path(options["results_dir"]), runner.DOCS)
            self.stdout.write(f"{runner.DOCS} rewritten")
            return
        self.customer_list(options["customers"] or 100_000, options["repeat"], options)

    def customer_list(self, customers, repeat, options):
        output = options["output"]
        if options.get("only"):
            name = options["only"]
            figures = BENCHES.get(name)(self, {"repeat": repeat, "customers": customers, **options})
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
        """{name: {p50_ms, p95_ms}} of each callable (``core.measure``);
        other apps' benchmarks call it through the command they are given."""
        results = {}
        for name, fn in cases.items():
            timed = measure(fn, repeat=repeat, warmup=1)
            results[name] = {
                "p50_ms": round(timed["median"], 2),
                "p95_ms": round(timed["p95"], 2),
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
            self.stdout.write(f"loaded {created} synthetic list customers")
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
        path = Path(output)
        path.parent.mkdir(parents=True, exist_ok=True)
        existing = json.loads(path.read_text()) if path.exists() else {}
        existing[f"{key}/{connection.vendor}"] = {
            **data,
            "measured_at": timezone.now().isoformat(),
        }
        path.write_text(json.dumps(existing, indent=2, ensure_ascii=False))
        self.stdout.write(f"results written to {path}")
