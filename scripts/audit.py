"""CI's vulnerability audit of requirements.lock, saying plainly what it checked.

Three sources, each for the pinned packages it can speak about:

1. ``pip-audit`` (PyPI's per-release vulnerability service, ``/pypi/<name>/<version>/json``).
   Mirrors and networks that do not serve that endpoint make it skip every package.
2. PyPI's project JSON (``/pypi/<name>/json``): its ``vulnerabilities`` list is about the
   latest release, so it is exact for every package pinned at its latest release.
3. A snapshot of the PyPA advisory database (``scripts/advisories.json``, made and refreshed by
   ``scripts/advisories.py``, filtered to the packages of the lock file): every advisory's
   affected ranges and versions are matched against the pinned version with
   ``packaging.version`` (PEP 440 ordering, OSV's range semantics), offline.

A package is "checked" when at least one source could speak about its pinned version. Exit 1
when any source knows a vulnerability of a pinned version; otherwise exit 0, listing the
packages no source could check (``--require-all`` makes those fail too: exit 2). Never says
"no known vulnerabilities" about a package that was not looked at.

    python scripts/audit.py [requirements.lock] [--snapshot PATH] [--no-pip-audit]
                            [--no-pypi] [--require-all]
"""

import argparse
import json
import os
import re
import subprocess
import sys
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from packaging.version import InvalidVersion, Version

BIN = Path(sys.executable).parent
HERE = Path(__file__).resolve().parent
SNAPSHOT = HERE / "advisories.json"
PYPI_JSON = os.environ.get("PYPI_JSON_URL", "https://pypi.org/pypi").rstrip("/")
PIN = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*==\s*([^\s;#\\]+)")


def canonical(name):
    """PEP 503: the name PyPI and the advisory database file a package under."""
    return re.sub(r"[-_.]+", "-", name).lower()


def read_lock(path):
    """{canonical name: (name as written, pinned version)} of every ``name==version`` line."""
    pins = {}
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if match := PIN.match(line):
            pins[canonical(match.group(1))] = (match.group(1), match.group(2))
    return pins


# --- 1. pip-audit ----------------------------------------------------------------------------


def pip_audit(lock):
    """(checked names, {name: [(id, fixed)]}, note)."""
    try:
        done = subprocess.run(
            [str(BIN / "pip-audit"), "-r", str(lock), "--no-deps", "--disable-pip",
             "--progress-spinner", "off", "-f", "json"],
            capture_output=True, text=True, timeout=600, check=False,
        )  # fmt: skip
        report = json.loads(done.stdout)
    except (OSError, subprocess.TimeoutExpired, ValueError) as error:
        return set(), {}, f"could not run or reach PyPI's vulnerability service ({error})"
    checked, found, reasons = set(), {}, []
    for package in report.get("dependencies", []):
        name = canonical(package["name"])
        if "skip_reason" in package:
            reasons.append(package["skip_reason"])
            continue
        checked.add(name)
        for vuln in package.get("vulns", []):
            found.setdefault(name, []).append((vuln["id"], vuln.get("fix_versions", [])))
    note = f"it skipped {len(reasons)}, e.g.: {reasons[0]}" if reasons else ""
    return checked, found, note


# --- 2. PyPI's project JSON ------------------------------------------------------------------


def fetch_project(name):
    url = f"{PYPI_JSON}/{name}/json"
    with urllib.request.urlopen(url, timeout=30) as answer:  # noqa: S310 (https, fixed host)
        return json.load(answer)


def pypi_json(pins, fetch=fetch_project):
    """(checked names, {name: [(id, fixed)]}, {name: why not checked}, [yanked warnings])."""

    def one(item):
        name, (_written, version) = item
        try:
            return name, version, fetch(name), None
        except (urllib.error.URLError, OSError, ValueError) as error:
            return name, version, None, f"{type(error).__name__}: {error}"

    checked, found, unchecked, yanked = set(), {}, {}, []
    with ThreadPoolExecutor(max_workers=8) as pool:
        for name, version, data, error in pool.map(one, sorted(pins.items())):
            if data is None:
                unchecked[name] = error
                continue
            files = (data.get("releases") or {}).get(version)
            if files and all(f.get("yanked") for f in files):
                reason = next((f.get("yanked_reason") for f in files if f.get("yanked_reason")), "")
                yanked.append(
                    f"{name} {version} is yanked on PyPI{': ' + reason if reason else ''}"
                )
            latest = (data.get("info") or {}).get("version")
            if "vulnerabilities" not in data or not _same(latest, version):
                unchecked[name] = f"PyPI's data is about {latest}, the pin is {version}"
                continue
            checked.add(name)
            for vuln in data["vulnerabilities"]:
                if not vuln.get("withdrawn"):
                    found.setdefault(name, []).append((vuln["id"], vuln.get("fixed_in") or []))
    return checked, found, unchecked, yanked


def _same(a, b):
    try:
        return a is not None and Version(a) == Version(b)
    except InvalidVersion:
        return a == b


# --- 3. the advisory snapshot ----------------------------------------------------------------


def load_snapshot(path):
    path = Path(path)
    if not path.is_file():
        return None
    return json.loads(path.read_text(encoding="utf-8"))


def affects(advisory, version):
    """Whether an advisory (OSV ``affected`` entries of one package) covers ``version``: listed
    by name, or inside a range ``introduced <= v < fixed`` (or ``<= last_affected``), compared
    as PEP 440 versions in OSV's sense (a pre-release of the fixed version is still affected,
    which a ``<fixed`` specifier would not say)."""
    if version in advisory.get("versions", []):
        return True
    try:
        pinned = Version(version)
    except InvalidVersion:
        return False
    for introduced, fixed, last_affected in advisory.get("ranges", []):
        try:
            if introduced and introduced != "0" and pinned < Version(introduced):
                continue
            if fixed and not pinned < Version(fixed):
                continue
            if last_affected and not pinned <= Version(last_affected):
                continue
        except InvalidVersion:
            continue
        return True
    return False


def from_snapshot(pins, snapshot):
    """(checked names, {name: [(id, fixed)]})."""
    covered = set(snapshot.get("packages", []))
    checked = {name for name in pins if name in covered}
    found = {}
    for name in sorted(checked):
        version = pins[name][1]
        for advisory in snapshot.get("advisories", {}).get(name, []):
            if affects(advisory, version):
                found.setdefault(name, []).append((advisory["id"], advisory.get("fixed", [])))
    return checked, found


# --- the report ------------------------------------------------------------------------------


def main(argv=None, fetch=fetch_project):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("lock", nargs="?", default="requirements.lock")
    parser.add_argument("--snapshot", default=str(SNAPSHOT))
    parser.add_argument("--no-pip-audit", action="store_true")
    parser.add_argument("--no-pypi", action="store_true")
    parser.add_argument("--require-all", action="store_true")
    args = parser.parse_args(argv)
    pins = read_lock(args.lock)
    print(f"Vulnerability audit of {args.lock}: {len(pins)} pinned packages.")
    found = {}

    def merge(source, results):
        for name, vulns in results.items():
            for vuln_id, fixed in vulns:
                found.setdefault(name, {}).setdefault(vuln_id, (fixed, set()))[1].add(source)

    checked = set()
    if not args.no_pip_audit:
        names, vulns, note = pip_audit(args.lock)
        checked |= names
        merge("pip-audit", vulns)
        print(
            f"- pip-audit (PyPI per-release service): checked {len(names)}"
            + (f"; {note}" if note else ".")
        )
    if not args.no_pypi:
        names, vulns, unchecked, yanked = pypi_json(pins, fetch)
        checked |= names
        merge("PyPI", vulns)
        unreachable = [n for n, why in unchecked.items() if "PyPI's data is about" not in why]
        print(
            f"- PyPI project JSON ({PYPI_JSON}): checked {len(names)} pinned at their latest "
            f"release; {len(unchecked) - len(unreachable)} are pinned below the latest "
            f"(PyPI lists vulnerabilities of the latest only)"
            + (
                f"; {len(unreachable)} not reachable, e.g. {unchecked[unreachable[0]]}"
                if unreachable
                else ""
            )
            + "."
        )
        for warning in yanked:
            print(f"  WARNING {warning}")
    snapshot = load_snapshot(args.snapshot)
    if snapshot is None:
        print(
            f"- PyPA advisory snapshot: none at {args.snapshot} (make one: scripts/advisories.py)."
        )
    else:
        names, vulns = from_snapshot(pins, snapshot)
        checked |= names
        merge("advisory snapshot", vulns)
        count = sum(len(v) for v in snapshot.get("advisories", {}).values())
        print(
            f"- PyPA advisory snapshot ({args.snapshot}, {snapshot.get('source', '?')}, taken "
            f"{snapshot.get('taken', '?')}, newest record {snapshot.get('newest_record', '?')}): "
            f"{count} advisories of these packages; checked {len(names)}."
        )
    for name in sorted(found):
        for vuln_id, (fixed, sources) in sorted(found[name].items()):
            fixes = ", ".join(fixed) or "no release yet"
            print(
                f"VULNERABLE {pins[name][0]} {pins[name][1]}: {vuln_id} "
                f"(fixed in {fixes}; from {', '.join(sorted(sources))})"
            )
    missing = sorted(set(pins) - checked)
    print(
        f"Result: {len(checked)} of {len(pins)} pinned packages checked, "
        f"{len(found)} with known vulnerabilities."
    )
    if missing:
        print(f"NOT CHECKED by any source ({len(missing)}): {', '.join(missing)}")
    if found:
        return 1
    return 2 if missing and args.require_all else 0


if __name__ == "__main__":
    sys.exit(main())
