"""Make or refresh the PyPA advisory snapshot that ``scripts/audit.py`` checks offline.

Reads the PyPA advisory database (https://github.com/pypa/advisory-database, OSV records as
``vulns/<package>/<id>.yaml``), keeps the advisories of the packages in the lock file and writes
them, compact, to ``scripts/advisories.json``:

    python scripts/advisories.py [requirements.lock]                   # download the database
    python scripts/advisories.py [requirements.lock] --from DIR|ZIP    # a checkout or its zip

Every package of the lock file is listed under ``packages`` (the database was consulted for
it), with or without advisories. Run it again after changing the lock file or to pick up new
advisories, and commit the result.
"""

import argparse
import io
import json
import sys
import urllib.request
import zipfile
from datetime import UTC, date, datetime
from pathlib import Path, PurePosixPath

import yaml
from audit import SNAPSHOT, canonical, read_lock

ARCHIVE = "https://github.com/pypa/advisory-database/archive/refs/heads/main.zip"


def records(source):
    """(path, text, date changed) of every ``vulns/<package>/<file>.yaml`` in a directory or a
    zip archive (git archive dates every file with the commit)."""
    path = Path(source) if source else None
    if path is not None and path.is_dir():
        for file in sorted(path.glob("vulns/*/*.yaml")):
            changed = datetime.fromtimestamp(file.stat().st_mtime, UTC).date()
            yield file.relative_to(path).as_posix(), file.read_text(encoding="utf-8"), changed
    if path is not None:
        archive = zipfile.ZipFile(path)
    else:
        try:
            with urllib.request.urlopen(ARCHIVE, timeout=120) as answer:  # noqa: S310
                archive = zipfile.ZipFile(io.BytesIO(answer.read()))
        except (OSError, zipfile.BadZipFile) as error:
            raise SystemExit(f"Could not download {ARCHIVE}: {error}") from None
    with archive:
        for info in sorted(archive.infolist(), key=lambda i: i.filename):
            parts = PurePosixPath(info.filename).parts
            if "vulns" in parts and info.filename.endswith(".yaml"):
                rest = parts[parts.index("vulns") :]
                if len(rest) == 3:
                    text = archive.read(info).decode("utf-8")
                    yield "/".join(rest), text, date(*info.date_time[:3])


def ranges(events):
    """OSV events (in order) as [introduced, fixed, last_affected] ranges."""
    found, current = [], None
    for event in events:
        if "introduced" in event:
            current = [str(event["introduced"]), None, None]
            found.append(current)
        elif current is not None and "fixed" in event:
            current[1] = str(event["fixed"])
            current = None
        elif current is not None and "last_affected" in event:
            current[2] = str(event["last_affected"])
            current = None
    return found


def compact(record, name):
    """The parts of one OSV record the audit needs, for package ``name`` (None: not affected)."""
    if record.get("withdrawn"):
        return None
    entry = {"id": record["id"], "aliases": record.get("aliases", []), "ranges": [], "versions": []}
    fixed = []
    for affected in record.get("affected", []):
        package = affected.get("package", {})
        if package.get("ecosystem") != "PyPI" or canonical(package.get("name", "")) != name:
            continue
        entry["versions"] += [str(v) for v in affected.get("versions", [])]
        for block in affected.get("ranges", []):
            if block.get("type") in ("ECOSYSTEM", "SEMVER"):
                found = ranges(block.get("events", []))
                entry["ranges"] += found
                fixed += [r[1] for r in found if r[1]]
    if not entry["ranges"] and not entry["versions"]:
        return None
    entry["fixed"] = sorted(set(fixed))
    return entry


def build(lock, source=None):
    wanted = set(read_lock(lock))
    advisories = {}
    seen, newest = 0, date.min
    for path, text, changed in records(source):
        name = canonical(PurePosixPath(path).parts[1])
        seen += 1
        newest = max(newest, changed)
        if name not in wanted:
            continue
        entry = compact(yaml.safe_load(text), name)
        if entry is not None:
            advisories.setdefault(name, []).append(entry)
    if not seen:
        raise SystemExit(f"No advisory records found in {source or ARCHIVE}.")
    return {
        "source": f"pypa/advisory-database ({source or ARCHIVE}; {seen} records read)",
        "taken": datetime.now(UTC).date().isoformat(),
        "newest_record": newest.isoformat(),
        "packages": sorted(wanted),
        "advisories": {
            name: sorted(v, key=lambda a: a["id"]) for name, v in sorted(advisories.items())
        },
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("lock", nargs="?", default="requirements.lock")
    parser.add_argument("--from", dest="source", help="a checkout of the database, or its zip")
    parser.add_argument("-o", "--output", default=str(SNAPSHOT))
    args = parser.parse_args(argv)
    snapshot = build(args.lock, args.source)
    Path(args.output).write_text(json.dumps(snapshot, indent=1, sort_keys=True) + "\n")
    count = sum(len(v) for v in snapshot["advisories"].values())
    print(
        f"{args.output}: {count} advisories of {len(snapshot['advisories'])} of the "
        f"{len(snapshot['packages'])} pinned packages ({snapshot['source']})."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
