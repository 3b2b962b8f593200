"""The § 13a RDG handover data (SPEC §7 "The handover", law.md §6): what the collection agency
must tell a private person with its first demand, for each claim handed over.

``handover_record(claim)`` gives one claim's record as plain JSON-ready data:

- the creditor (the vendor) with its address, from ``letters.creditor`` (the one place that
  knows who is owed; § 13a I Nr. 1), and who collects on its behalf;
- the ground of the claim: the contract's subject (order number, products) and date (Nr. 2);
- the debtor (consumer or business) and the postal address the agency writes to;
- the open principal, and the interest calculation piece by piece: the principal bearing
  interest, the rate, the period from/to and its days, the amount of each piece (Nr. 3) — the
  claim's booked interest (its ledger, made by the law module at each letter and at the
  handover), or for a claim not yet handed over the law module's computation through today;
  a rate that rests on a base rate not yet in the table is marked ``provisional``;
- whether the rate is above the statutory default rate (never: Standing claims § 288 only, Nr. 4);
- each cost item with kind, amount and reason: dunning fees per letter, the § 288 V flat fee
  for business debtors, the bank's chargeback fees (Nr. 5); payments already made on costs and
  interest (§ 367 BGB);
- whether VAT on costs is claimed (no, Nr. 6) and whether the address was researched (no:
  the creditor supplied it, Nr. 7).

Amounts are decimal strings, dates ISO (``YYYY-MM-DD``), rates percent per year.

``write_handover_csv`` and ``write_handover_json`` stream any number of claims in constant
memory (claims read in chunks with their ledgers, installments, items and fee events
prefetched; the JSON array written element by element).
"""

import csv
import json
from datetime import date
from decimal import Decimal

from django.db.models import Prefetch
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy

from standing.core.money import ZERO, round_money
from standing.law import services as law
from standing.orders.models import Installment, OrderItem, PaymentEvent

from .amounts import accrued_interest, amounts_of, pieces_json
from .letters import creditor
from .models import Claim, ClaimEntry, ClaimStatus, EntryKind

VERSION = 1
CHUNK = 500
# Claims whose § 13a data are final (with the agency) or may be previewed (waiting for the
# vendor's approval of the handover).
HANDED_OVER = (ClaimStatus.SENT_FOR_COLLECTION,)
PREVIEW = (ClaimStatus.ON_HOLD,)

# The reasons given for each cost item (§ 13a I Nr. 5 RDG); the exports are written in German.
REASONS = {
    "dunning_fee": gettext_lazy(
        "Dunning fee of dunning letter %(level)s of %(on)s (actual costs, charged only after "
        "default began, §§ 280 II, 286 BGB)"
    ),
    "flat_fee": gettext_lazy(
        "Flat fee § 288 (5) BGB (the debtor is not a consumer), once per claim; set off "
        "against the costs of legal pursuit"
    ),
    "chargeback": gettext_lazy(
        "Bank fee of the chargeback (return debit) of %(on)s%(installment)s (actual costs, "
        "damages §§ 280, 286 BGB)"
    ),
    "chargeback_rest": gettext_lazy("Further chargeback costs of the order"),
    "address": gettext_lazy("Address supplied by the creditor, not researched."),
    "installment": gettext_lazy(", installment %(n)s"),
}
EXPORT_LANGUAGE = "de"
# The cost kinds of the record, as the claim's page names them.
COST_LABELS = {
    "dunning_fee": gettext_lazy("Dunning fee"),
    "flat_fee": gettext_lazy("Flat fee § 288 (5) BGB"),
    "chargeback_costs": gettext_lazy("Chargeback costs"),
}


def _money(value) -> str:
    return str(round_money(value if value is not None else ZERO))


def _iso(value):
    return value.isoformat() if value else None


def prefetched(queryset):
    """The claims with everything ``handover_record`` reads, prefetched per chunk."""
    return queryset.select_related("order", "customer", "vendor").prefetch_related(
        Prefetch("entries", queryset=ClaimEntry.objects.order_by("on", "id")),
        Prefetch("order__installments", queryset=Installment.objects.order_by("sequence")),
        Prefetch("order__items", queryset=OrderItem.objects.order_by("pk")),
        Prefetch(
            "order__events",
            queryset=PaymentEvent.objects.filter(fee__gt=0).order_by("date", "id"),
            to_attr="fee_events",
        ),
    )


def _creditor(claim):
    """The creditor (§ 13a I Nr. 1) as ``letters.creditor`` names it. Its address comes from
    there too; while vendors carry no address, that is the letterhead's, the operator's, who
    collects on the vendor's behalf (``address_of`` says whose it is)."""
    found = creditor(claim)
    name = found.get("name") or claim.vendor.name
    head = found.get("letterhead")
    address = {
        key: found[key] for key in ("street", "postal_code", "city", "country") if found.get(key)
    }
    address_of = "creditor"
    if not address.get("street") and head is not None:
        address = {"street": head.street, "postal_code": head.postal_code, "city": head.city}
        address_of = "creditor" if head.name == name else "collector"
    return {
        "name": name,
        "vendor_id": claim.vendor_id,
        "address": address,
        "address_of": address_of,
        "collector": found.get("collector") or "",
        "iban": found.get("iban") or "",
    }


def _interest(claim, entries, as_of, rates=None):
    """The interest calculation: the booked one (the ledger's latest interest entry holds
    every piece through its day), or the law module's through ``as_of`` when none is booked."""
    booked = [e for e in entries if e.kind == EntryKind.INTEREST]
    paid = -sum((e.amount for e in entries if e.kind == EntryKind.PAID_INTEREST), ZERO)
    if booked:
        latest = booked[-1]
        details = latest.details or {}
        provisional = bool(details.get("provisional"))
        pieces = [
            {**piece, "provisional": provisional and _provisional_piece(piece, rates)}
            for piece in details.get("pieces") or []
        ]
        total = sum((e.amount for e in booked), ZERO)
        through = details.get("through") or latest.on.isoformat()
        source = "ledger"
    else:
        result = accrued_interest(claim, as_of, rates=rates)
        pieces = [
            {**piece, "provisional": p.provisional}
            for piece, p in zip(pieces_json(result.pieces), result.pieces, strict=True)
        ]
        provisional = result.provisional
        total = result.total
        through = as_of.isoformat()
        source = "computed"
    return {
        "source": source,
        "through": through,
        "debtor": claim.debtor,
        "points_over_base_rate": 9 if claim.debtor == "business" else 5,
        "rate_above_statutory": False,
        "day_count": "act/act",
        "pieces": pieces,
        "total": _money(total),
        "paid": _money(paid),
        "open": _money(total - paid),
        "provisional": provisional,
    }


def _provisional_piece(piece, rates=None):
    """A booked piece is provisional when its days lie after the last half-year of the rate
    table (the entry only keeps the flag for the whole computation)."""
    try:
        return date.fromisoformat(piece["to"]) > law.known_until(rates)
    except (KeyError, TypeError, ValueError):
        return True


def _costs(claim, entries):
    items = []
    for entry in entries:
        if entry.kind == EntryKind.DUNNING_FEE:
            items.append(
                {
                    "kind": "dunning_fee",
                    "date": entry.on.isoformat(),
                    "amount": _money(entry.amount),
                    "reason": str(REASONS["dunning_fee"])
                    % {"level": entry.level, "on": entry.on.strftime("%d.%m.%Y")},
                }
            )
        elif entry.kind == EntryKind.FLAT_FEE:
            items.append(
                {
                    "kind": "flat_fee",
                    "date": entry.on.isoformat(),
                    "amount": _money(entry.amount),
                    "reason": str(REASONS["flat_fee"]),
                }
            )
    order = claim.order
    events = getattr(order, "fee_events", None)
    if events is None:
        events = list(order.events.filter(fee__gt=0).order_by("date", "id"))
    listed = ZERO
    for event in events:
        listed += event.fee
        items.append(
            {
                "kind": "chargeback_costs",
                "date": event.date.isoformat(),
                "amount": _money(event.fee),
                "reason": str(REASONS["chargeback"])
                % {
                    "on": event.date.strftime("%d.%m.%Y"),
                    "installment": str(REASONS["installment"]) % {"n": event.installment}
                    if event.installment
                    else "",
                },
            }
        )
    rest = order.cancellation_costs - listed
    if rest > 0:
        items.append(
            {
                "kind": "chargeback_costs",
                "date": None,
                "amount": _money(rest),
                "reason": str(REASONS["chargeback_rest"]),
            }
        )
    return items


def handover_record(claim, as_of: date | None = None, rates=None) -> dict:
    """The § 13a RDG data of one claim (see the module's text). ``as_of``: the day the
    figures are taken on; the handover day for a claim with the agency, else today."""
    as_of = as_of or claim.incasso_on or timezone.localdate()
    entries = list(claim.entries.all())
    installments = list(claim.order.installments.all())
    owed = amounts_of(claim, as_of, installments=installments, ledger=_ledger(claim, entries))
    order, customer = claim.order, claim.customer
    items = list(order.items.all())
    costs = _costs(claim, entries)
    interest = _interest(claim, entries, as_of, rates=rates)
    paid_costs = -sum((e.amount for e in entries if e.kind == EntryKind.PAID_COSTS), ZERO)
    costs_total = sum((Decimal(c["amount"]) for c in costs), ZERO)
    return {
        "version": VERSION,
        "claim_id": claim.pk,
        "vendor_id": claim.vendor_id,
        "order_id": order.number,
        "status": claim.status,
        "preview": claim.status not in HANDED_OVER,
        "as_of": as_of.isoformat(),
        "incasso_date": _iso(claim.incasso_on),
        "creditor": _creditor(claim),
        "contract": {
            "order_id": order.number,
            "date": timezone.localdate(order.created_at).isoformat(),
            "subject": "; ".join(f"{i.name} ({i.sku})" for i in items) or order.number,
            "products": [{"sku": i.sku, "name": i.name} for i in items],
            "amount": _money(order.amount),
            "payment_plan": order.plan_kind,
            "payment_method": order.payment_method,
        },
        "claim": {
            "kind": claim.kind,
            "overdue_since": _iso(claim.overdue_since),
            "default_since": _iso(claim.default_since),
            "first_dunning_letter": _iso(claim.first_letter_on),
            "second_dunning_letter": _iso(claim.second_letter_on),
            "limitation_date": _iso(claim.limitation_date),
        },
        "debtor": {
            "kind": claim.debtor,
            "customer_number": customer.number,
            "name": customer.full_name,
            "company": customer.company_name,
            "address": {
                "street": customer.street,
                "postal_code": customer.postal_code,
                "city": customer.city,
                "country": customer.country,
            },
            "address_researched": False,
            "address_note": str(REASONS["address"]),
        },
        "principal": _money(owed.principal),
        "order_amount": _money(owed.order_amount),
        "paid_amount": _money(owed.paid_amount),
        "interest": interest,
        "costs": costs,
        "costs_total": _money(costs_total),
        "costs_paid": _money(paid_costs),
        "vat_on_costs_claimed": False,
        "total": _money(owed.principal + costs_total - paid_costs + Decimal(interest["open"])),
    }


def _ledger(claim, entries):
    ledger = {k: {} for k in EntryKind.values}
    for entry in entries:
        totals = ledger[entry.kind]
        totals[claim.pk] = totals.get(claim.pk, ZERO) + entry.amount
    return ledger


def handed_over(queryset):
    """The claims with the agency (the export's rows), oldest handover first."""
    return queryset.filter(status__in=HANDED_OVER).order_by("incasso_on", "pk")


def records(claims, language=EXPORT_LANGUAGE):
    """``handover_record`` of each claim, read in chunks (constant memory): ``claims`` is a
    queryset (prefetched here) or any iterable of claims. The reasons are written in
    ``language`` (German: the agency writes to German debtors)."""
    rates = law.RateTable(law.base_rate_table())
    if hasattr(claims, "iterator"):
        claims = prefetched(claims).iterator(chunk_size=CHUNK)
    for claim in claims:
        with translation.override(language):
            record = handover_record(claim, rates=rates)
        yield record


CSV_HEADER = [
    "claim_id",
    "vendor_id",
    "order_id",
    "status",
    "incasso_date",
    "creditor_name",
    "creditor_address",
    "contract_subject",
    "contract_date",
    "debtor_kind",
    "debtor_name",
    "debtor_address",
    "address_researched",
    "vat_on_costs_claimed",
    "line",
    "kind",
    "date_from",
    "date_to",
    "days",
    "rate",
    "principal",
    "amount",
    "provisional",
    "reason",
]


def _address(address):
    place = f"{address.get('postal_code', '')} {address.get('city', '')}".strip()
    return ", ".join(part for part in (address.get("street", ""), place) if part)


def csv_rows(record):
    """The CSV lines of one record: one per fact (principal, each interest piece, interest
    total, each cost item, payments on costs, total), each carrying the claim's head."""
    head = [
        record["claim_id"],
        record["vendor_id"],
        record["order_id"],
        record["status"],
        record["incasso_date"] or "",
        record["creditor"]["name"],
        _address(record["creditor"]["address"]),
        record["contract"]["subject"],
        record["contract"]["date"],
        record["debtor"]["kind"],
        record["debtor"]["name"],
        _address(record["debtor"]["address"]),
        str(record["debtor"]["address_researched"]),
        str(record["vat_on_costs_claimed"]),
    ]
    interest = record["interest"]
    yield [*head, "principal", "principal", "", "", "", "", "", record["principal"], "", ""]
    for piece in interest["pieces"]:
        yield [
            *head,
            "interest_piece",
            "default_interest",
            piece["from"],
            piece["to"],
            piece["days"],
            piece["rate"],
            piece["principal"],
            piece["amount"],
            str(piece.get("provisional", False)),
            "",
        ]
    yield [
        *head,
        "interest_total",
        "default_interest",
        "",
        interest["through"],
        "",
        "",
        "",
        interest["open"],
        str(interest["provisional"]),
        f"booked {interest['total']}, paid {interest['paid']}",
    ]
    for cost in record["costs"]:
        yield [
            *head,
            "cost",
            cost["kind"],
            cost["date"] or "",
            "",
            "",
            "",
            "",
            cost["amount"],
            "",
            cost["reason"],
        ]
    if Decimal(record["costs_paid"]):
        yield [
            *head,
            "cost_paid",
            "payment_on_costs",
            "",
            "",
            "",
            "",
            "",
            "-" + record["costs_paid"],
            "",
            "",
        ]  # noqa: E501
    yield [*head, "total", "total", "", "", "", "", "", record["total"], "", ""]


def write_handover_csv(claims, fh) -> int:
    """The § 13a data of ``claims`` as CSV (UTF-8, comma, header row) to the text file ``fh``,
    one line per fact; streamed. Returns the number of claims written."""
    writer = csv.writer(fh, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    n = 0
    for record in records(claims):
        writer.writerows(csv_rows(record))
        n += 1
    return n


def iter_handover_json(claims):
    """The JSON array of the records, piece by piece (for a streamed answer)."""
    yield "["
    first = True
    for record in records(claims):
        yield ("\n" if first else ",\n") + json.dumps(record, ensure_ascii=False)
        first = False
    yield "\n]\n"


def write_handover_json(claims, fh) -> int:
    """The § 13a data of ``claims`` as one JSON array to the text file ``fh``, written element
    by element (constant memory). Returns the number of claims written."""
    n = 0
    fh.write("[")
    for record in records(claims):
        fh.write(("\n" if n == 0 else ",\n") + json.dumps(record, ensure_ascii=False))
        n += 1
    fh.write("\n]\n")
    return n


class _Echo:
    def write(self, value):
        return value


def iter_handover_csv(claims):
    """The CSV lines, piece by piece (for a streamed answer)."""
    writer = csv.writer(_Echo(), lineterminator="\n")
    yield writer.writerow(CSV_HEADER)
    for record in records(claims):
        for row in csv_rows(record):
            yield writer.writerow(row)


__all__ = [
    "Claim",
    "handed_over",
    "handover_record",
    "iter_handover_csv",
    "iter_handover_json",
    "write_handover_csv",
    "write_handover_json",
]
