"""Demo data: two customers registered a second time (a typo, swapped names, another email),
so the card and the "Dubletten" page have suggestions to merge. Idempotent by its mark."""

from standing.accounts.scoping import Actor
from standing.customers import services
from standing.customers.models import Customer, CustomerStatus

MARK = "Demo: zweites Konto"


def demo_duplicates(command, users, vendors):
    if Customer.objects.filter(general_info=MARK).exists():
        return
    support = Actor.of(users["support"])
    originals = Customer.objects.filter(
        status__in=[CustomerStatus.ACTIVE, CustomerStatus.VERIFIED],
        birth_date__isnull=False,
        email__endswith="@demo.standing.example",
    ).order_by("id")[:2]
    for i, original in enumerate(originals):
        first, last = original.first_name, original.last_name
        values = {
            # A typo in the last name, or first and last name swapped.
            "first_name": first if i == 0 else last,
            "last_name": (last[:-1] + last[-1] * 2) if i == 0 else first,
            "birth_date": original.birth_date,
            "email": f"zweitkonto{i}.{original.email}",
            "street": original.street,
            "postal_code": original.postal_code,
            "city": original.city,
            "general_info": MARK,
        }
        twin = services.create_customer(support, **values)
        for link in original.vendor_links.all():
            services.link_vendor(twin, link.vendor)
        command.stdout.write(f"  Possible duplicate: {twin.number} of {original.number}")
