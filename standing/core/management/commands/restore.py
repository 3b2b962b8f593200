from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from standing.core import backup


class Command(BaseCommand):
    requires_system_checks = []
    help = (
        "Restore a backup made by 'standing backup' into the configured database and "
        "MEDIA_ROOT, then run 'standing check-data'."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive")
        parser.add_argument(
            "--replace", action="store_true", help="overwrite an existing database and files"
        )

    def handle(self, archive, replace=False, **options):
        if not Path(archive).is_file():
            raise CommandError(f"There is no file {archive}.")
        try:
            manifest = backup.restore(Path(archive), replace=replace)
        except backup.BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Restored the backup of {manifest['created_at']} ({manifest['engine']})."
        )
        call_command("migrate", verbosity=0)
        call_command("check_data", stdout=self.stdout, stderr=self.stderr)
