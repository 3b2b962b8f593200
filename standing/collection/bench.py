"""``standing bench --only collection [--orders N] [--repeat N]`` (issue 13, item 8).

Loads claims through the claims bench's data generation (``claims.bench._load``: a bench
vendor, ``--orders`` one-time orders, every one of them with a failed payment and a claim), then
measures on the configured database:

- the exchange file of all of the vendor's claims (``exchange.exchange_lines``, as the CLI, the
  API and the board write it) into a file, against a floor measured in the same run over the
  same SQL: PostgreSQL ``COPY (SELECT …) TO STDOUT``, SQLite the plain ``SELECT`` written
  through ``csv.writer`` unformatted; and the ratio of the two (targets: ≤ 3 on PostgreSQL,
  ≤ 1.5 on SQLite);
- the peak Python memory of the export (tracemalloc, a separate pass) and the process's peak
  resident size (target: < 200 MB);
- the board as staff see it (the view, its queries and its template) for several filters:
  p50 and p95 (target p95 ≤ 150 ms).

Figures go to the results file under ``collection/<database>``; nothing asserts a time.
"""

import csv
import resource
import statistics
import tempfile
import time
import tracemalloc

from django.conf import settings
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django.test import RequestFactory, override_settings
from django_htmx.middleware import HtmxDetails

from standing.accounts.models import Role, User
from standing.claims.bench import _load
from standing.claims.models import Claim
from standing.core.measure import measure

from .exchange import exchange_lines, exchange_query


def bench_collection(command, options):
    orders = options["orders"]
    repeat = max(1, min(options.get("repeat") or 3, 5))
    vendor = _load(command, orders, orders)
    claims = Claim.objects.filter(vendor=vendor)
    figures = {"claims": claims.count(), "database": connection.vendor}
    ours, floor, size = [], [], 0
    for _ in range(repeat):
        seconds, size = _timed(lambda out: _export(claims, out))
        ours.append(seconds)
        seconds, _size = _timed(lambda out: _floor(claims, out))
        floor.append(seconds)
    export_s, floor_s = statistics.median(ours), statistics.median(floor)
    figures |= {
        "export_s": round(export_s, 3),
        "export_mb": round(size / 1e6, 1),
        "floor": "COPY TO STDOUT" if connection.vendor == "postgresql" else "SELECT + csv.writer",
        "floor_s": round(floor_s, 3),
        "ratio_export_to_floor": round(export_s / floor_s, 2) if floor_s else None,
        "target_ratio": 3 if connection.vendor == "postgresql" else 1.5,
    }
    export_rss = _peak_rss_mb(lambda: _timed(lambda out: _export(claims, out)))
    tracemalloc.start()
    _timed(lambda out: _export(claims, out))
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    figures |= {
        "export_peak_python_memory_mb": round(peak / 1e6, 2),
        "export_peak_rss_mb": export_rss,
        "process_peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "target_memory_mb": 200,
    }
    figures["board"] = _board(command, vendor, BOARD_SAMPLES)
    figures["target_board_p95_ms"] = 150
    for key, value in figures.items():
        command.stdout.write(f"{key:<32} {value}")
    return figures


def _peak_rss_mb(fn):
    """The process's peak resident size while ``fn`` runs: Linux resets the high-water mark
    (VmHWM) on writing 5 to clear_refs; elsewhere the peak of the whole process so far."""
    try:
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")
    except OSError:
        fn()
        return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    fn()
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    return None


def _timed(fn):
    with tempfile.TemporaryFile("w+", encoding="utf-8", newline="") as out:
        start = time.perf_counter()
        fn(out)
        seconds = time.perf_counter() - start
        return seconds, out.tell()


def _export(claims, out):
    for piece in exchange_lines(claims):
        out.write(piece)


def _floor(claims, out):
    """The same SQL, with nothing done to the values: the database's own CSV on PostgreSQL,
    the rows as the driver gives them through csv.writer on SQLite."""
    sql, params = exchange_query(claims).query.sql_with_params()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            raw = cursor.cursor
            query = raw.mogrify(sql, params)
            with raw.copy(f"COPY ({query}) TO STDOUT (FORMAT csv, HEADER)") as copy:
                for data in copy:
                    out.write(bytes(data).decode())
        return
    writer = csv.writer(out, lineterminator="\r\n")
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(5000):
            writer.writerows(rows)


BOARD_SAMPLES = 20
CASES = {
    "all vendors, all states, page 1": {"status": "all", "vendor": ""},
    "in progress, page 1": {},
    "all, page 1": {"status": "all"},
    "search order id": {"q": "BC-00000421", "status": "all"},
    "search last name": {"q": "Kunde42", "status": "all"},
    "period": {"from": "2026-05-01", "to": "2026-05-01"},
    "sorted by days overdue, page 3": {"sort": "overdue", "page": "3"},
    "sorted by order id desc": {"sort": "-order"},
    "amount range": {"min": "10", "max": "49.90"},
    "sorted by open amount desc": {"sort": "-open"},
}


def _board(command, vendor, repeat):
    user, _created = User.objects.get_or_create(
        username="bench-collection", defaults={"role": Role.SUPPORT}
    )
    # The page as rendered (no collected static files needed for the measurement).
    storages = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(STORAGES=storages):
        return {
            name: _case(
                command,
                user,
                {k: v for k, v in {"vendor": vendor.pk, **params}.items() if v != ""},
                repeat,
                name,
            )
            for name, params in CASES.items()
        }


def _case(command, user, params, repeat, name):
    """The board view (its queries and its whole page) for ``params``: p50, p95 and the slowest,
    through the benches' one timing loop (``core.measure``: a call to warm up, nearest-rank
    p95)."""
    from .views import board_page

    factory = RequestFactory()

    def show():
        request = factory.get("/collection/", params)
        request.user = user
        request.session = SessionStore()
        request._messages = FallbackStorage(request)
        request.htmx = HtmxDetails(request)
        response = board_page(request)
        if response.status_code != 200:
            raise RuntimeError(f"board case {name!r} answered {response.status_code}")

    timed = measure(show, repeat=repeat)
    result = {"p50_ms": round(timed["median"], 1), "p95_ms": round(timed["p95"], 1)}
    result["max_ms"] = round(timed["max"], 1)
    command.stdout.write(
        f"board: {name:<32} p50 {result['p50_ms']:>8} ms  p95 {result['p95_ms']:>8} ms"
        f"  max {result['max_ms']:>8} ms"
    )
    return result
