"""The exchange file (SPEC §7): exact header, MM/DD/YYYY, True/False, the incasso_state mapping,
only the vendor-visible comment; the CLI export, the API export (scoped, filtered) and its route
order."""

import csv
import io
import json
from datetime import date

import pytest
from django.core.management import CommandError, call_command

from standing.claims.models import Claim, ClaimStatus, Visibility
from standing.collection.exchange import HEADER, INCASSO_STATE, write_exchange

from .conftest import comment

pytestmark = pytest.mark.django_db
S = ClaimStatus
GOLDEN_HEADER = (
    "vendor_id,order_id,first_dunning_letter,second_dunning_letter,incasso_date,"
    "support_comment,status_support,offer_link,incasso_state,reopened,reopened_id,"
    "invalid_address"
)


def export(claims):
    out = io.StringIO(newline="")
    write_exchange(claims, out)
    return out.getvalue()


def test_golden_file(vendor1, make_claim, make_order):
    again = make_order(vendor=vendor1, number="RE-77")
    claim = make_claim(
        vendor=vendor1,
        number="GOLD-1",
        status=S.CANCELED,
        first_letter_on=date(2020, 1, 31),
        second_letter_on=date(2020, 2, 14),
        reopened=True,
        reopened_order=again,
        invalid_address=True,
    )
    comment(claim, "intern: Anwalt angerufen", Visibility.INTERNAL)
    comment(claim, "Kunde hat neu bestellt, bitte nicht verfolgen")
    comment(claim, "nur intern, neuer", Visibility.INTERNAL)
    text = export(Claim.objects.filter(pk=claim.pk))
    assert text == (
        GOLDEN_HEADER + "\r\n"
        f"{vendor1.pk},GOLD-1,01/31/2020,02/14/2020,,"
        '"Kunde hat neu bestellt, bitte nicht verfolgen",canceled,,canceled,True,RE-77,True\r\n'
    )
    assert ",".join(HEADER) == GOLDEN_HEADER


@pytest.mark.parametrize(
    "status,agency",
    [
        (S.OPEN, "blocked"),
        (S.DUNNING_1, "blocked"),
        (S.DUNNING_2, "blocked"),
        (S.BLOCKED, "blocked"),
        (S.ON_HOLD, "on_hold"),
        (S.SENT_FOR_COLLECTION, "sent_for_collection"),
        (S.PAID, "paid"),
        (S.CANCELED, "canceled"),
    ],
)
def test_incasso_state_mapping(make_claim, status, agency):
    claim = make_claim(
        status=status,
        first_letter_on=date(2026, 2, 7),
        second_letter_on=date(2026, 2, 21),
        incasso_on=date(2026, 3, 7) if status == S.SENT_FOR_COLLECTION else None,
    )
    rows = list(csv.DictReader(io.StringIO(export(Claim.objects.filter(pk=claim.pk)))))
    assert rows[0]["status_support"] == status
    assert rows[0]["incasso_state"] == agency == INCASSO_STATE[status]
    assert rows[0]["reopened"] == "False" and rows[0]["invalid_address"] == "False"
    assert rows[0]["second_dunning_letter"] == "02/21/2026"
    assert rows[0]["incasso_date"] == ("03/07/2026" if status == S.SENT_FOR_COLLECTION else "")
    assert rows[0]["support_comment"] == ""


def test_cli_export_writes_every_claim_of_the_vendor_only(
    vendor1, vendor2, make_claim, tmp_path, capsys
):
    mine = [make_claim(vendor=vendor1, status=s) for s in (S.OPEN, S.PAID, S.ON_HOLD)]
    make_claim(vendor=vendor2, number="THEIRS-1")
    out = tmp_path / "inkasso.csv"
    call_command("collection", "export", "--vendor", str(vendor1.pk), "-o", str(out))
    rows = list(csv.DictReader(out.open(encoding="utf-8", newline="")))
    assert sorted(r["order_id"] for r in rows) == sorted(c.order.number for c in mine)
    assert {r["vendor_id"] for r in rows} == {str(vendor1.pk)}
    stdout = io.StringIO()
    call_command("collection", "export", "--vendor", str(vendor1.pk), stdout=stdout)
    assert stdout.getvalue() == out.read_bytes().decode("utf-8")
    for bad in ("x", "999999", "-1"):
        with pytest.raises(CommandError):
            call_command("collection", "export", "--vendor", bad)


def test_cli_export_writes_the_13a_data_beside_the_exchange_file(vendor1, make_claim, tmp_path):
    letters = {
        "first_letter_on": date(2026, 2, 7),
        "second_letter_on": date(2026, 2, 21),
        "incasso_on": date(2026, 3, 10),
    }
    sent = make_claim(vendor=vendor1, number="SENT-1", status=S.SENT_FOR_COLLECTION, **letters)
    make_claim(vendor=vendor1, number="STILL-OURS", status=S.DUNNING_1)
    out = tmp_path / "inkasso.csv"
    call_command("collection", "export", "--vendor", str(vendor1.pk), "-o", str(out))
    records = json.loads((tmp_path / "inkasso.13a.json").read_text(encoding="utf-8"))
    assert [r["order_id"] for r in records] == [sent.order.number]
    assert records[0]["interest"]["pieces"]
    rows = list(csv.DictReader((tmp_path / "inkasso.13a.csv").open(encoding="utf-8")))
    assert {r["order_id"] for r in rows} == {sent.order.number}
    assert "principal" in {r["kind"] for r in rows}


def test_api_export_is_scoped_and_filtered(
    api_as, vendor1_user, vendor2_user, support_user, vendor1, vendor2, make_claim
):
    a = make_claim(vendor=vendor1, number="API-1", status=S.ON_HOLD)
    b = make_claim(vendor=vendor1, number="API-2", status=S.PAID)
    make_claim(vendor=vendor2, number="API-THEIRS", status=S.ON_HOLD)
    response = api_as(vendor1_user).get("/claims/export.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode()
    assert text.splitlines()[0] == GOLDEN_HEADER
    assert {r["order_id"] for r in csv.DictReader(io.StringIO(text))} == {"API-1", "API-2"}
    # The same filters as GET /claims.
    text = b"".join(
        api_as(vendor1_user).get("/claims/export.csv", status="on_hold").streaming_content
    ).decode()
    assert [r["order_id"] for r in csv.DictReader(io.StringIO(text))] == ["API-1"]
    listed = api_as(vendor1_user).get("/claims", status="in_progress", q="API").json()
    text = b"".join(
        api_as(vendor1_user)
        .get("/claims/export.csv", status="in_progress", q="API")
        .streaming_content
    ).decode()
    assert [r["order_id"] for r in csv.DictReader(io.StringIO(text))] == [
        c["order"] for c in listed["items"]
    ]
    # Another vendor sees none of them; staff see all and may filter by vendor.
    text = b"".join(api_as(vendor2_user).get("/claims/export.csv").streaming_content).decode()
    assert {r["order_id"] for r in csv.DictReader(io.StringIO(text))} == {"API-THEIRS"}
    text = b"".join(
        api_as(support_user).get("/claims/export.csv", vendor=vendor1.pk).streaming_content
    ).decode()
    assert {r["order_id"] for r in csv.DictReader(io.StringIO(text))} == {
        a.order.number,
        b.order.number,
    }
    assert api_as(vendor1_user).get("/claims/export.csv", status="nope").status_code == 422
    assert api_as(vendor1_user).get("/claims/export.csv", min="abc").status_code == 422
    # The claim routes still answer beside it.
    assert api_as(vendor1_user).get(f"/claims/{a.pk}").json()["order"] == "API-1"


def test_api_export_refuses_customers_and_anonymous(api_as, customer, make_claim):
    make_claim()
    assert api_as(None).get("/claims/export.csv").status_code == 401
