"""``standing demo``: realistic German demo data, idempotent, then the logins and tokens."""

import random
from datetime import date, timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from standing.accounts.models import ApiToken, Role, User
from standing.accounts.scoping import SYSTEM
from standing.core.demo import DEMO_STEPS
from standing.customers import access, services
from standing.customers.lifecycle import taking_over_history, transition
from standing.customers.models import Customer, CustomerGroup, CustomerStatus, CustomerVendor
from standing.customers.standing import standing
from standing.vendors.models import Vendor

FIRST = [
    "Anna",
    "Lena",
    "Lukas",
    "Leon",
    "Mia",
    "Emma",
    "Paul",
    "Jonas",
    "Felix",
    "Sophie",
    "Marie",
    "Lea",
    "Hannah",
    "Ben",
    "Elias",
    "Noah",
    "Finn",
    "Luis",
    "Emil",
    "Clara",
    "Ida",
    "Greta",
    "Jan",
    "Tim",
    "Tobias",
    "Julia",
    "Laura",
    "Sarah",
    "Katharina",
    "Michael",
    "Thomas",
    "Andreas",
    "Stefan",
    "Sabine",
    "Petra",
    "Monika",
    "Jürgen",
    "Uwe",
    "Karin",
    "Ursula",
    "Hans-Peter",
    "Anne-Marie",
    "Jörg",
    "Björn",
    "Günther",
    "Käthe",
    "Özlem",
    "Mehmet",
    "Ayşe",
    "Agnieszka",
    "Piotr",
    "Dimitri",
]
LAST = [
    "Müller",
    "Schmidt",
    "Schneider",
    "Fischer",
    "Weber",
    "Meyer",
    "Wagner",
    "Becker",
    "Schulz",
    "Hoffmann",
    "Schäfer",
    "Koch",
    "Bauer",
    "Richter",
    "Klein",
    "Wolf",
    "Schröder",
    "Neumann",
    "Schwarz",
    "Zimmermann",
    "Braun",
    "Krüger",
    "Hofmann",
    "Hartmann",
    "Lange",
    "Schmitt",
    "Werner",
    "Schmitz",
    "Krause",
    "Meier",
    "Lehmann",
    "Schmid",
    "Schulze",
    "Maier",
    "Köhler",
    "Herrmann",
    "König",
    "Walter",
    "Mayer",
    "Huber",
    "Kaiser",
    "Fuchs",
    "Peters",
    "Lang",
    "Scholz",
    "Möller",
    "Weiß",
    "Jung",
    "Hahn",
    "Vogel",
    "Friedrich",
    "Keller",
    "Günther",
    "Frank",
    "Berger",
    "Winkler",
    "Roth",
    "Beck",
    "Lorenz",
    "Baumann",
    "Franke",
    "Albrecht",
    "Schuster",
    "Simon",
    "Ludwig",
    "Böhm",
    "Winter",
    "Kraus",
    "Martin",
    "Schumacher",
    "Krämer",
    "Vogt",
    "Stein",
    "Jäger",
    "Otto",
    "Sommer",
    "Groß",
    "Seidel",
    "Heinrich",
    "Brandt",
    "Haas",
    "Schreiber",
    "Graf",
    "Schulte",
    "Dietrich",
    "Ziegler",
    "Kuhn",
]
CITIES = [
    ("10115", "Berlin"),
    ("20095", "Hamburg"),
    ("80331", "München"),
    ("50667", "Köln"),
    ("60311", "Frankfurt am Main"),
    ("70173", "Stuttgart"),
    ("40213", "Düsseldorf"),
    ("04109", "Leipzig"),
    ("44135", "Dortmund"),
    ("45127", "Essen"),
    ("28195", "Bremen"),
    ("01067", "Dresden"),
    ("30159", "Hannover"),
    ("90402", "Nürnberg"),
    ("47051", "Duisburg"),
]
STREETS = [
    "Hauptstraße",
    "Schulstraße",
    "Gartenstraße",
    "Bahnhofstraße",
    "Dorfstraße",
    "Bergstraße",
    "Birkenweg",
    "Lindenstraße",
    "Kirchstraße",
    "Waldstraße",
    "Ringstraße",
    "Am Markt",
    "Goethestraße",
    "Schillerstraße",
    "Friedhofsweg",
]
GROUPS = {
    "Standard": {},
    "Stammkunden": {"pay_by_invoice": "allow"},
    "Geschäftskunden": {"pay_by_invoice": "allow"},
    "Probezeit": {"book": "deny"},
}
LOGINS = [
    ("admin", Role.ADMIN, None),
    ("support", Role.SUPPORT, None),
    ("vendor1", Role.VENDOR, "Autovermietung Nord GmbH"),
    ("vendor2", Role.VENDOR, "FitnessWelt Süd GmbH"),
    ("shop", Role.INTEGRATION, None),
]
# The demo vendors as creditors (valid test IBANs).
VENDOR_CREDITORS = {
    "Autovermietung Nord GmbH": {
        "legal_name": "Autovermietung Nord GmbH",
        "street": "Hafenstraße 5",
        "postal_code": "20457",
        "city": "Hamburg",
        "iban": "DE02120300000000202051",
        "bic": "BYLADEM1001",
    },
    "FitnessWelt Süd GmbH": {
        "legal_name": "FitnessWelt Süd GmbH",
        "street": "Leopoldstraße 20",
        "postal_code": "80802",
        "city": "München",
        "iban": "DE02500105170137075030",
        "bic": "INGDDEFFXXX",
    },
}
# The people behind the demo logins, as staff lists ("Betreuer") show them.
NAMES = {
    "admin": ("Katrin", "Vogel"),
    "support": ("Jonas", "Becker"),
    "vendor1": ("Miriam", "Nordmann"),
    "vendor2": ("Deniz", "Südbeck"),
}
CUSTOMERS = 320
CUSTOMER_PASSWORD = "kunde-demo"


def mail_destination():
    """Where the installation's mail goes, in words for the person who runs it."""
    mailer = settings.MAILERS["default"]
    backend, options = mailer["BACKEND"], mailer.get("OPTIONS", {})
    if "filebased" in backend:
        return f"written as files to {options.get('file_path')} (nothing is sent)"
    if "console" in backend:
        return "printed by the worker (nothing is sent)"
    if "smtp" in backend:
        return f"sent through {options.get('host')}:{options.get('port')}"
    return f"handled by {backend}"


class Command(BaseCommand):
    help = "Load demo data (idempotent); print the logins and an API token of each role."

    def handle(self, **options):
        with transaction.atomic():
            vendors = {
                name: Vendor.objects.get_or_create(name=name)[0] for _, _, name in LOGINS if name
            }
            for name, creditor in VENDOR_CREDITORS.items():
                # Address and bank account: the vendors write their dunning letters themselves.
                Vendor.objects.filter(name=name, iban="").update(**creditor)
            users = {}
            for username, role, vendor_name in LOGINS:
                user, created = User.objects.get_or_create(
                    username=username,
                    defaults={
                        "role": role,
                        "vendor": vendors.get(vendor_name),
                        "is_staff": role == Role.ADMIN,
                        "is_superuser": role == Role.ADMIN,
                        "email": f"{username}@standing.example",
                    },
                )
                if created:
                    user.set_password(username)
                    user.save()
                if username in NAMES and not user.get_full_name():
                    user.first_name, user.last_name = NAMES[username]
                    user.save(update_fields=["first_name", "last_name"])
                users[username] = user
            groups = {
                name: CustomerGroup.objects.get_or_create(
                    name=name, defaults={"permissions": grants}
                )[0]
                for name, grants in GROUPS.items()
            }
            created = self.customers(groups, list(vendors.values()))
            for step in DEMO_STEPS:
                step(self, users, vendors)
            portal = self.customer_login()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready: {Customer.objects.count()} customers ({created} new)."
            )
        )
        self.stdout.write(f"Open {settings.SITE_URL}/ and log in (password = username):")
        for username, role, vendor_name in LOGINS:
            user = users[username]
            ApiToken.objects.filter(user=user, name="demo", revoked_at__isnull=True).update(
                revoked_at=user.date_joined
            )
            _token, raw = ApiToken.issue(user, name="demo")
            suffix = f" ({vendor_name})" if vendor_name else ""
            self.stdout.write(
                f"  {username:<8} {Role(role).label}{suffix}\n           API token: {raw}"
            )
        if portal is not None:
            self.stdout.write(
                f"  Customer login for {settings.SITE_URL}/me/: {portal.number} or "
                f"{portal.email}, password {CUSTOMER_PASSWORD}"
            )
        self.stdout.write(f"Mail: {mail_destination()}")

    @staticmethod
    def customer_login():
        """One active demo customer with a login, to see the customer's own page."""
        candidates = Customer.objects.filter(
            status=CustomerStatus.ACTIVE, email__endswith="@demo.standing.example"
        ).order_by("email")[:50]
        customer = next((c for c in candidates if standing(c)["can_login"]), None)
        if customer is None:
            return None
        user = access.ensure_login(customer, SYSTEM)
        if not user.has_usable_password():
            user.set_password(CUSTOMER_PASSWORD)
            user.save(update_fields=["password"])
        return customer

    def customers(self, groups, vendors):
        rng = random.Random(20261123)
        existing = set(
            Customer.objects.filter(email__endswith="@demo.standing.example").values_list(
                "email", flat=True
            )
        )
        created = 0
        statuses = (
            [CustomerStatus.ACTIVE] * 14
            + [CustomerStatus.VERIFIED] * 2
            + [CustomerStatus.PENDING] * 2
            + [CustomerStatus.DENIED] * 2
        )
        for i in range(1, CUSTOMERS + 1):
            first, last = rng.choice(FIRST), rng.choice(LAST)
            postal, city = rng.choice(CITIES)
            business = i % 9 == 0
            email = f"kunde{i:04d}@demo.standing.example"
            status = rng.choice(statuses)
            vendor = vendors[i % len(vendors)]
            values = dict(
                first_name=first,
                last_name=last,
                company_name=f"{last} {rng.choice(['GmbH', 'KG', 'e.K.', 'GbR'])}"
                if business
                else "",
                kind="business" if business else "consumer",
                birth_date=date(1950, 1, 1) + timedelta(days=rng.randrange(0, 365 * 52)),
                email=email,
                phone=f"+49 17{rng.choice('12569')} {rng.randrange(1000000, 9999999)}",
                street=f"{rng.choice(STREETS)} {rng.randrange(1, 120)}",
                postal_code=postal,
                city=city,
                country="DE",
                group=groups[
                    "Geschäftskunden"
                    if business
                    else rng.choice(["Standard", "Standard", "Stammkunden", "Probezeit"])
                ],
            )
            if email in existing:
                continue
            customer = services.create_customer(SYSTEM, vendor=vendor, **values)
            if i % 17 == 0:
                CustomerVendor.objects.get_or_create(customer=customer, vendor=vendors[0])
            self.walk_to(customer, status)
            created += 1
        return created

    @staticmethod
    def walk_to(customer, status):
        S = CustomerStatus
        path = {
            S.PENDING: [],
            S.VERIFIED: [S.VERIFIED],
            S.ACTIVE: [S.VERIFIED, S.ACTIVE],
            S.DENIED: [S.DENIED],
        }[status]
        # The demo's customers stand for years of history: no welcome mails for them today.
        with taking_over_history():
            for step in path:
                transition(customer, step, SYSTEM)
