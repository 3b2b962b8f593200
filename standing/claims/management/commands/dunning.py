"""``standing dunning run [--date YYYY-MM-DD] [--vendor ID] [--dry-run]``: one dunning run.

``--date`` may be any day, past or future: the run acts as on that day (tests and demos replay
a timeline with it). ``--dry-run`` prints what the run would do and keeps nothing.

``standing dunning handover --vendor ID [-o DIR]``: the § 13a RDG handover data of the
vendor's claims with the agency, as ``handover-<vendor>-<date>.csv`` and ``.json`` in DIR
(default: the current directory), streamed."""

from datetime import date
from pathlib import Path

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
        handover = sub.add_parser(
            "handover", help="the § 13a RDG data of the claims with the agency (CSV and JSON)"
        )
        handover.add_argument("--vendor", required=True, help="the vendor (its integer id)")
        handover.add_argument("-o", "--output", default=".", help="the directory to write to")

    def handle(self, action, date=None, vendor=None, dry_run=False, **options):
        if action == "handover":
            return self.handover(_vendor(vendor), options.get("output") or ".")
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

    def handover(self, vendor, output):
        from standing.claims.handover import handed_over, write_handover_csv, write_handover_json
        from standing.claims.models import Claim

        folder = Path(output)
        if not folder.is_dir():
            raise CommandError(f"-o '{output}' is not a directory.")
        claims = handed_over(Claim.objects.filter(vendor=vendor))
        stem = f"handover-{vendor.pk}-{timezone.localdate().isoformat()}"
        written = {}
        for suffix, write in (("csv", write_handover_csv), ("json", write_handover_json)):
            path = folder / f"{stem}.{suffix}"
            try:
                with path.open("w", encoding="utf-8", newline="") as fh:
                    written[suffix] = write(claims, fh)
            except OSError as error:
                raise CommandError(f"Cannot write {path}: {error.strerror}") from None
            self.stdout.write(str(path))
        self.stdout.write(
            f"§ 13a handover data of {written['json']} claims of vendor {vendor.pk} ({vendor.name})"
        )


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
