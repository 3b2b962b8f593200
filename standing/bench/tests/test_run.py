"""``standing bench run``'s results file and summary, at a tiny N (figures are not judged)."""

import io
import json

import pytest
from django.core.management import call_command

from standing.bench import runner
from standing.bench.measure import measure, summarize
from standing.screening.models import DenyEntry


def test_summarize_gives_median_and_spread():
    figures = summarize([5, 1, 3, 2, 4, 100])
    assert figures["median"] == 3.5
    assert figures["min"] == 1 and figures["max"] == 100 and figures["p95"] == 100
    assert figures["n"] == 6
    calls = []
    timed = measure(calls.append, repeat=4, warmup=1, args=["a", "b"])
    assert calls == ["a", "b", "a", "b", "a"]
    assert timed["n"] == 4 and timed["min"] <= timed["median"] <= timed["max"]


@pytest.mark.django_db
def test_run_writes_results_with_targets_and_the_docs(tmp_path, settings):
    settings.VAR_DIR = tmp_path
    docs = tmp_path / "benchmarks.md"
    call_command(
        "bench", "generate", customers=60, entries=40, stdout=io.StringIO(), stderr=io.StringIO()
    )
    runner.run(
        {
            "denylist_rows": 30,
            "import_repeat": 2,
            "probes": 3,
            "skip": ["http"],
            "results_dir": str(tmp_path / "results"),
            "docs_path": str(docs),
        },
        out=io.StringIO(),
    )
    assert DenyEntry.objects.count() == 40  # every import was rolled back
    (path,) = (tmp_path / "results").glob("*.json")
    result = json.loads(path.read_text())
    assert result["database"] in path.name
    assert result["scale"]["customers"] == 60
    assert result["denylist_import"]["rows"] == 30
    assert result["denylist_import"]["import_s"]["n"] == 2
    assert result["denylist_import"]["floor_raw_bulk_load_s"]["n"] == 2
    assert result["registration"]["registration_ms"]["n"] == 3
    names = {t["key"] for t in result["targets"]}
    assert names == {"denylist_import_s", "registration_p95_ms"}
    for target in result["targets"]:
        assert set(target) >= {"name", "value", "unit", "target", "met"}
        assert target["met"] == (target["value"] <= target["target"])
    # The import's target is 60 s per 1,000,000 rows, held pro rata for a smaller list.
    (imported,) = [t for t in result["targets"] if t["key"] == "denylist_import_s"]
    assert imported["target"] == round(60 * 30 / 1_000_000, 3) and "30 rows" in imported["name"]
    summary = path.with_suffix(".md").read_text()
    assert "whole registration, p95" in summary and "| met |" in summary
    text = docs.read_text()
    assert f"## {result['database']}" in text and "deny-list import" in text


def test_summary_states_http_targets_and_the_ratio():
    page = {
        "p95_ms": summarize([20, 30, 25]),
        "median_ms": summarize([5, 6, 7]),
        "rps": summarize([900, 1100, 1000], unit="req/s"),
        "requests": 3000,
        "errors": 0,
        "example": "/x/",
    }
    figures = {
        "http": {
            "clients": 8,
            "server_workers": 2,
            "seconds_per_round": 1,
            "rounds": 3,
            "pages": {
                name: page for name in ("search", "card", "orders", "claims", "standing", "trivial")
            },
            "standing_rps_ratio_to_trivial": 1.0,
            "worker_rss_mb": summarize([120, 150], unit="MB"),
        }
    }
    result = {
        "database": "sqlite",
        "measured_at": "2026-12-01T10:00:00+00:00",
        **figures,
        "targets": runner.targets(figures),
    }
    by_key = {t["key"]: t for t in result["targets"]}
    assert by_key["http_standing_rps"]["value"] == 1000 and by_key["http_standing_rps"]["met"]
    assert by_key["worker_rss_mb"]["value"] == 150 and by_key["worker_rss_mb"]["met"]
    assert by_key["http_card_p95_ms"]["value"] == 25
    text = runner.summary(result)
    assert "1.00 ×" in text and "| standing |" in text
