from django.core.management import call_command
from django.core.management.base import BaseCommand

from standing.core.tasks import ensure_periodic_tick


class Command(BaseCommand):
    help = "Run the background worker (django-tasks-db) and keep the periodic tick scheduled."

    def add_arguments(self, parser):
        parser.add_argument("--batch", action="store_true", help="Process what is due, then stop.")

    def handle(self, batch, **options):
        ensure_periodic_tick()
        args = ["--queue-name", "default", "--interval", "1"]
        if batch:
            args.append("--batch")
        call_command("db_worker", *args)
