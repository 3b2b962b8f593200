"""``standing bench --only collection`` at a tiny size: it loads its claims, exports them beside
the floor, and times every board case through the benches' one timing loop."""

import io

import pytest

from standing.collection import bench

pytestmark = pytest.mark.django_db


class Command:
    stdout = io.StringIO()


def test_the_collection_bench_runs_every_case_and_reports_its_spread(monkeypatch):
    monkeypatch.setattr(bench, "BOARD_SAMPLES", 3)
    figures = bench.bench_collection(Command, {"orders": 40, "repeat": 1})
    assert figures["claims"] == 40
    assert figures["export_s"] > 0 and figures["floor_s"] > 0
    assert set(figures["board"]) == set(bench.CASES)
    for case in figures["board"].values():
        assert 0 < case["p50_ms"] <= case["p95_ms"] <= case["max_ms"]
