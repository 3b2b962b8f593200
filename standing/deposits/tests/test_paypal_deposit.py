import json

from standing.customers.models import CustomerStatus
from standing.deposits import services
from standing.deposits.models import OfferStatus
from standing.payments.tests.fake_paypal import GOOD_SIGNATURE, FakePayPal


def test_deposit_paid_through_paypal_verifies_the_customer(
    denied, support, client, settings, django_capture_on_commit_callbacks, mailoutbox
):
    fake = FakePayPal().start()
    try:
        settings.PAYPAL = {
            "client_id": "c",
            "secret": "s",
            "base_url": fake.base_url,
            "webhook_id": "WH-TEST",
        }
        settings.PAYMENT_PROVIDER = "paypal"
        with django_capture_on_commit_callbacks(execute=True):
            offer = services.offer_deposit(denied, support, "80", "receipt", "deposit", True)
        link = offer.payment_link
        link.refresh_from_db()
        assert link.payment_url.startswith("https://paypal.test/checkoutnow")
        # The offer email went out once the link was open, with its URL.
        [email] = mailoutbox
        assert link.payment_url in email.body
        headers = {
            "PAYPAL-AUTH-ALGO": "SHA256withRSA",
            "PAYPAL-CERT-URL": "https://api.paypal.test/cert.pem",
            "PAYPAL-TRANSMISSION-ID": "t1",
            "PAYPAL-TRANSMISSION-SIG": GOOD_SIGNATURE,
            "PAYPAL-TRANSMISSION-TIME": "2026-11-23T20:00:00Z",
        }
        event = {
            "id": "WH-77",
            "event_type": "PAYMENT.CAPTURE.COMPLETED",
            "resource": {
                "id": "CAP-77",
                "custom_id": link.token,
                "amount": {"currency_code": "EUR", "value": "80.00"},
            },
        }
        response = client.post(
            "/webhooks/paypal", json.dumps(event), content_type="application/json", headers=headers
        )
        assert response.json() == {"status": "paid"}
    finally:
        fake.stop()
    denied.refresh_from_db()
    offer.refresh_from_db()
    assert denied.status == CustomerStatus.VERIFIED and offer.status == OfferStatus.PAID
    assert offer.document.kind == "receipt"
