"""One timing loop for every benchmark (``standing bench`` and the apps' own, registered in
``core.bench``): ``measure(fn)`` runs ``fn`` after a warm-up and reports the median and the
spread (p95, min, max) over the repetitions. Nothing here asserts a time: the figures are for
people to compare, and targets are compared in ``bench.runner``."""

import math
import statistics
import time


def summarize(samples, unit="ms"):
    """{median, p95, min, max, n, unit} of ``samples`` (already in ``unit``)."""
    ordered = sorted(samples)
    if not ordered:
        return {"median": None, "p95": None, "min": None, "max": None, "n": 0, "unit": unit}
    # Nearest-rank p95: the smallest sample with at least 95 % of the samples at or below it.
    rank = max(1, math.ceil(0.95 * len(ordered)))
    return {
        "median": round(statistics.median(ordered), 3),
        "p95": round(ordered[rank - 1], 3),
        "min": round(ordered[0], 3),
        "max": round(ordered[-1], 3),
        "n": len(ordered),
        "unit": unit,
    }


def measure(fn, repeat=20, warmup=1, unit="ms", args=None):
    """Run ``fn`` ``warmup`` times untimed, then ``repeat`` times timed.

    ``args`` (optional) is a sequence of arguments, one per repetition, cycled: each call gets
    the next one (e.g. another customer each time). ``unit`` is "ms" or "s"."""
    scale = 1000.0 if unit == "ms" else 1.0
    args = list(args) if args is not None else None

    def call(i):
        return fn(args[i % len(args)]) if args else fn()

    for i in range(warmup):
        call(i)
    samples = []
    for i in range(repeat):
        start = time.perf_counter()
        call(warmup + i)
        samples.append((time.perf_counter() - start) * scale)
    return summarize(samples, unit)
