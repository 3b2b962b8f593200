"""``standing denylist import FILE`` · ``standing denylist export [-o FILE]``."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from standing.accounts.models import User
from standing.accounts.scoping import SYSTEM, Actor
from standing.core.csvimport import run_command
from standing.screening import denylist
from standing.screening.models import DenyEntry


class Command(BaseCommand):
    help = "Deny list ('Abgelehnt-Liste'): import FILE (CSV, atomic) or export [-o FILE]."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("import", help="import entries from a CSV file (all or none)")
        load.add_argument("file")
        load.add_argument("--dry-run", action="store_true", help="check and report, write nothing")
        load.add_argument("--user", help="who adds the entries (default: system)")
        dump = sub.add_parser("export", help="write the deny list as CSV")
        dump.add_argument("-o", "--output", help="file to write (default: standard output)")

    def handle(self, action, **options):
        getattr(self, f"do_{action}")(**options)

    def do_import(self, file, user=None, dry_run=False, **_):
        actor = SYSTEM
        if user:
            found = User.objects.filter(username=user).first()
            if found is None:
                raise CommandError(f"There is no user '{user}'.")
            actor = Actor.of(found)
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"There is no file '{file}'.")
        importer = denylist.DenyListImport(actor, processes=denylist.default_processes())
        report = run_command(self, importer, path, dry_run=dry_run)
        if dry_run:
            self.stdout.write(
                f"dry run: {report.valid} deny-list entries would be imported from "
                f"{path.name}; nothing was written."
            )
            return
        self.stdout.write(f"Imported {report.applied} deny-list entries from {path.name}.")

    def do_export(self, output=None, **_):
        rows = denylist.export_rows(DenyEntry.objects.all())
        if output:
            with open(output, "w", encoding="utf-8", newline="") as fh:
                fh.writelines(rows)
            self.stderr.write(f"Wrote {DenyEntry.objects.count()} entries to {output}.")
        else:
            for row in rows:
                self.stdout.write(row, ending="")
