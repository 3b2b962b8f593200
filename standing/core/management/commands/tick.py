from datetime import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from standing.core.tick import run_tick


class Command(BaseCommand):
    help = "Do all time-driven work due at that moment (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--now", help="ISO date-time, e.g. 2026-12-01T09:00:00+01:00")

    def handle(self, now=None, **options):
        moment = timezone.now()
        if now:
            try:
                moment = datetime.fromisoformat(now)
            except ValueError:
                raise CommandError(f"--now: '{now}' is not an ISO date-time.") from None
            if timezone.is_naive(moment):
                moment = timezone.make_aware(moment)
        lines = run_tick(moment)
        for line in lines:
            self.stdout.write(line)
        self.stdout.write(f"tick {moment.isoformat()}: {len(lines)} job(s) did work")
