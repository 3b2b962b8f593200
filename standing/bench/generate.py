"""``standing bench generate --customers N [--seed S]``: a realistic marketplace, set-based.

German customers (umlauts, double names, addresses, E.164 phones, IBANs with valid check
digits by schwifty), about three orders each across several vendors (one-time payments and
monthly installment plans), about 10 % with a failed payment or a chargeback and so a claim (in
every claim state), blocks, and a deny list of ``--entries`` entries (default 1,000,000) with
their keys. Derived tables are filled as the product fills them: the customer's search keys
(``Customer.save``), the screening keys (``CustomerKeys``, ``screening.keys``), the vendor
links (``CustomerVendor``), the deny-list keys (through the product's own deny-list import) and
the customer number counter (``core.Sequence``).

Reproducible: customers are made in chunks of ``CHUNK``, chunk ``c`` from ``Random((seed,
c))`` only, in worker processes (two by default), so the same seed gives the same rows
whatever the number of processes. Loaded with COPY on PostgreSQL and executemany on SQLite
(``loader.BulkLoader``); nothing is generated twice: a second run adds to what is there.
"""

import csv
import os
import random
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import transaction

from standing.accounts.models import Role, User
from standing.accounts.scoping import SYSTEM
from standing.blocks.models import Block, BlockReason
from standing.claims.amounts import refresh_stale
from standing.claims.models import Claim, ClaimStatus, CollectionSettings
from standing.core.bulk import BulkLoader
from standing.core.models import Sequence
from standing.customers.management.commands.demo import CITIES, FIRST, LAST, STREETS
from standing.customers.models import Customer, CustomerVendor
from standing.customers.normalize import search_key
from standing.orders.models import Installment, Order, OrderItem
from standing.screening import denylist, keys
from standing.screening.models import CustomerKeys
from standing.vendors.models import Vendor

CHUNK = 5_000
# Id blocks per chunk (ids may leave gaps; they never collide and need no read-back).
ORDERS_PER_CUSTOMER_MAX = 6
INSTALLMENTS_PER_ORDER_MAX = 12
TODAY = date(2026, 11, 30)
EPOCH = datetime(2024, 1, 1, 8, 0, tzinfo=UTC)
BENCH_USER = "bench-staff"
BENCH_PASSWORD = "bench-staff-password"  # a scratch database's staff login, for the load test
VENDORS = [
    ("Bench Möbelhaus Nord GmbH", "MN"),
    ("Bench Elektro Süd AG", "ES"),
    ("Bench Fahrradverleih Köln", "FK"),
    ("Bench Mode & Schuhe OHG", "MS"),
    ("Bench Sportwelt GmbH", "SW"),
    ("Bench Gartenbedarf Müller KG", "GM"),
]
PRODUCTS = [
    ("SOFA-3", "Sofa „Lübeck“ 3-Sitzer", "899.00"),
    ("TV-55", "Fernseher 55 Zoll", "649.00"),
    ("EBIKE", "E-Bike Trekking", "2199.00"),
    ("JACKE", "Winterjacke", "149.90"),
    ("LAUFBAND", "Laufband „Ausdauer“", "1299.00"),
    ("RASENM", "Rasenmäher Akku", "399.00"),
    ("SCHUHE", "Wanderschuhe", "129.95"),
    ("KUEHL", "Kühlschrank A+++", "749.00"),
    ("HANDY", "Smartphone 128 GB", "499.00"),
    ("GRILL", "Gasgrill „Sommerfest“", "579.00"),
]
DOMAINS = ["gmx.de", "web.de", "t-online.de", "gmail.com", "outlook.de", "posteo.de", "mail.de"]
BANKS = ["37040044", "10070000", "20041133", "50010517", "70150000", "12030000", "76026000"]
MOBILE = ["151", "152", "157", "160", "162", "163", "170", "171", "172", "175", "176", "177"]
CLAIM_STATES = list(ClaimStatus.values)
CUSTOMER_STATES = ["active"] * 80 + ["verified"] * 8 + ["pending"] * 4 + ["denied"] * 8


def _person(rng):
    first = rng.choice(FIRST)
    if rng.random() < 0.08:
        first = f"{first}-{rng.choice(FIRST)}"
    last = rng.choice(LAST)
    roll = rng.random()
    if roll < 0.10:
        last = f"{last}-{rng.choice(LAST)}"  # a double name
    elif roll < 0.55:
        last = last + rng.choice(["er", "mann", "s", "inger", "hausen", "berg", "ke", "ler"])
    return first, last


def _iban(rng):
    """A German IBAN (compact) with valid check digits (ISO 13616 mod 97, as schwifty
    computes and checks them; the tests check a sample with schwifty)."""
    bban = rng.choice(BANKS) + f"{rng.randrange(10**6, 10**10):010d}"
    check = 98 - int(bban + "131400") % 97  # "DE00" moved to the end, D=13, E=14
    return f"DE{check:02d}{bban}"


class _Memo(dict):
    """Results of a product function for arguments seen before (names and streets repeat)."""

    def __init__(self, fn):
        super().__init__()
        self.fn = fn

    def __missing__(self, key):
        value = self[key] = self.fn(*key) if isinstance(key, tuple) else self.fn(key)
        return value


SEARCH_KEY = _Memo(search_key)
COMPACT = _Memo(keys.compact)
NAME_KEY = _Memo(keys.name_key)
ADDRESS_KEY = _Memo(keys.address_key)


def customer_keys(c):
    """``screening.keys.customer_keys`` of a generated customer, with the same functions
    (memoised: names and streets repeat). The phone is generated in E.164 and the IBAN
    compact, so their keys are the values themselves (``phone_key(e164) == e164``); the tests
    compare the result with ``keys.customer_keys`` for every generated customer."""
    return {
        "birth_date": c["birth_date"],
        "email_key": keys.email_key(c["email"]),
        "phone_key": c["phone"],
        "iban_key": c["iban"],
        "address_key": ADDRESS_KEY[(c["street"], c["postal_code"], c["country"])],
        "document_key": "",
    }


def _money(cents):
    return Decimal(cents).scaleb(-2)


def make_chunk(args):
    """Rows of all tables for the customers of chunk ``c`` (a pure function of its args)."""
    seed, c, first_number, ids, vendor_ids, count = args
    rng = random.Random(f"{seed}/{c}")
    out = {k: [] for k in ("customers", "keys", "links", "orders", "items", "installments")}
    out["claims"], out["blocks"] = [], []
    cust_id = ids["customer"] + c * CHUNK
    order_id = ids["order"] + c * CHUNK * ORDERS_PER_CUSTOMER_MAX
    item_id = ids["item"] + c * CHUNK * ORDERS_PER_CUSTOMER_MAX
    inst_id = ids["installment"] + c * CHUNK * ORDERS_PER_CUSTOMER_MAX * INSTALLMENTS_PER_ORDER_MAX
    claim_id = ids["claim"] + c * CHUNK
    for j in range(count):
        pk, number = cust_id + j, f"{settings.CUSTOMER_NUMBER_PREFIX}{first_number + j:06d}"
        first, last = _person(rng)
        postal, city = rng.choice(CITIES)
        birth = date(1945, 1, 1) + timedelta(days=rng.randrange(365 * 60))
        email = f"{COMPACT[first]}.{COMPACT[last]}{rng.randrange(1, 10**6)}@{rng.choice(DOMAINS)}"
        phone = (
            f"+49{rng.choice(MOBILE)}{rng.randrange(10**7, 10**8)}" if rng.random() < 0.8 else ""
        )
        iban = _iban(rng) if rng.random() < 0.45 else ""
        created = EPOCH + timedelta(minutes=rng.randrange(60 * 24 * 690))
        customer = {
            "id": pk,
            "number": number,
            "kind": "consumer",
            "first_name": first,
            "last_name": last,
            "birth_date": birth,
            "email": email,
            "phone": phone,
            "iban": iban,
            "street": f"{rng.choice(STREETS)} {rng.randrange(1, 180)}",
            "postal_code": postal,
            "city": city,
            "country": "DE",
            "status": rng.choice(CUSTOMER_STATES),
            "created_at": created,
            "updated_at": created,
        }
        # As Customer.save() derives them.
        customer["search_name"] = SEARCH_KEY[f"{last} {first} "]
        customer["first_key"] = SEARCH_KEY[first]
        customer["email_key"] = email.lower()
        out["customers"].append(customer)
        # As screening.matching.refresh_customer_keys derives them.
        k = customer_keys(customer)
        out["keys"].append(
            {
                "id": pk,
                "customer_id": pk,
                "birth_date": k["birth_date"],
                "email_key": k["email_key"],
                "phone_key": k["phone_key"],
                "iban_key": k["iban_key"],
                "address_key": k["address_key"],
                "document_key": k["document_key"],
            }
        )
        n_orders = rng.choice([1, 2, 2, 3, 3, 3, 4, 4, 5, 6])
        failing = rng.random() < 0.10
        fail_at = rng.randrange(n_orders) if failing else -1
        linked = set()
        for o in range(n_orders):
            vendor = rng.choice(vendor_ids)
            if vendor not in linked:
                linked.add(vendor)
                out["links"].append(
                    {"id": pk * 8 + len(linked), "customer_id": pk, "vendor_id": vendor}
                )
            oid = order_id + j * ORDERS_PER_CUSTOMER_MAX + o
            sku, name, price = rng.choice(PRODUCTS)
            amount = Decimal(price)
            ordered = created + timedelta(days=rng.randrange(0, 300), minutes=rng.randrange(600))
            installments = rng.choice([1, 1, 1, 3, 6, 12]) if amount > 100 else 1
            method = (
                "sepa_direct_debit"
                if iban and rng.random() < 0.6
                else rng.choice(["paypal", "card", "invoice"])
            )
            cents = int(amount * 100)
            parts = [cents // installments] * installments
            parts[-1] += cents - sum(parts)
            failed_seq = rng.randrange(installments) + 1 if o == fail_at else 0
            chargeback = failed_seq and rng.random() < 0.35
            paid = 0
            first_due = ordered.date() + timedelta(days=14)
            missed = Decimal(0)
            for s in range(installments):
                due = _add_months(first_due, s)
                part = parts[s]
                if failed_seq and s + 1 == failed_seq:
                    state = "charged_back" if chargeback else "failed"
                    missed += _money(part)
                elif failed_seq and s + 1 > failed_seq:
                    state = "stopped" if installments > 1 else "open"
                elif due <= TODAY:
                    state, paid = "paid", paid + part
                else:
                    state = "open"
                out["installments"].append(
                    {
                        "id": inst_id + (j * ORDERS_PER_CUSTOMER_MAX + o) * 12 + s,
                        "order_id": oid,
                        "sequence": s + 1,
                        "due_date": due,
                        "amount": _money(part),
                        "paid_amount": _money(part) if state == "paid" else Decimal("0.00"),
                        "state": state,
                    }
                )
            out["orders"].append(
                {
                    "id": oid,
                    "number": f"{oid:09d}",
                    "vendor_id": vendor,
                    "customer_id": pk,
                    "amount": amount,
                    "original_amount": amount,
                    "paid_amount": _money(paid),
                    "payment_method": method,
                    "plan_kind": "installments" if installments > 1 else "one_time",
                    "plan_interval": "monthly" if installments > 1 else "",
                    "status": "paid" if paid == cents else "open",
                    "created_at": ordered,
                    "received_at": ordered,
                }
            )
            out["items"].append(
                {
                    "id": item_id + j * ORDERS_PER_CUSTOMER_MAX + o,
                    "order_id": oid,
                    "kind": "sale",
                    "sku": sku,
                    "name": name,
                    "price": amount,
                }
            )
            if failed_seq:
                due = _add_months(first_due, failed_seq - 1)
                out["claims"].append(
                    _claim(rng, claim_id + j, vendor, oid, pk, installments, chargeback, due)
                )
        if rng.random() < 0.012:
            start = created + timedelta(days=rng.randrange(1, 400))
            lifted = rng.random() < 0.3
            out["blocks"].append(
                {
                    "id": pk,
                    "customer_id": pk,
                    "reason_code": rng.randrange(1000),
                    "note": "Zahlungsausfall, Rücksprache mit dem Händler",
                    "starts_at": start,
                    "ends_at": None if rng.random() < 0.7 else start + timedelta(days=90),
                    "lifted_at": start + timedelta(days=30) if lifted else None,
                    "status": "lifted" if lifted else "active",
                    "created_at": start,
                }
            )
    return c, out


def _claim(rng, pk, vendor, order, customer, installments, chargeback, due):
    status = rng.choice(CLAIM_STATES)
    kind = (
        ("chargeback_installment" if installments > 1 else "chargeback_one_time")
        if chargeback
        else ("failed_installment" if installments > 1 else "invoice_overdue")
    )
    row = {
        "id": pk,
        "vendor_id": vendor,
        "order_id": order,
        "order_number": f"{order:09d}",
        "customer_id": customer,
        "kind": kind,
        "debtor": "consumer",
        "status": status,
        "overdue_since": due,
        "default_since": due + timedelta(days=30),
        "limitation_date": date(due.year + 3, 12, 31),
        "dunning_option": "a",
        "opened_at": datetime(due.year, due.month, due.day, 6, 0, tzinfo=UTC),
    }
    if status != "open":
        row["dunning_started_on"] = due + timedelta(days=7)
    if status in ("dunning_1", "dunning_2", "on_hold", "sent_for_collection", "blocked"):
        row["first_letter_on"] = due + timedelta(days=7)
    if status in ("dunning_2", "on_hold", "sent_for_collection"):
        row["second_letter_on"] = due + timedelta(days=21)
    if status == "sent_for_collection":
        row["incasso_on"] = due + timedelta(days=35)
        row["auto_handover"] = rng.random() < 0.5
    if status in ("paid", "canceled"):
        row["closed_on"] = due + timedelta(days=rng.randrange(10, 60))
    if status == "canceled":
        row["cancel_reason"] = "Forderung vom Händler storniert"
    if status == "blocked":
        row["status_before_block"] = "dunning_1"
    return row


def _add_months(day, months):
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, 28))


# --- orchestration ---------------------------------------------------------------------------


class Progress:
    """A progress bar on stderr (one line, rewritten), with rows per second."""

    def __init__(self, label, total, stream=None):
        self.label, self.total, self.done = label, max(total, 1), 0
        self.stream = stream or sys.stderr
        self.start = time.perf_counter()
        self.last = 0.0

    def __call__(self, n):
        self.done += n
        now = time.perf_counter()
        if now - self.last >= 0.5 or self.done >= self.total:
            self.last = now
            share = min(self.done / self.total, 1.0)
            bar = "#" * int(share * 30)
            rate = self.done / max(now - self.start, 1e-9)
            self.stream.write(
                f"\r{self.label:<14} [{bar:<30}] {self.done:>10,}/{self.total:,} {rate:>9,.0f}/s"
            )
            self.stream.flush()

    def close(self):
        self.stream.write("\n")
        self.stream.flush()


def _vendors():
    ids = []
    for name, _short in VENDORS:
        vendor, _ = Vendor.objects.get_or_create(name=name, defaults={"legal_name": name})
        CollectionSettings.objects.get_or_create(
            vendor=vendor, defaults={"enabled": True, "first_letter_after_days": 7}
        )
        ids.append(vendor.pk)
    return ids


def bench_staff():
    """The scratch database's staff login and an operator-wide API token for the load test."""
    user = User.objects.filter(username=BENCH_USER).first()
    if user is None:
        user = User.objects.create_user(
            BENCH_USER, password=BENCH_PASSWORD, role=Role.SUPPORT, is_staff=True
        )
    return user


def generate(customers, seed=1, entries=None, processes=None, stdout=None, stderr=None):
    """Add ``customers`` customers (and their orders, claims, blocks) and the deny list."""
    stdout = stdout or sys.stdout
    entries = customers if entries is None else entries
    processes = processes or min(2, os.cpu_count() or 1)
    started = time.perf_counter()
    loader = BulkLoader()
    staff = bench_staff()
    vendor_ids = _vendors()
    reasons = list(BlockReason.objects.order_by("pk").values_list("pk", flat=True))
    ids = {
        "customer": loader.next_id(Customer),
        "order": loader.next_id(Order),
        "item": loader.next_id(OrderItem),
        "installment": loader.next_id(Installment),
        "claim": loader.next_id(Claim),
        "keys": loader.next_id(CustomerKeys),
        "link": loader.next_id(CustomerVendor),
        "block": loader.next_id(Block),
    }
    counter = Sequence.objects.filter(key="customer").values_list("last", flat=True).first() or 0
    chunks = [
        (seed, c, counter + 1 + c * CHUNK, ids, vendor_ids, min(CHUNK, customers - c * CHUNK))
        for c in range((customers + CHUNK - 1) // CHUNK)
    ]
    bar = Progress("customers", customers, stderr)
    # Rows are written in chunk order: the same seed gives the same ids and the same rows.
    pool = ProcessPoolExecutor(processes) if processes > 1 and len(chunks) > 1 else None
    with transaction.atomic():
        for _c, out in (pool.map if pool else map)(make_chunk, chunks):
            _write(loader, out, ids, reasons, staff)
            bar(len(out["customers"]))
        Sequence.objects.update_or_create(key="customer", defaults={"last": counter + customers})
    if pool:
        pool.shutdown()
    bar.close()
    if entries:
        load_denylist(entries, seed, stderr=stderr)
    loader.finish()
    # The board's cached open amounts of the claims loaded, as the worker's tick would compute
    # them a minute later (``claims.amounts``), set-based.
    refresh_stale()
    seconds = time.perf_counter() - started
    stdout.write(f"generated {customers:,} customers and {entries:,} entries in {seconds:.0f} s\n")
    return {"seconds": round(seconds, 1), **loader.counts}


def _write(loader, out, ids, reasons, staff):
    # Keys and links get their own id ranges, offset so they never collide with earlier rows.
    for row in out["keys"]:
        row["id"] = row["id"] - ids["customer"] + ids["keys"]
    for row in out["links"]:
        row["id"] = row["id"] - ids["customer"] * 8 + ids["link"]
    for row in out["blocks"]:
        row["id"] = row["id"] - ids["customer"] + ids["block"]
        row["reason_id"] = reasons[row.pop("reason_code") % len(reasons)]
        row["staff_id"] = staff.pk
        if row["lifted_at"]:
            row["lifted_by_id"] = staff.pk
            row["lift_reason"] = "Zahlung eingegangen"
    loader.load(Customer, out["customers"])
    loader.load(CustomerKeys, out["keys"])
    loader.load(CustomerVendor, out["links"])
    loader.load(Order, out["orders"])
    loader.load(OrderItem, out["items"])
    loader.load(Installment, out["installments"])
    loader.load(Claim, out["claims"])
    loader.load(Block, out["blocks"])


# --- the deny list ---------------------------------------------------------------------------


def denylist_csv(path, n, seed=1):
    """A deny-list CSV of ``n`` realistic rows (as a partner or an old system exports them):
    names and birth dates always, an email on about 60 %, a phone on 35 %, an IBAN on 20 %,
    an address on half, a document number on 10 %, written with spaces and in mixed case."""
    rng = random.Random(f"{seed}/denylist")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(denylist.COLUMNS)
        for i in range(n):
            first, last = _person(rng)
            birth = date(1945, 1, 1) + timedelta(days=rng.randrange(365 * 60))
            email = (
                f"{keys.compact(first).capitalize()}.{keys.compact(last)}{i}@{rng.choice(DOMAINS)}"
                if rng.random() < 0.6
                else ""
            )
            phone = (
                f"0{rng.choice(MOBILE)} {rng.randrange(10**7, 10**8)}"
                if rng.random() < 0.35
                else ""
            )
            iban = ""
            if rng.random() < 0.2:
                raw = _iban(rng)
                iban = " ".join(raw[k : k + 4] for k in range(0, len(raw), 4))
            street = postal = city = ""
            if rng.random() < 0.5:
                postal, city = rng.choice(CITIES)
                street = f"{rng.choice(STREETS)} {rng.randrange(1, 180)}"
            document = f"L{rng.randrange(10**7, 10**8)}" if rng.random() < 0.1 else ""
            writer.writerow(
                [
                    first,
                    last,
                    birth.isoformat(),
                    email,
                    phone,
                    iban,
                    street,
                    postal,
                    city,
                    "DE",
                    document,
                    "Zahlungsausfall" if rng.random() < 0.3 else "",
                ]
            )
    return path


def load_denylist(n, seed=1, stderr=None):
    """``n`` entries through the product's deny-list import (normalisation and keys as for
    any import), without the re-screening a real import enqueues (the generated customers are
    screened already)."""
    path = Path(settings.VAR_DIR) / "bench" / f"denylist-{seed}-{n}.csv"
    if not path.exists():
        denylist_csv(path, n, seed)
    importer = denylist.DenyListImport(
        SYSTEM, rescreen=False, source="bench", processes=denylist.default_processes()
    )
    return importer.apply(path)
