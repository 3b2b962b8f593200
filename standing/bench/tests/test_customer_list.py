import json

from django.core.management import call_command


def test_bench_loads_customers_and_writes_figures(db, tmp_path):
    out = tmp_path / "results.json"
    call_command("bench", customers=40, repeat=2, output=str(out))
    data = json.loads(out.read_text())
    (entry,) = data.values()
    assert entry["customers"] == 40
    assert entry["cases"]["search last name"]["p50_ms"] >= 0
    call_command("bench", customers=40, repeat=1, output=str(out))  # nothing more is loaded
    assert next(iter(json.loads(out.read_text()).values()))["loaded_now"] == 0
