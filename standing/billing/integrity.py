"""Integrity checks of documents (``standing check-data``): numbered without gaps by law."""

import re
from collections import defaultdict

from django.db.models import DecimalField, F, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from standing.core.integrity import apart, files_match, invalid_choices
from standing.core.models import Sequence

from .models import Document, DocumentKind, DocumentLine

NUMBER = re.compile(r"^[A-Z]+-(\d{4})-(\d+)$")


def numbers_gapless():
    """Per kind and year the numbers run 1…n without a gap, and the counter stands at n."""
    series = defaultdict(list)
    for kind, year, number in Document.objects.values_list("kind", "year", "number"):
        match = NUMBER.match(number)
        if match is None or int(match.group(1)) != year:
            yield f"document {number} does not follow the pattern PREFIX-{year}-NNNNN"
            continue
        series[(kind, year)].append(int(match.group(2)))
    counters = dict(Sequence.objects.values_list("key", "last"))
    for (kind, year), numbers in sorted(series.items()):
        numbers.sort()
        missing = sorted(set(range(1, numbers[-1] + 1)) - set(numbers))
        if missing:
            yield f"{kind} {year}: numbers missing: {', '.join(map(str, missing[:20]))}"
        if len(numbers) != len(set(numbers)):
            yield f"{kind} {year}: a number is used twice"
        if counters.get(f"{kind}-{year}", 0) != numbers[-1]:
            yield (
                f"{kind} {year}: the counter stands at {counters.get(f'{kind}-{year}', 0)}, "
                f"the last document is {numbers[-1]}"
            )


def totals_add_up():
    lines = (
        DocumentLine.objects.filter(document=OuterRef("pk"))
        .values("document")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    wrong = Document.objects.annotate(
        lines_total=Coalesce(
            Subquery(lines, output_field=DecimalField()), Value(0), output_field=DecimalField()
        )
    ).filter(
        apart(
            [
                (F("net_total"), F("lines_total")),
                (F("gross_total"), F("net_total") + F("vat_total")),
            ]
        )
    )
    for number in wrong.values_list("number", flat=True)[:50]:
        yield f"document {number}: its totals do not add up to its lines"


def kinds_valid():
    yield from invalid_choices(Document.objects.all(), "kind", DocumentKind.choices)


def pdf_files():
    yield from files_match(Document.objects.all(), "pdf", "documents")


CHECKS = [numbers_gapless, totals_add_up, kinds_valid, pdf_files]
