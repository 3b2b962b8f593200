"""``standing bench run``'s results file and summary, at a tiny N (figures are not judged)."""

import io
import json

import pytest
from django.core.management import call_command

from standing.bench import runner
from standing.core.measure import measure, summarize
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
    assert "another run" not in text
    # A file that gathers sections of an earlier run says which and when.
    result["denylist_import_measured_at"] = "2026-12-01T08:00:00+00:00"
    assert (
        "Sections measured in another run: denylist_import at 2026-12-01T08:00:00+00:00"
        in runner.summary(result)
    )


def test_the_other_issues_targets_come_from_their_benchmarks():
    """``--with claims/collection/duplicates``: issue 12's, 13's and 14's targets are listed
    beside issue 15's, each judged against its own target."""
    figures = {
        "claims": {
            "orders": 1000,
            "due_claims": 100,
            "letters_written": 100,
            "run_db_s": 0.9,
            "run_total_s": 1.2,
            "insert_select_s": 0.1,
            "ratio_db_to_insert_select": 9.0,
            "pdfs_rendered": 200,
            "pdfs_per_second": 180.0,
            "pdfs_per_cpu_second": 210.0,
            "pdf_bytes_avg": 30000,
            "print_file_1000": {"pages": 1000, "seconds": 1, "mb": 9, "peak_python_memory_mb": 0.2},
            "print_file_10000": {
                "pages": 10000,
                "seconds": 9,
                "mb": 90,
                "peak_python_memory_mb": 0.3,
            },
        },
        "collection": {
            "claims": 1000,
            "export_s": 2.0,
            "export_mb": 1.0,
            "floor": "COPY TO STDOUT",
            "floor_s": 1.0,
            "ratio_export_to_floor": 2.0,
            "target_ratio": 3,
            "export_peak_python_memory_mb": 1.0,
            "process_peak_rss_mb": 150.0,
            "board": {
                "default": {"p50_ms": 10, "p95_ms": 20},
                "search": {"p50_ms": 90, "p95_ms": 160},
            },
        },
        "duplicates": {"customers": 1000, "cases": {"one": {"p50_ms": 5, "p95_ms": 9}}},
    }
    by_key = {t["key"]: t for t in runner.targets(figures)}
    assert by_key["run_ratio"]["value"] == 9.0 and by_key["run_ratio"]["met"] is False
    assert by_key["pdfs_per_cpu_second"]["met"] is True
    assert by_key["print_file_growth_mb"]["value"] == 0.1 and by_key["print_file_growth_mb"]["met"]
    assert by_key["export_ratio"]["target"] == 3 and by_key["export_ratio"]["met"] is True
    assert by_key["export_rss_mb"]["met"] is True
    assert by_key["board_p95_ms"]["value"] == 160 and by_key["board_p95_ms"]["met"] is False
    assert by_key["duplicates_p95_ms"]["met"] is True
    text = runner.summary({"database": "postgresql", "measured_at": "x", **figures, "targets": []})
    assert "board, search: p50 90 ms, p95 160 ms" in text
    assert "210.0 per CPU second" in text
