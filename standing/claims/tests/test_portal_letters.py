"""Issue 14's last gap: the customer's own dunning letters on /me/, with the PDF, scoped to
that customer (another customer's letter answers 404)."""

from datetime import date

import pytest
from django.test import Client

from standing.accounts.models import Role, User
from standing.claims import run as dunning
from standing.claims.models import Letter
from standing.core.tests.pdftext import pdf_text

pytestmark = pytest.mark.django_db
D0 = date(2026, 1, 31)


@pytest.fixture
def two_customers_with_letters(
    collection,
    make_order,
    event,
    customer_factory,
    vendor1,
    vendor2,
    django_capture_on_commit_callbacks,
):
    collection(first_letter_after_days=0, auto_handover=True)
    collection(vendor2, first_letter_after_days=0, auto_handover=True)
    mine = customer_factory(vendor=vendor1, first_name="Ayşe", last_name="Øzdemir-Łukasz")
    other = customer_factory(vendor=vendor2, first_name="Otto", last_name="Anders")
    orders = [make_order(customer=mine), make_order(vendor=vendor2, customer=other)]
    for order in orders:
        event(order, "payment_failed", D0, installment=1)
    with django_capture_on_commit_callbacks(execute=True):
        dunning.run(date(2026, 3, 2))
    login = User.objects.create_user("ayse", password="pw-ayse-12345", role=Role.CUSTOMER)
    mine.user = login
    mine.save()
    return mine, other, login


def test_the_customer_sees_and_downloads_their_own_letters(two_customers_with_letters):
    mine, other, login = two_customers_with_letters
    own = Letter.objects.get(claim__customer=mine)
    theirs = Letter.objects.get(claim__customer=other)
    client = Client()
    client.force_login(login)
    page = client.get("/me/").content.decode()
    assert 'id="my-dunning-letters"' in page
    assert f'data-letter="{own.pk}"' in page and own.claim.order.number in page
    assert "02.03.2026" in page and ("100,00" in page or "100.00" in page)
    assert f'data-letter="{theirs.pk}"' not in page and theirs.claim.order.number not in page
    response = client.get(f"/me/letters/{own.pk}.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = b"".join(response.streaming_content)
    assert "Ayşe Øzdemir-Łukasz" in pdf_text(pdf)
    # Another customer's letter, or one that does not exist: the same 404.
    assert client.get(f"/me/letters/{theirs.pk}.pdf").status_code == 404
    assert client.get("/me/letters/999999.pdf").status_code == 404


def test_only_customers_use_the_portal_download(two_customers_with_letters, support_user):
    mine, _other, _login = two_customers_with_letters
    own = Letter.objects.get(claim__customer=mine)
    client = Client()
    assert client.get(f"/me/letters/{own.pk}.pdf").status_code == 302  # to the login
    client.force_login(support_user)
    assert client.get(f"/me/letters/{own.pk}.pdf").status_code == 404
