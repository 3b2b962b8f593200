from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from standing.core import backup


class Command(BaseCommand):
    help = "Back up the database and the uploaded files into one .tar.gz archive."

    def add_arguments(self, parser):
        parser.add_argument("-o", "--output", help="the archive (default: var/backups/…)")

    def handle(self, output=None, **options):
        if output is None:
            stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
            output = settings.VAR_DIR / "backups" / f"standing-{stamp}.tar.gz"
        try:
            path = backup.create(Path(output))
        except backup.BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(str(path))
