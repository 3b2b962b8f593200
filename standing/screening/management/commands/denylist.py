"""``standing denylist import FILE`` · ``standing denylist export [-o FILE]``."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from standing.accounts.models import User
from standing.accounts.scoping import SYSTEM, Actor
from standing.screening import denylist
from standing.screening.models import DenyEntry


class Command(BaseCommand):
    help = "Deny list ('Abgelehnt-Liste'): import FILE (CSV, atomic) or export [-o FILE]."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("import", help="import entries from a UTF-8 CSV file")
        load.add_argument("file")
        load.add_argument("--user", help="who adds the entries (default: system)")
        dump = sub.add_parser("export", help="write the deny list as CSV")
        dump.add_argument("-o", "--output", help="file to write (default: standard output)")

    def handle(self, action, **options):
        getattr(self, f"do_{action}")(**options)

    def do_import(self, file, user=None, **_):
        actor = SYSTEM
        if user:
            found = User.objects.filter(username=user).first()
            if found is None:
                raise CommandError(f"There is no user '{user}'.")
            actor = Actor.of(found)
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"There is no file '{file}'.")
        try:
            with path.open(encoding="utf-8-sig", newline="") as stream:
                count = denylist.import_csv(stream, actor, source_name=path.name)
        except denylist.ImportFailed as failure:
            for problem in failure.problems:
                self.stderr.write(problem)
            raise CommandError(
                f"{len(failure.problems)} problem(s) in {path.name}; nothing was imported."
            ) from None
        self.stdout.write(f"Imported {count} deny-list entries from {path.name}.")

    def do_export(self, output=None, **_):
        rows = denylist.export_rows(DenyEntry.objects.all())
        if output:
            with open(output, "w", encoding="utf-8", newline="") as fh:
                fh.writelines(rows)
            self.stderr.write(f"Wrote {DenyEntry.objects.count()} entries to {output}.")
        else:
            for row in rows:
                self.stdout.write(row, ending="")
