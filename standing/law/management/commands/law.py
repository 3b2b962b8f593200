"""``standing law base-rate add YYYY-MM-DD PERCENT`` · ``standing law base-rate list``."""

from datetime import date

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.timezone import localtime

from standing.accounts.models import User
from standing.accounts.scoping import SYSTEM, Actor
from standing.law import rates, services


def _messages(error: ValidationError) -> str:
    if hasattr(error, "message_dict"):
        return " ".join(m for messages in error.message_dict.values() for m in messages)
    return " ".join(error.messages)


def _iso_date(value):
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"'{value}' is not a date: use YYYY-MM-DD, e.g. 2026-07-01.") from None


class Command(BaseCommand):
    help = "German dunning law: the § 247 BGB base-rate table (base-rate add DATE PERCENT, list)."

    def add_arguments(self, parser):
        topics = parser.add_subparsers(dest="topic", required=True)
        base_rate = topics.add_parser("base-rate", help="the § 247 BGB base-rate table")
        actions = base_rate.add_subparsers(dest="action", required=True)
        add = actions.add_parser(
            "add", help="enter the base rate in force from DATE (1 January or 1 July)"
        )
        add.add_argument("date", help="YYYY-MM-DD, 1 January or 1 July")
        add.add_argument("percent", help="the base rate in percent, e.g. 1.52 or -0.88")
        add.add_argument("--source", default="", help="where the rate was published")
        add.add_argument("--user", help="who enters it (default: system)")
        actions.add_parser("list", help="the table with its sources")
        remove = actions.add_parser("remove", help="take back the last rate entered")
        remove.add_argument("date", help="YYYY-MM-DD")
        remove.add_argument("--user", help="who removes it (default: system)")

    def handle(self, topic, action, **options):
        getattr(self, f"do_{action}")(**options)

    def _actor(self, username):
        if not username:
            return SYSTEM
        found = User.objects.filter(username=username).first()
        if found is None:
            raise CommandError(f"There is no user '{username}'.")
        return Actor.of(found)

    def do_add(self, date, percent, source="", user=None, **_):
        actor = self._actor(user)
        try:
            rate = rates.add_base_rate(
                _iso_date(date), percent.replace(",", "."), actor=actor, source=source
            )
        except ValidationError as error:
            raise CommandError(_messages(error)) from None
        self.stdout.write(
            f"Base rate from {rate.valid_from.isoformat()}: {rate.percent} % "
            f"(consumers {rate.percent + services.POINTS['consumer']} %, "
            f"business {rate.percent + services.POINTS['business']} %), "
            f"entered by {rate.added_by}."
        )
        self.stdout.write(
            f"Known until {rates.known_until().isoformat()}; later days are provisional."
        )

    def do_remove(self, date, user=None, **_):
        actor = self._actor(user)
        try:
            rates.remove_base_rate(_iso_date(date), actor=actor)
        except ValidationError as error:
            raise CommandError(_messages(error)) from None
        self.stdout.write(f"Base rate from {date} removed.")

    def do_list(self, **_):
        table = rates.base_rate_table()
        self.stdout.write("valid from   base %  consumer %  business %  source")
        for rate in table:
            if rate.shipped:
                origin = rate.source
            else:
                origin = (
                    f"entered by {rate.added_by} on {localtime(rate.added_at):%Y-%m-%d %H:%M %Z}"
                )
                if rate.source:
                    origin += f": {rate.source}"
            self.stdout.write(
                f"{rate.valid_from.isoformat()}  {rate.percent:>6}  "
                f"{rate.percent + services.POINTS['consumer']:>10}  "
                f"{rate.percent + services.POINTS['business']:>10}  {origin}"
            )
        until = rates.known_until(table)
        self.stdout.write(
            f"Known until {until.isoformat()}; later days use the last rate and are marked "
            "provisional."
        )
        if timezone.localdate() > until:
            next_day = rates.next_half_year(table[-1].valid_from).isoformat()
            self.stdout.write(
                self.style.WARNING(
                    f"Today is past the table: enter the base rate from {next_day} "
                    f"(standing law base-rate add {next_day} PERCENT --source ...)."
                )
            )
