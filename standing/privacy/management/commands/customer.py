"""``standing customer export NUMBER -o FILE.zip``: the customer's data export (SPEC §10), as
staff answer an access request (screening evidence included unless restricted).
``standing customer schema [-o FILE]``: the JSON Schema of customer.json, from the models."""

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from standing.accounts.scoping import SYSTEM
from standing.customers.models import Customer
from standing.privacy import export, services


class Command(BaseCommand):
    help = "Customer data: export NUMBER -o FILE.zip · schema [-o FILE]"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        exp = sub.add_parser("export", help="the data export of one customer as a ZIP")
        exp.add_argument("number", help="customer number, e.g. K-000123")
        exp.add_argument("-o", "--output", required=True, help="the ZIP file to write")
        schema = sub.add_parser("schema", help="the JSON Schema of customer.json")
        schema.add_argument("-o", "--output", help="file to write (default: standard output)")

    def handle(self, subcommand, **options):
        if subcommand == "export":
            self.export(options["number"], options["output"])
        else:
            self.schema(options["output"])

    def export(self, number, output):
        customer = Customer.objects.select_related("group", "user").filter(number=number).first()
        if customer is None:
            raise CommandError(f"No customer with the number {number}.")
        path = Path(output)
        if not path.parent.is_dir():
            raise CommandError(f"{path.parent}: no such directory.")
        size = 0
        partial = path.with_name(path.name + ".part")
        try:
            with partial.open("wb") as stream:
                for chunk in services.start_export(customer, SYSTEM):
                    stream.write(chunk)
                    size += len(chunk)
            partial.replace(path)
        except OSError as error:
            partial.unlink(missing_ok=True)
            raise CommandError(f"{path}: {error.strerror}") from None
        self.stdout.write(f"{path}: data export of {customer.number}, {size} bytes")

    def schema(self, output):
        text = json.dumps(export.build_schema(), indent=2, ensure_ascii=False) + "\n"
        if output:
            Path(output).write_text(text, encoding="utf-8")
            self.stdout.write(f"schema written to {output}")
        else:
            sys.stdout.write(text)
