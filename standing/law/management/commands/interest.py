"""``standing interest --principal AMOUNT --debtor consumer|business --from DATE --to DATE``."""

import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from standing.law import services


class Command(BaseCommand):
    help = (
        "The interest calculator (Zinsrechner): default interest on PRINCIPAL from the first "
        "day of default FROM through TO, both counted; the pieces, the total, the flat fee, "
        "whether provisional."
    )

    def add_arguments(self, parser):
        parser.add_argument("--principal", required=True, help="amount, e.g. 1000.00")
        parser.add_argument("--debtor", required=True, choices=services.DEBTORS)
        parser.add_argument("--from", dest="first", required=True, help="first day of default")
        parser.add_argument("--to", dest="last", required=True, help="last interest day")
        parser.add_argument("--json", action="store_true", help="the API's JSON answer")

    def handle(self, principal, debtor, first, last, json=False, **_):
        try:
            result = services.calculate(principal, debtor, first, last)
        except ValidationError as error:
            raise CommandError(
                " ".join(
                    f"--{field}: {message}"
                    for field, messages in error.message_dict.items()
                    for message in messages
                )
            ) from None
        if json:
            self.stdout.write(_dumps(result.as_dict()))
        else:
            self.write_table(result)

    def write_table(self, result):
        out = self.stdout.write
        out(
            f"Default interest on {result.principal} EUR, {result.debtor} debtor, "
            f"{result.first_day.isoformat()} through {result.last_day.isoformat()} "
            "(both days counted)"
        )
        out("from        to          days  base %  rate %  divisor     principal  amount (exact)")
        for piece in result.interest.pieces:
            out(
                f"{piece.start.isoformat()}  {piece.end.isoformat()}  {piece.days:>4}  "
                f"{piece.base_rate:>6}  {piece.rate:>6}  {piece.divisor:>7}  "
                f"{piece.principal:>12}  {services.exact_string(piece.amount):>14}"
                + ("  provisional" if piece.provisional else "")
            )
        out(f"Interest: {result.interest.total} EUR (pieces summed exactly, rounded once half up)")
        out(f"Flat fee (§ 288 V BGB): {result.flat_fee} EUR")
        if result.interest.provisional:
            out(
                f"Provisional: yes. The base-rate table ends on {result.known_until.isoformat()};"
                " later days use the last known rate until the next one is entered "
                "(standing law base-rate add)."
            )
        else:
            out("Provisional: no")


def _dumps(value):
    return json.dumps(value, indent=2, ensure_ascii=False)
