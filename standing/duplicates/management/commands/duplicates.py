"""``standing duplicates scan``: store the duplicate suggestions of every customer for the
"Dubletten" page (after a bulk import, or when the feature is first deployed; afterwards every
save of a customer keeps them up to date)."""

import time

from django.core.management.base import BaseCommand

from standing.customers.models import Customer
from standing.duplicates.services import GONE, refresh_pairs


class Command(BaseCommand):
    help = "Duplicates: scan stores the suggestions of every customer (idempotent)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        scan = sub.add_parser("scan", help="refresh the stored pairs of every customer")
        scan.add_argument("--chunk", type=int, default=2000, help="customers read at a time")

    def handle(self, subcommand, chunk, **options):
        start, done = time.perf_counter(), 0
        customers = Customer.objects.exclude(status__in=GONE).order_by("pk")
        for customer in customers.iterator(chunk_size=chunk):
            refresh_pairs(customer)
            done += 1
            if done % 10_000 == 0:
                self.stdout.write(f"{done} customers scanned")
        self.stdout.write(
            f"{done} customers scanned in {time.perf_counter() - start:.1f} s; "
            f"open pairs are listed on /duplicates/"
        )
