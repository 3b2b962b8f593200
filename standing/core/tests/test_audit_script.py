"""scripts/audit.py (CI's vulnerability audit) catches a vulnerable pin, from the PyPA advisory
snapshot and from PyPI's project JSON, and says what it could not check. No network: PyPI
answers are stand-ins, the advisory database a small zip in its real layout."""

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

SCRIPTS = Path(__file__).resolve().parents[3] / "scripts"
sys.path.insert(0, str(SCRIPTS))

import advisories  # noqa: E402
import audit  # noqa: E402

RECORD = """\
id: PYSEC-2099-1
details: Something bad in fakepkg.
aliases:
- CVE-2099-0001
affected:
- package:
    name: FakePkg
    ecosystem: PyPI
  ranges:
  - type: ECOSYSTEM
    events:
    - introduced: "0"
    - fixed: "1.0.5"
    - introduced: "2.0"
    - fixed: "2.1"
  versions:
  - 1.0.0
"""
WITHDRAWN = "id: PYSEC-2099-2\nwithdrawn: '2099-01-01T00:00:00Z'\n" + RECORD.split("\n", 1)[1]
OTHER = RECORD.replace("FakePkg", "unrelated").replace("PYSEC-2099-1", "PYSEC-2099-3")


def database(archive):
    """A zip shaped like GitHub's archive of the advisory database."""
    with zipfile.ZipFile(archive, "w") as zf:
        for path, text in (
            ("fakepkg/PYSEC-2099-1.yaml", RECORD),
            ("fakepkg/PYSEC-2099-2.yaml", WITHDRAWN),
            ("unrelated/PYSEC-2099-3.yaml", OTHER),
        ):
            zf.writestr(f"advisory-database-main/vulns/{path}", text)
    return archive


@pytest.fixture
def snapshot(tmp_path):
    """A snapshot made by scripts/advisories.py from a zip shaped like the GitHub archive."""
    archive = database(tmp_path / "advisory-database-main.zip")
    lock = tmp_path / "all.lock"
    lock.write_text("fakepkg==1.0.0\nsafe-pkg==3.0\n")
    out = tmp_path / "advisories.json"
    assert advisories.main([str(lock), "--from", str(archive), "-o", str(out)]) == 0
    data = json.loads(out.read_text())
    assert data["packages"] == ["fakepkg", "safe-pkg"]
    assert [a["id"] for a in data["advisories"]["fakepkg"]] == ["PYSEC-2099-1"]
    return out


def run(tmp_path, pins, snapshot, *extra, fetch=None):
    lock = tmp_path / "requirements.lock"
    lock.write_text("".join(f"{p}\n" for p in pins))
    argv = [str(lock), "--snapshot", str(snapshot), "--no-pip-audit", *extra]
    if fetch is None:
        argv.append("--no-pypi")
    return audit.main(argv, fetch=fetch or audit.fetch_project)


def test_names_are_canonical():
    assert audit.canonical("FakePkg") == "fakepkg"
    assert audit.canonical("safe_pkg") == audit.canonical("Safe.Pkg") == "safe-pkg"
    assert audit.canonical("Foo.Bar__baz") == "foo-bar-baz"


def test_the_snapshot_keeps_the_lock_files_packages_without_withdrawn(tmp_path):
    archive = database(tmp_path / "db.zip")
    lock = tmp_path / "r.lock"
    lock.write_text("FakePkg==1.0\nDjango==6.1.3  # comment\n")
    data = advisories.build(lock, archive)
    assert data["packages"] == ["django", "fakepkg"]
    assert list(data["advisories"]) == ["fakepkg"]
    (advisory,) = data["advisories"]["fakepkg"]
    assert advisory["id"] == "PYSEC-2099-1" and advisory["fixed"] == ["1.0.5", "2.1"]
    assert advisory["ranges"] == [["0", "1.0.5", None], ["2.0", "2.1", None]]


@pytest.mark.parametrize(
    ("version", "affected"),
    [("1.0.0", True), ("1.0.4", True), ("1.0.5", False), ("1.9", False), ("2.0.1", True),
     ("2.1", False), ("2.1rc1", True), ("3", False)],
)  # fmt: skip
def test_ranges_are_matched_with_specifiers(version, affected):
    advisory = {"ranges": [["0", "1.0.5", None], ["2.0", "2.1", None]], "versions": []}
    assert audit.affects(advisory, version) is affected
    assert audit.affects({"ranges": [["1.0", None, "1.2"]]}, "1.2") is True
    assert audit.affects({"ranges": [["1.0", None, "1.2"]]}, "1.2.1") is False


def test_a_fake_vulnerable_pin_fails_the_audit(tmp_path, snapshot, capsys):
    assert run(tmp_path, ["FakePkg==1.0.3", "safe_pkg==3.0"], snapshot) == 1
    out = capsys.readouterr().out
    assert "VULNERABLE FakePkg 1.0.3: PYSEC-2099-1 (fixed in 1.0.5, 2.1" in out
    assert "2 of 2 pinned packages checked, 1 with known vulnerabilities" in out


def test_a_fixed_pin_passes_and_says_what_was_checked(tmp_path, snapshot, capsys):
    assert run(tmp_path, ["FakePkg==1.0.5", "safe_pkg==3.0"], snapshot) == 0
    out = capsys.readouterr().out
    assert "VULNERABLE" not in out and "2 of 2 pinned packages checked, 0 with" in out


def test_packages_no_source_knows_are_named_not_passed(tmp_path, snapshot, capsys):
    assert run(tmp_path, ["fakepkg==1.0.5", "elsewhere==1.0"], snapshot) == 0
    out = capsys.readouterr().out
    assert "1 of 2 pinned packages checked" in out
    assert "NOT CHECKED by any source (1): elsewhere" in out
    assert run(tmp_path, ["fakepkg==1.0.5", "elsewhere==1.0"], snapshot, "--require-all") == 2


def test_without_a_snapshot_it_says_so(tmp_path, capsys):
    assert run(tmp_path, ["fakepkg==1.0.0"], tmp_path / "none.json") == 0
    out = capsys.readouterr().out
    assert "PyPA advisory snapshot: none" in out and "0 of 1 pinned packages checked" in out


def fake_pypi(projects):
    def fetch(name):
        if name not in projects:
            raise audit.urllib.error.HTTPError(name, 404, "Not Found", {}, None)
        latest, vulns = projects[name]
        return {
            "info": {"version": latest},
            "releases": {latest: [{"yanked": False}]},
            "vulnerabilities": vulns,
        }

    return fetch


def test_pypi_vulnerabilities_of_a_pin_at_the_latest_release_fail(tmp_path, capsys):
    vuln = {"id": "GHSA-fake", "fixed_in": [], "withdrawn": None}
    gone = {"id": "GHSA-gone", "fixed_in": [], "withdrawn": "2099-01-01"}
    fetch = fake_pypi({"fakepkg": ("1.0", [vuln, gone]), "older": ("2.0", [vuln])})
    status = run(
        tmp_path, ["fakepkg==1.0", "older==1.0", "lost==1"], tmp_path / "no.json", fetch=fetch
    )
    out = capsys.readouterr().out
    assert status == 1
    assert "VULNERABLE fakepkg 1.0: GHSA-fake (fixed in no release yet; from PyPI)" in out
    assert "GHSA-gone" not in out
    # A pin below the latest release: PyPI's list is not about it, so it is not "checked".
    assert "older 1.0" not in out and "NOT CHECKED by any source (2): lost, older" in out


def test_the_script_runs_as_ci_calls_it(tmp_path, snapshot):
    lock = tmp_path / "requirements.lock"
    lock.write_text("FakePkg==2.0.3\n")
    done = subprocess.run(
        [sys.executable, str(SCRIPTS / "audit.py"), str(lock), "--snapshot", str(snapshot),
         "--no-pip-audit", "--no-pypi"],
        capture_output=True, text=True, check=False, timeout=60,
    )  # fmt: skip
    assert done.returncode == 1, done.stdout + done.stderr
    assert "VULNERABLE FakePkg 2.0.3: PYSEC-2099-1" in done.stdout
