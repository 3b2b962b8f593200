"""``standing bench --only pages``: what each staff page and the standing endpoint cost the
server per request, measured in-process (Django's test client through the whole middleware
stack, no network): CPU ms (``time.process_time``, this process only; the database's own CPU
is not in it), the number of queries and the slowest query of each page.

The HTTP load test (``runner.bench_http``) says what clients wait for; this says why: a page
with 35 queries or 40 ms of Python stays slow under any server. Run it against a scratch
database (``standing bench generate``). Nothing here asserts a time."""

import random
import time

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from standing.core.measure import summarize


def _cost(client, path, headers, repeat):
    cpu, wall, queries, slowest = [], [], [], (0.0, "")
    status = None
    for i in range(repeat + 1):
        with CaptureQueriesContext(connection) as captured:
            c0, w0 = time.process_time(), time.perf_counter()
            response = client.get(path, headers=headers)
            b"".join(response) if response.streaming else response.content
            c1, w1 = time.process_time(), time.perf_counter()
        status = response.status_code
        if i == 0:
            continue  # warm-up (template compilation, first connection)
        cpu.append((c1 - c0) * 1000)
        wall.append((w1 - w0) * 1000)
        queries.append(len(captured.captured_queries))
        for q in captured.captured_queries:
            if float(q["time"]) > slowest[0]:
                slowest = (float(q["time"]), q["sql"][:300])
    return {
        "status": status,
        "cpu_ms": summarize(cpu),
        "wall_ms": summarize(wall),
        "queries": max(queries),
        "slowest_query_ms": round(slowest[0] * 1000, 1),
        "slowest_query": slowest[1],
    }


def bench_pages(command, options):
    from . import runner

    repeat = options.get("repeat") or 10
    cookie, bearer = runner._credentials()
    staff = Client()
    staff.cookies.load(cookie["Cookie"])
    anonymous = Client()  # the API and the login page as the load test asks them: no cookie
    pages = runner._pages(random.Random(11), n=max(repeat, 5))
    results = {}
    for name, paths in pages.items():
        if name == "claims":
            continue  # the claims board has its own benchmark (--only claims)
        headers = bearer if name == "standing" else {}
        client = staff if name not in ("standing", "trivial") else anonymous
        per_path = [_cost(client, p, headers, max(1, repeat // len(paths))) for p in paths[:repeat]]
        results[name] = {
            "paths": len(per_path),
            "cpu_ms_median": summarize([r["cpu_ms"]["median"] for r in per_path])["median"],
            "cpu_ms_max": max(r["cpu_ms"]["max"] for r in per_path),
            "wall_ms_median": summarize([r["wall_ms"]["median"] for r in per_path])["median"],
            "queries_max": max(r["queries"] for r in per_path),
            "statuses": sorted({r["status"] for r in per_path}),
            "slowest": max(
                (
                    (r["slowest_query_ms"], r["slowest_query"], p)
                    for r, p in zip(per_path, paths[:repeat], strict=True)
                ),
            ),
        }
        r = results[name]
        command.stdout.write(
            f"{name:<9} cpu {r['cpu_ms_median']:>7.1f} ms (max {r['cpu_ms_max']:.1f})"
            f"  wall {r['wall_ms_median']:>7.1f} ms  queries ≤ {r['queries_max']:>3}"
            f"  slowest {r['slowest'][0]} ms  {r['statuses']}\n"
            f"          slowest query ({r['slowest'][2]}): {r['slowest'][1][:160]}\n"
        )
    return results
