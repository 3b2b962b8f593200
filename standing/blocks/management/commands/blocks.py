"""``standing blocks import-legacy FILE [--dry-run]``: the old system's blocks (SPEC §4)."""

from django.core.management.base import BaseCommand, CommandError
from django.db import IntegrityError

from standing.blocks.legacy import LegacyFileError, import_rows, read_legacy


class Command(BaseCommand):
    help = "Blocks: import-legacy FILE [--dry-run] takes over the old system's blocks."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        legacy = sub.add_parser(
            "import-legacy",
            help="CSV customer_number,since,until,reason,staff,note (UTF-8, ISO dates); "
            "all rows or none",
        )
        legacy.add_argument("file")
        legacy.add_argument(
            "--dry-run", action="store_true", help="check and report, write nothing"
        )

    def handle(self, subcommand, **options):
        if subcommand == "import-legacy":
            self.import_legacy(options["file"], options["dry_run"])

    def import_legacy(self, path, dry_run):
        try:
            with open(path, encoding="utf-8") as stream:
                report = read_legacy(stream)
        except OSError as error:
            raise CommandError(f"{path}: {error.strerror}") from None
        except LegacyFileError as error:
            raise CommandError(f"{path}: {error}") from None
        for line, why in report.skipped:
            self.stdout.write(f"line {line}: skipped, {why}")
        for line, why in report.unmatched:
            self.stdout.write(f"line {line}: not imported, {why}")
        for line, why in report.errors:
            self.stderr.write(f"line {line}: {why}")
        if report.errors:
            raise CommandError(
                f"{len(report.errors)} row(s) could not be matched or parsed; "
                "nothing was imported. Correct them and run the import again."
            )
        if dry_run:
            self.stdout.write(f"dry run: {report.summary()}; nothing was written.")
            return
        try:
            blocks = import_rows(report.new)
        except IntegrityError:
            raise CommandError(
                "Another import wrote some of these rows meanwhile; nothing was imported. "
                "Run it again to import the rest."
            ) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(blocks)} block(s) imported, {len(report.skipped)} already there, "
                f"{len(report.unmatched)} not imported (unknown customer number)."
            )
        )
