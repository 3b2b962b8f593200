"""``standing dunning run [--date YYYY-MM-DD] [--vendor ID] [--dry-run]``: one dunning run.

``--date`` may be any day, past or future: the run acts as on that day (tests and demos replay
a timeline with it). ``--dry-run`` prints what the run would do and keeps nothing."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from standing.claims import run as dunning
from standing.vendors.models import Vendor

LABELS = {
    "opened": "claims opened",
    "reopened": "reopened (canceled)",
    "paid": "paid",
    "letters_1": "first letters",
    "letters_2": "second letters",
    "handovers": "handed over",
    "on_hold": "on hold (vendor approval)",
    "blocked": "blocked (invalid address)",
}


class Command(BaseCommand):
    help = "The dunning run: first and second letters, handovers, reopened and paid claims."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        run = sub.add_parser("run", help="one dunning run")
        run.add_argument("--date", help="act as on this day (YYYY-MM-DD); default: today")
        run.add_argument("--vendor", help="only this vendor (its integer id)")
        run.add_argument("--dry-run", action="store_true", help="show what would happen")

    def handle(self, action, date=None, vendor=None, dry_run=False, **options):
        as_of = _day(date)
        chosen = _vendor(vendor)
        outcome = dunning.run(as_of, vendor=chosen, dry_run=dry_run)
        head = f"Dunning run as of {as_of.isoformat()}"
        if chosen is not None:
            head += f" for vendor {chosen.pk} ({chosen.name})"
        if dry_run:
            head += " — dry run, nothing kept"
        elif outcome.run is not None:
            head += f" (run {outcome.run.pk})"
        self.stdout.write(head)
        for key, label in LABELS.items():
            self.stdout.write(f"  {label:<28} {outcome.summary.get(key, 0):>7}")


def _day(value) -> date:
    if value in (None, ""):
        return timezone.localdate()
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise CommandError(f"--date '{value}' is not a date; use YYYY-MM-DD.") from None


def _vendor(value):
    if value in (None, ""):
        return None
    if not str(value).isdigit():
        raise CommandError(f"--vendor '{value}' is not a vendor id (an integer).")
    found = Vendor.objects.filter(pk=int(value)).first()
    if found is None:
        raise CommandError(f"There is no vendor with the id {value}.")
    return found
