"""The exchange file with the collection agency (SPEC §7), written in one place.

``exchange_lines(claims)`` turns any claims queryset (all of a vendor's, or the board's filtered
rows) into the CSV lines, header first: UTF-8, comma-separated, dates ``MM/DD/YYYY`` (empty
when not reached), ``True``/``False``, ``incasso_state`` mapped from the claim's own state and
``support_comment`` holding only the latest comment the vendor and the agency may see (an
internal support comment never leaves the house).

Constant memory: the query is one ``SELECT`` of plain columns (no model instances) read in
chunks through the database's chunked cursor (a server-side cursor on PostgreSQL), and each
chunk is formatted and handed on at once. The CLI writes the lines into a file, the board and
the API stream them (``StreamingHttpResponse``).
"""

import csv
from collections.abc import Iterator
from datetime import date

from django.db.models import OuterRef, Subquery
from django.db.models.sql.constants import MULTI

from standing.claims.models import ClaimComment, ClaimStatus, Visibility

S = ClaimStatus
HEADER = (
    "vendor_id",
    "order_id",
    "first_dunning_letter",
    "second_dunning_letter",
    "incasso_date",
    "support_comment",
    "status_support",
    "offer_link",
    "incasso_state",
    "reopened",
    "reopened_id",
    "invalid_address",
)
# The agency's word for each of our states: still with us or being clarified is "blocked".
INCASSO_STATE = {
    S.OPEN: "blocked",
    S.DUNNING_1: "blocked",
    S.DUNNING_2: "blocked",
    S.BLOCKED: "blocked",
    S.ON_HOLD: "on_hold",
    S.SENT_FOR_COLLECTION: "sent_for_collection",
    S.PAID: "paid",
    S.CANCELED: "canceled",
}
INCASSO_STATES = ("canceled", "blocked", "sent_for_collection", "paid", "on_hold")
_MAP = {str(k): v for k, v in INCASSO_STATE.items()}
CHUNK = 5000
DATE_FORMAT = "%m/%d/%Y"


def incasso_state(status) -> str:
    return _MAP[str(status)]


def format_date(value) -> str:
    """``MM/DD/YYYY``; the database gives a date (PostgreSQL) or ISO text (SQLite)."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        return f"{value[5:7]}/{value[8:10]}/{value[0:4]}"
    return f"{value.month:02d}/{value.day:02d}/{value.year}"


def format_bool(value) -> str:
    return "True" if value else "False"


# The columns as selected (model fields first, the comment annotation last: the order in
# which Django's compiler selects them).
_FIELDS = (
    "vendor_id",
    "order__number",
    "first_letter_on",
    "second_letter_on",
    "incasso_on",
    "status",
    "offer_link__payment_url",
    "reopened",
    "reopened_order__number",
    "invalid_address",
    "vendor_comment",
)


def exchange_query(claims, ordering=("pk",)):
    """``claims`` as the plain columns of the exchange file (a values_list query)."""
    comment = (
        ClaimComment.objects.filter(claim=OuterRef("pk"), visibility=Visibility.VENDOR)
        .order_by("-created_at", "-id")
        .values("text")[:1]
    )
    return (
        claims.select_related(None)
        .annotate(vendor_comment=Subquery(comment))
        .order_by(*ordering)
        .values_list(*_FIELDS)
    )


def raw_rows(query, chunk_size=CHUNK) -> Iterator[list]:
    """The query's rows as the database driver gives them, chunk by chunk (the chunked cursor
    behind ``QuerySet.iterator``, without building a Python object per value)."""
    compiler = query.query.get_compiler(using=query.db)
    chunks = compiler.execute_sql(MULTI, chunked_fetch=True, chunk_size=chunk_size)
    if chunks is None:
        return
    yield from chunks


class _Line:
    """A file-like that hands back what csv.writer wrote."""

    def __init__(self):
        self.parts = []

    def write(self, text):
        self.parts.append(text)

    def take(self) -> str:
        text = "".join(self.parts)
        self.parts.clear()
        return text


def exchange_lines(claims, ordering=("pk",), chunk_size=CHUNK) -> Iterator[str]:
    """The exchange file of ``claims`` as text pieces: the header, then one piece per chunk of
    rows. Iterate it lazily (it reads the database while it is being consumed)."""
    buffer = _Line()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADER)
    yield buffer.take()
    fd, state, yes = format_date, _MAP, format_bool
    for chunk in raw_rows(exchange_query(claims, ordering), chunk_size):
        writer.writerows(
            (
                vendor,
                order,
                fd(first),
                fd(second),
                fd(incasso),
                comment or "",
                status,
                link or "",
                state[status],
                yes(reopened),
                reopened_id or "",
                yes(invalid),
            )
            for (
                vendor,
                order,
                first,
                second,
                incasso,
                status,
                link,
                reopened,
                reopened_id,
                invalid,
                comment,
            ) in chunk
        )
        yield buffer.take()


def write_exchange(claims, out, ordering=("pk",)) -> None:
    """Write the exchange file of ``claims`` into the text stream ``out``."""
    for piece in exchange_lines(claims, ordering):
        out.write(piece)


def parse_date(text: str) -> date | None:
    """A date of the exchange file (``MM/DD/YYYY``, empty: none); ValueError otherwise."""
    from datetime import datetime

    text = text.strip()
    if not text:
        return None
    if len(text) != 10 or text[2] != "/" or text[5] != "/":
        raise ValueError(text)
    return datetime.strptime(text, DATE_FORMAT).date()
