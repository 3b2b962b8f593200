"""``standing blocks import-legacy FILE [--dry-run]``: the old system's blocks (SPEC §4)."""

from django.core.management.base import BaseCommand, CommandError
from django.db import IntegrityError

from standing.blocks.legacy import LegacyBlocks
from standing.core.csvimport import run_command


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
            report = run_command(self, LegacyBlocks(), path, dry_run=dry_run)
        except IntegrityError:
            raise CommandError(
                "Another import wrote some of these rows meanwhile; nothing was imported. "
                "Run it again to import the rest."
            ) from None
        if dry_run:
            self.stdout.write(
                f"dry run: {report.valid} block(s) would be imported, "
                f"{len(report.skipped)} skipped; nothing was written."
            )
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"{report.applied} block(s) imported, {len(report.skipped)} skipped."
            )
        )
