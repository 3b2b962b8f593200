"""``standing bench generate`` at a small N, on the configured database (SQLite or PostgreSQL):
every table filled, derived keys as the product derives them, reproducible from the seed."""

import io
from datetime import date

import pytest
from django.core.management import call_command
from schwifty import IBAN

from standing.bench import generate
from standing.blocks.models import Block
from standing.claims.models import Claim, ClaimStatus
from standing.core.models import Sequence
from standing.customers.models import Customer, CustomerVendor
from standing.customers.normalize import search_key
from standing.orders.models import Installment, Order, OrderItem
from standing.screening import keys
from standing.screening.models import CustomerKeys, DenyEntry


def snapshot():
    return {
        "customers": list(
            Customer.objects.order_by("number").values_list(
                "number",
                "first_name",
                "last_name",
                "birth_date",
                "email",
                "phone",
                "iban",
                "street",
                "postal_code",
                "city",
                "status",
            )
        ),
        "orders": list(
            Order.objects.order_by("customer__number", "created_at").values_list(
                "customer__number",
                "vendor__name",
                "amount",
                "paid_amount",
                "plan_kind",
                "status",
                "created_at",
            )
        ),
        "installments": sorted(
            Installment.objects.values_list(
                "order__customer__number",
                "order__created_at",
                "sequence",
                "due_date",
                "amount",
                "state",
            )
        ),
        "claims": sorted(Claim.objects.values_list("customer__number", "kind", "status")),
        "blocks": sorted(Block.objects.values_list("customer__number", "status")),
        "entries": list(
            DenyEntry.objects.order_by("id").values_list(
                "first_name",
                "last_name",
                "birth_date",
                "email_key",
                "phone_key",
                "iban_key",
                "name_key",
                "address_key",
            )
        ),
    }


def wipe():
    for model in (Claim, Installment, OrderItem, Order, Block, CustomerVendor, CustomerKeys):
        model.objects.all().delete()
    Customer.objects.all().delete()
    DenyEntry.objects.all().delete()
    Sequence.objects.filter(key="customer").delete()


@pytest.mark.django_db
def test_generate_fills_every_table_as_the_product_would(tmp_path, settings):
    settings.VAR_DIR = tmp_path
    call_command(
        "bench",
        "generate",
        customers=1200,
        entries=400,
        seed=3,
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    assert Customer.objects.count() == 1200
    assert CustomerKeys.objects.count() == 1200
    assert DenyEntry.objects.count() == 400
    orders = Order.objects.count()
    assert 2.5 * 1200 < orders < 4 * 1200  # about three orders each
    assert OrderItem.objects.count() == orders
    assert Installment.objects.filter(order__plan_kind="installments").exists()
    assert Order.objects.values("vendor").distinct().count() == len(generate.VENDORS)
    assert CustomerVendor.objects.count() >= 1200
    assert set(Claim.objects.values_list("status", flat=True)) == set(ClaimStatus.values)
    failed = Customer.objects.filter(claims__isnull=False).distinct().count()
    assert 0.05 * 1200 < failed < 0.15 * 1200  # about 10 %
    assert Installment.objects.filter(state="charged_back").exists()
    assert Installment.objects.filter(state="failed").exists()
    assert Block.objects.exists()
    # Claims as the product keeps them: the order's number copied, the board's cached open
    # amount computed (check-data finds nothing to say about either).
    from standing.claims.integrity import open_amount_cache, order_number_copied

    assert not Claim.objects.filter(open_amount_until__isnull=True).exists()
    assert list(open_amount_cache()) == [] and list(order_number_copied()) == []
    # The customer number counter stands at the last number (the next registration is free).
    assert Sequence.objects.get(key="customer").last == 1200
    # German names: umlauts and double names; valid IBANs; E.164 phones.
    names = " ".join(Customer.objects.values_list("last_name", flat=True))
    assert any(ch in names for ch in "äöüÄÖÜß") and "-" in names
    for customer in Customer.objects.exclude(iban="")[:200]:
        assert IBAN(customer.iban).compact == customer.iban
    # Derived keys exactly as Customer.save() and screening's signal derive them.
    for customer in Customer.objects.select_related("screening_keys"):
        expected = keys.customer_keys(customer)
        stored = customer.screening_keys
        for column in ("email_key", "phone_key", "iban_key", "address_key", "document_key"):
            assert getattr(stored, column) == expected[column], (customer.number, column)
        assert stored.birth_date == customer.birth_date
        assert customer.search_name == search_key(f"{customer.last_name} {customer.first_name} ")
        assert customer.first_key == search_key(customer.first_name)
        assert customer.email_key == customer.email.lower()
    for entry in DenyEntry.objects.all()[:400]:
        stored = (entry.name_key, entry.email_key, entry.phone_key, entry.iban_key)
        entry.compute_keys()
        assert stored == (entry.name_key, entry.email_key, entry.phone_key, entry.iban_key)
    # A customer the product creates afterwards gets the next number, and its keys.
    from standing.accounts.scoping import SYSTEM
    from standing.customers.services import create_customer

    new = create_customer(SYSTEM, first_name="Jörg", last_name="Neu", birth_date=date(1990, 1, 2))
    assert new.number.endswith("001201")


@pytest.mark.django_db
def test_generate_is_reproducible_from_the_seed_whatever_the_processes(tmp_path, settings):
    settings.VAR_DIR = tmp_path
    generate.generate(
        generate.CHUNK + 300,
        seed=11,
        entries=50,
        processes=2,
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    first = snapshot()
    wipe()
    generate.generate(
        generate.CHUNK + 300,
        seed=11,
        entries=50,
        processes=1,
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    assert snapshot() == first
    wipe()
    generate.generate(300, seed=12, entries=0, stdout=io.StringIO(), stderr=io.StringIO())
    assert snapshot()["customers"] != first["customers"][:300]
