import json

from django.core.management import call_command


def test_the_claims_bench_writes_its_figures(db, tmp_path):
    out = tmp_path / "results.json"
    call_command("bench", only="claims", orders=60, due=6, letters=3, repeat=1, output=str(out))
    (entry,) = json.loads(out.read_text()).values()
    assert entry["due_claims"] == 6 and entry["baseline_rows"] == entry["letters_written"]
    assert entry["print_file_3"]["pages"] == 3 and entry["pdfs_rendered"] == 6
