"""Backups: the database and the uploaded files in one archive, and the way back.

``standing backup [-o FILE]`` writes a ``.tar.gz`` with ``manifest.json``, the database
(SQLite: a consistent copy through SQLite's online backup API, taken while the application
runs; PostgreSQL: ``pg_dump --format=custom``) and ``media/`` (customer files, document PDFs).
``standing restore FILE`` puts both back into the configured database and MEDIA_ROOT and then
runs ``check-data``. See README, "Backup and restore".
"""

import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.db import connections
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

FORMAT = 1


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why and what to do."""


def _pg_env(db):
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return env


def _pg_args(db):
    args = ["--dbname", db["NAME"]]
    if db.get("HOST"):
        args += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    return args


def _run(command, env):
    if shutil.which(command[0]) is None:
        raise BackupError(f"'{command[0]}' is not installed; PostgreSQL's client tools are needed.")
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BackupError(f"{command[0]} failed: {done.stderr.strip()}")


def create(target: Path, using="default") -> Path:
    """Write the archive ``target``; returns it."""
    connection = connections[using]
    db = connection.settings_dict
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        if connection.vendor == "sqlite":
            database = work / "database.sqlite3"
            source = sqlite3.connect(str(db["NAME"]))
            copy = sqlite3.connect(str(database))
            with copy:
                source.backup(copy)
            copy.close()
            source.close()
        elif connection.vendor == "postgresql":
            database = work / "database.pgdump"
            _run(
                ["pg_dump", "--format=custom", "--no-owner", "--file", str(database)]
                + _pg_args(db),
                _pg_env(db),
            )
        else:
            raise BackupError(f"No backup for the database engine {connection.vendor}.")
        manifest = {
            "format": FORMAT,
            "engine": connection.vendor,
            "database": database.name,
            "created_at": timezone.now().isoformat(),
            "migrations": MigrationRecorder(connection).migration_qs.count(),
        }
        (work / "manifest.json").write_text(json.dumps(manifest, indent=2))
        partial = target.with_name(target.name + ".partial")
        with tarfile.open(partial, "w:gz") as archive:
            archive.add(work / "manifest.json", "manifest.json")
            archive.add(database, database.name)
            media = Path(settings.MEDIA_ROOT)
            if media.is_dir():
                archive.add(media, "media")
        partial.replace(target)  # never a half-written archive under the final name
    return target


def _holds_tables(path: Path) -> bool:
    if not path.exists():
        return False
    probe = sqlite3.connect(str(path))
    try:
        return (
            probe.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0]
            > 0
        )
    finally:
        probe.close()


def restore(source: Path, using="default", replace=False):
    """Put the database and the files of the archive ``source`` back. An SQLite database or a
    media folder that holds data is only replaced with ``replace``."""
    connection = connections[using]
    db = connection.settings_dict
    with tempfile.TemporaryDirectory() as tmp, tarfile.open(source, "r:gz") as archive:
        work = Path(tmp)
        archive.extractall(work, filter="data")
        manifest = json.loads((work / "manifest.json").read_text())
        if manifest.get("format") != FORMAT:
            raise BackupError(f"{source} is not a Standing backup of format {FORMAT}.")
        if manifest["engine"] != connection.vendor:
            raise BackupError(
                f"The backup is of {manifest['engine']}, the configured database is "
                f"{connection.vendor}: set DATABASE_URL to a {manifest['engine']} database."
            )
        connections.close_all()
        if connection.vendor == "sqlite":
            target = Path(db["NAME"])
            if _holds_tables(target) and not replace:
                raise BackupError(f"{target} exists; restore with --replace to overwrite it.")
            for suffix in ("-wal", "-shm"):
                Path(f"{target}{suffix}").unlink(missing_ok=True)
            shutil.copyfile(work / manifest["database"], target)
        else:
            _run(
                ["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction"]
                + _pg_args(db)
                + [str(work / manifest["database"])],
                _pg_env(db),
            )
        media = Path(settings.MEDIA_ROOT)
        if (work / "media").is_dir():
            if media.is_dir() and any(media.iterdir()):
                if not replace:
                    raise BackupError(f"{media} is not empty; restore with --replace.")
                shutil.rmtree(media)
            shutil.copytree(work / "media", media)
    return manifest
