"""``standing collection export --vendor ID [-o FILE]`` and ``standing collection import FILE``
(SPEC §10): the exchange file with the collection agency, and its feedback applied atomically
(exit 1 and a line per bad row on error)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from standing.accounts.models import User
from standing.accounts.scoping import SYSTEM, Actor
from standing.claims.handover import handed_over, write_handover_csv, write_handover_json
from standing.claims.models import Claim
from standing.collection.exchange import write_exchange
from standing.collection.feedback import import_feedback
from standing.collection.models import Outcome
from standing.vendors.models import Vendor


class Command(BaseCommand):
    help = "The exchange file with the collection agency: export, and import its feedback."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        export = sub.add_parser("export", help="write the exchange file of a vendor's claims")
        export.add_argument("--vendor", required=True, help="the vendor's integer id")
        export.add_argument("-o", "--output", help="the file to write (default: stdout)")
        feedback = sub.add_parser("import", help="apply the agency's feedback file atomically")
        feedback.add_argument("file")
        feedback.add_argument("--staff", help="the staff member importing (username)")

    def handle(self, action, **options):
        if action == "export":
            return self.export(options["vendor"], options.get("output"))
        return self.import_(options["file"], options.get("staff"))

    def export(self, vendor_id, output):
        if not str(vendor_id).isdigit() or len(str(vendor_id)) > 18:
            raise CommandError(f"--vendor '{vendor_id}' is not a vendor id (an integer).")
        vendor = Vendor.objects.filter(pk=int(vendor_id)).first()
        if vendor is None:
            raise CommandError(f"There is no vendor {vendor_id}.")
        claims = Claim.objects.filter(vendor=vendor)
        if not output or output == "-":
            write_exchange(claims, _Raw(self.stdout))
            return
        path = Path(output)
        # Beside the exchange file: the § 13a RDG data of the claims with the agency (SPEC §7),
        # FILE.13a.csv and FILE.13a.json.
        handover = handed_over(claims)
        try:
            with path.open("w", encoding="utf-8", newline="") as out:
                write_exchange(claims, out)
            for suffix, write in (("csv", write_handover_csv), ("json", write_handover_json)):
                with path.with_suffix(f".13a.{suffix}").open(
                    "w", encoding="utf-8", newline=""
                ) as fh:
                    handed = write(handover, fh)
        except OSError as error:
            raise CommandError(f"{output}: {error.strerror}") from None
        self.stderr.write(f"{claims.count()} claims of vendor {vendor.pk} written to {output}")
        self.stderr.write(
            f"§ 13a data of {handed} claims with the agency written to "
            f"{path.with_suffix('.13a.csv')} and {path.with_suffix('.13a.json')}"
        )

    def import_(self, file, staff):
        path = Path(file)
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"{file}: {error.strerror}") from None
        actor = SYSTEM
        if staff:
            user = User.objects.filter(username=staff).first()
            if user is None or user.role not in ("admin", "support"):
                raise CommandError(f"'{staff}' is no operator staff member.")
            actor = Actor.of(user)
        record = import_feedback(data, path.name, actor)
        report = record.report
        if record.outcome != Outcome.APPLIED:
            if report.get("error"):
                self.stderr.write(report["error"])
            for problem in report.get("problems", []):
                self.stderr.write(problem["text"])
            raise CommandError(
                f"{len(report.get('problems', [])) or 1} problem(s) in {path.name}; nothing was "
                f"imported (import {record.pk})."
            )
        for change in report.get("changes", []):
            parts = [f"line {change['line']}: order {change['order']}"]
            if change.get("to"):
                parts.append(f"{change['from']} -> {change['to']}")
            if change.get("payment"):
                parts.append(f"paid {change['payment']}")
            if change.get("comment"):
                parts.append("comment kept")
            self.stdout.write(", ".join(parts))
        self.stdout.write(
            f"{record.applied} rows applied, {record.changed} claims changed (import {record.pk})."
        )


class _Raw:
    """The command's stdout as a plain text stream (no line endings added)."""

    def __init__(self, wrapper):
        self.wrapper = wrapper

    def write(self, text):
        self.wrapper.write(text, ending="")
