"""``standing bench --only claims [--orders N] [--due N] [--letters N]`` (issue 12 §11).

Loads (once, reused by later runs) a bench vendor with ``--orders`` one-time orders of
``--orders / 10`` customers, ``--due`` of them with a failed payment and a claim whose first
letter is due, and 5 % of those customers with a later order of the same product (the
reopened check has work). Then it measures, on the configured database:

- the dunning run's database part (the time its SQL statements take) for the due claims,
  inside a transaction that is rolled back so it can be repeated, against one hand-written
  ``INSERT … SELECT`` of the same letter rows with the reopened anti-join (same transaction
  handling), and the ratio of the two;
- letters rendered as PDF per second, in this one process (one core);
- the merged print file of ``--letters`` letters: time and peak Python memory, beside the same
  for a tenth of them (constant memory: the peaks stay alike).

Figures go to the results file under ``claims/<database>``; nothing asserts a time.
"""

import statistics
import tempfile
import time
import tracemalloc
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone

from standing.customers.models import Customer
from standing.customers.normalize import search_key
from standing.law import services as law
from standing.orders.models import Installment, Order, OrderItem, PaymentMethod, PlanKind
from standing.payments.models import PaymentLink
from standing.vendors.models import Vendor

from . import printfile
from . import run as dunning
from .amounts import refresh_open_amounts
from .letters import batch as letters_batch
from .letters import render_letter
from .models import Claim, ClaimKind, ClaimStatus, CollectionSettings, Letter

VENDOR = "Bench Inkasso GmbH"
AS_OF = date(2026, 6, 1)
DUE = date(2026, 5, 1)
PER_CUSTOMER = 10
CHUNK = 5000


def bench_claims(command, options):
    orders, due, letters = options["orders"], options["due"], options["letters"]
    repeat = max(1, min(options.get("repeat") or 3, 5))
    vendor = _load(command, orders, due)
    figures = {
        "orders": Order.objects.filter(vendor=vendor).count(),
        "due_claims": Claim.objects.filter(vendor=vendor, status=ClaimStatus.OPEN).count(),
    }
    run_db, run_total, moved = [], [], 0
    for _ in range(repeat):
        _vacuum()
        db_time, total, moved = _measure(lambda: dunning.run(AS_OF, vendor=vendor))
        run_db.append(db_time)
        run_total.append(total)
    base = []
    for _ in range(repeat):
        _vacuum()
        db_time, _total, rows = _measure(lambda: _insert_select(vendor))
        base.append(db_time)
    figures |= _autovacuum()
    figures |= {
        "letters_written": moved,
        "baseline_rows": rows,
        "run_db_s": round(statistics.median(run_db), 3),
        "run_total_s": round(statistics.median(run_total), 3),
        "insert_select_s": round(statistics.median(base), 3),
        "ratio_db_to_insert_select": round(statistics.median(run_db) / statistics.median(base), 2),
        "target_ratio": 8,
    }
    figures |= _pdfs(vendor, 200)
    figures |= _print_file(vendor, letters)
    for key, value in figures.items():
        command.stdout.write(f"{key:<32} {value}")
    return figures


class _Rollback(Exception):
    pass


# The tables a repetition writes (and rolls back).
WRITTEN = (
    "claims_claim",
    "claims_claimentry",
    "claims_letter",
    "activity_activityrecord",
    "core_statetransition",
)


def _vacuum():
    """Before each repetition, outside the clock: on PostgreSQL, VACUUM ANALYZE the tables a
    repetition writes. Each rolled-back repetition leaves its rows dead there; a live server's
    autovacuum clears them and refreshes the statistics, but a bench server may run without it
    (``autovacuum`` is in the figures), and then every later repetition, and the baseline after
    them, read tables bloated by the earlier ones with statistics from before them. The same for
    the run and for the baseline."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return  # (VACUUM cannot run in a transaction, e.g. in a test)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE " + ", ".join(WRITTEN))


def _autovacuum() -> dict:
    if connection.vendor != "postgresql":
        return {}
    with connection.cursor() as cursor:
        cursor.execute("SHOW autovacuum")
        return {"autovacuum": cursor.fetchone()[0]}


def _measure(fn):
    """(seconds spent in SQL, seconds in all, rows/letters made) of ``fn`` in a transaction
    that is rolled back."""
    spent = [0.0]

    def timer(execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            spent[0] += time.perf_counter() - start

    made = 0
    start = time.perf_counter()
    try:
        with transaction.atomic(), connection.execute_wrapper(timer):
            result = fn()
            made = result if isinstance(result, int) else result.summary["letters_1"]
            raise _Rollback
    except _Rollback:
        pass
    return spent[0], time.perf_counter() - start, made


def _insert_select(vendor) -> int:
    """The same first-letter rows in one statement, with the reopened anti-join."""
    now = timezone.now()
    sql = """
        INSERT INTO claims_letter (claim_id, level, "on", principal, costs, interest, fees,
            total, deadline, language, pdf, email_state, created_at)
        SELECT c.id, 1, %s, p.principal, o.cancellation_costs, 0, 0,
               p.principal + o.cancellation_costs, %s, 'de', '', 'pending', %s
        FROM claims_claim c
        JOIN orders_order o ON o.id = c.order_id
        JOIN (SELECT i.order_id, SUM(i.amount - i.paid_amount) AS principal
              FROM orders_installment i
              WHERE i.state IN ('failed', 'charged_back', 'stopped') AND i.due_date <= %s
              GROUP BY i.order_id) p ON p.order_id = c.order_id
        WHERE c.vendor_id = %s AND c.status = 'open' AND c.dunning_started_on <= %s
          AND c.overdue_since <= %s
          AND NOT EXISTS (
              SELECT 1 FROM orders_order o2
              JOIN orders_orderitem it2 ON it2.order_id = o2.id
              WHERE o2.customer_id = c.customer_id AND o2.created_at > o.created_at
                AND o2.status <> 'cancelled'
                AND it2.sku IN (SELECT it.sku FROM orders_orderitem it
                                WHERE it.order_id = c.order_id))
    """
    deadline = AS_OF + timedelta(days=dunning.PAYMENT_DAYS)
    with connection.cursor() as cursor:
        cursor.execute(sql, [AS_OF, deadline, now, AS_OF, vendor.pk, AS_OF, AS_OF])
        return cursor.rowcount


def _pdfs(vendor, n):
    """Letters rendered per second the way the letter tasks render them: the claims with
    what the text needs fetched in a fixed number of queries, the templates read once per
    batch, each letter with both QR codes (payment link and GiroCode). The clock includes
    that loading."""
    start, cpu = time.perf_counter(), time.process_time()
    claims = list(
        Claim.objects.filter(vendor=vendor)
        .select_related("order", "customer", "vendor", "offer_link")
        .prefetch_related("order__items", "entries")
        .order_by("pk")[:n]
    )
    for c in claims:
        if c.offer_link_id is None:
            # As ``make_pdf`` renders them: every letter carries its payment link (a second
            # QR code beside the GiroCode). An unsaved link: the bench makes no provider call.
            c.offer_link = PaymentLink(
                pk=c.pk,
                customer_id=c.customer_id,
                amount=Decimal("50.32"),
                payment_url=f"https://www.sandbox.paypal.com/checkoutnow?token=BENCH{c.pk:012d}",
            )
    letters = [
        Letter(
            claim=c,
            level=1,
            on=AS_OF,
            principal=Decimal("49.90"),
            costs=Decimal("0.00"),
            interest=Decimal("0.42"),
            fees=Decimal("0.00"),
            total=Decimal("50.32"),
            deadline=AS_OF + timedelta(days=14),
            language="de",
        )
        for c in claims
    ]
    with letters_batch():
        sizes = [len(render_letter(letter)) for letter in letters]
    seconds = time.perf_counter() - start
    cpu_seconds = time.process_time() - cpu
    return {
        "pdfs_rendered": len(sizes),
        "pdfs_per_second": round(len(sizes) / seconds, 1) if seconds else None,
        # CPU time of this process: on a shared machine the wall clock counts other work.
        "pdfs_per_cpu_second": round(len(sizes) / cpu_seconds, 1) if cpu_seconds else None,
        "pdf_bytes_avg": int(sum(sizes) / len(sizes)) if sizes else 0,
        "target_pdfs_per_second": 200,
    }


def _print_file(vendor, n):
    claim = (
        Claim.objects.filter(vendor=vendor).select_related("order", "customer", "vendor").first()
    )
    pdf = render_letter(
        Letter(
            claim=claim,
            level=1,
            on=AS_OF,
            principal=Decimal("49.90"),
            costs=Decimal("0"),
            interest=Decimal("0"),
            fees=Decimal("0"),
            total=Decimal("49.90"),
            deadline=AS_OF,
        )
    )
    figures = {}
    for count in (max(n // 10, 1), n):
        tracemalloc.start()
        start = time.perf_counter()
        with tempfile.TemporaryFile() as out:
            pages = printfile.merge_into(out, (pdf for _ in range(count)))
            size = out.tell()
        seconds = time.perf_counter() - start
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        figures[f"print_file_{count}"] = {
            "pages": pages,
            "seconds": round(seconds, 2),
            "mb": round(size / 1e6, 1),
            "peak_python_memory_mb": round(peak / 1e6, 2),
        }
    return figures


# --- loading -----------------------------------------------------------------------------------


def _load(command, orders, due):
    vendor, _created = Vendor.objects.get_or_create(name=VENDOR)
    CollectionSettings.objects.update_or_create(
        vendor=vendor,
        defaults={"enabled": True, "auto_handover": True, "first_letter_after_days": 7},
    )
    have = Order.objects.filter(vendor=vendor).count()
    if have >= orders:
        return vendor
    start = time.perf_counter()
    customers_needed = max(orders // PER_CUSTOMER, 1)
    _customers(customers_needed)
    customer_ids = list(
        Customer.objects.filter(number__startswith="BC-")
        .order_by("pk")
        .values_list("pk", flat=True)
    )[:customers_needed]
    created = timezone.make_aware(datetime(2026, 1, 1, 9, 0))
    due_every = max(orders // max(due, 1), 1)
    batch_orders = []
    made = 0
    for n in range(have, orders):
        customer = customer_ids[n % len(customer_ids)]
        k = n // len(customer_ids)
        failed = n % due_every == 0 and made < due
        made += failed
        batch_orders.append((n, customer, k, failed))
        if len(batch_orders) == CHUNK:
            _flush(vendor, batch_orders, created)
    _flush(vendor, batch_orders, created)
    _reorders(vendor, created)
    _claims(vendor)
    with connection.cursor() as cursor:
        # Statistics for every table the run reads, the customers too (their estimate from
        # before the load made joins hash the whole table; on SQLite, without statistics, the
        # name search scans the customers). Full ones on SQLite: sampled statistics
        # (analysis_limit) made it choose badly.
        for table in (
            "customers_customer",
            "orders_order",
            "orders_installment",
            "orders_orderitem",
            "claims_claim",
        ):
            cursor.execute(f"ANALYZE {table}")
    command.stdout.write(f"loaded {orders - have} orders in {time.perf_counter() - start:.1f} s")
    return vendor


def _customers(target):
    have = Customer.objects.filter(number__startswith="BC-").count()
    rows = []
    for i in range(have + 1, target + 1):
        rows.append(
            Customer(
                number=f"BC-{i:08d}",
                first_name="Bench",
                last_name=f"Kunde{i}",
                email=f"bc{i}@bench.example",
                email_key=f"bc{i}@bench.example",
                street="Hauptstraße 1",
                postal_code="10115",
                city="Berlin",
                search_name=search_key(f"Kunde{i} Bench"),
                first_key="bench",
                status="active",
            )
        )
        if len(rows) == CHUNK:
            with transaction.atomic():
                Customer.objects.bulk_create(rows)
            rows = []
    with transaction.atomic():
        Customer.objects.bulk_create(rows)


def _flush(vendor, batch, created):
    if not batch:
        return
    with transaction.atomic():
        orders = Order.objects.bulk_create(
            [
                Order(
                    number=f"BC-{n:08d}",
                    vendor=vendor,
                    customer_id=customer,
                    amount=Decimal("49.90"),
                    original_amount=Decimal("49.90"),
                    paid_amount=Decimal("0.00") if failed else Decimal("49.90"),
                    payment_method=PaymentMethod.SEPA_DIRECT_DEBIT,
                    plan_kind=PlanKind.ONE_TIME,
                    status="open" if failed else "paid",
                    created_at=created + timedelta(days=k),
                )
                for n, customer, k, failed in batch
            ]
        )
        Installment.objects.bulk_create(
            [
                Installment(
                    order=order,
                    sequence=1,
                    due_date=DUE,
                    amount=Decimal("49.90"),
                    paid_amount=Decimal("0.00") if failed else Decimal("49.90"),
                    state="failed" if failed else "paid",
                )
                for order, (_n, _c, _k, failed) in zip(orders, batch, strict=True)
            ]
        )
        OrderItem.objects.bulk_create(
            [
                OrderItem(
                    order=order,
                    kind="sale",
                    sku=f"SKU-{k}",
                    name=f"Produkt {k}",
                    price=order.amount,
                )
                for order, (_n, _c, k, _f) in zip(orders, batch, strict=True)
            ]
        )
    batch.clear()


def _reorders(vendor, created):
    """5 % of the customers with a due order order the same product again later."""
    failed = (
        Order.objects.filter(vendor=vendor, status="open")
        .values_list("customer_id", "items__sku")
        .order_by("pk")
    )
    # Numbered after the re-orders of an earlier load, so that a load can grow.
    start = Order.objects.filter(vendor=vendor, number__startswith="BCR-").count()
    batch = []
    for i, (customer, sku) in enumerate(failed.iterator(chunk_size=CHUNK)):
        if i % 20:
            continue
        batch.append((customer, sku))
    with transaction.atomic():
        orders = Order.objects.bulk_create(
            [
                Order(
                    number=f"BCR-{start + i:08d}",
                    vendor=vendor,
                    customer_id=customer,
                    amount=Decimal("49.90"),
                    original_amount=Decimal("49.90"),
                    paid_amount=Decimal("49.90"),
                    payment_method=PaymentMethod.PAYPAL,
                    plan_kind=PlanKind.ONE_TIME,
                    status="paid",
                    created_at=created + timedelta(days=60),
                )
                for i, (customer, _sku) in enumerate(batch)
            ],
            batch_size=CHUNK,
        )
        OrderItem.objects.bulk_create(
            [
                OrderItem(order=o, kind="sale", sku=sku, name="Produkt", price=o.amount)
                for o, (_c, sku) in zip(orders, batch, strict=True)
            ],
            batch_size=CHUNK,
        )


def _claims(vendor):
    now = timezone.now()
    default_since = law.first_day_of_default(debtor="consumer", due_date=DUE)
    limitation = law.limitation_date(DUE)
    rows = (
        Order.objects.filter(vendor=vendor, status="open")
        .values_list("pk", "number", "customer_id")
        .order_by("pk")
    )
    batch = []
    for order_id, number, customer_id in rows.iterator(chunk_size=CHUNK):
        batch.append(
            Claim(
                vendor=vendor,
                order_id=order_id,
                order_number=number,
                customer_id=customer_id,
                kind=ClaimKind.FAILED_INSTALLMENT,
                debtor="consumer",
                overdue_since=DUE,
                default_since=default_since,
                limitation_date=limitation,
                dunning_option="a",
                auto_handover=True,
                dunning_started_on=DUE,
                opened_at=now,
            )
        )
        if len(batch) == CHUNK:
            with transaction.atomic():
                Claim.objects.bulk_create(batch, ignore_conflicts=True)
            batch = []
    with transaction.atomic():
        Claim.objects.bulk_create(batch, ignore_conflicts=True)
    # The board's cached open amounts of the claims loaded (set-based, 5,000 per UPDATE).
    refresh_open_amounts(Claim.objects.filter(vendor=vendor, open_amount_until__isnull=True))
