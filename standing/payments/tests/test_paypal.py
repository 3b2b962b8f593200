import json
from decimal import Decimal

import pytest

from standing.accounts.scoping import Actor
from standing.payments import services
from standing.payments.models import LinkStatus, PaymentLink, WebhookEvent
from standing.payments.providers import PaymentProviderError

from .fake_paypal import GOOD_SIGNATURE, FakePayPal


@pytest.fixture
def paypal(settings):
    fake = FakePayPal().start()
    settings.PAYPAL = {
        "client_id": "client",
        "secret": "secret",
        "base_url": fake.base_url,
        "webhook_id": "WH-TEST",
    }
    settings.PAYMENT_PROVIDER = "paypal"
    yield fake
    fake.stop()


@pytest.fixture
def link(paypal, customer, support_user):
    return services.create_link(customer, Decimal("150.00"), "Kaution", Actor.of(support_user))


def test_create_order_with_custom_id_and_request_id(link, paypal):
    assert link.provider == "paypal" and link.provider_reference == "ORDER0001"
    assert link.payment_url == "https://paypal.test/checkoutnow?token=ORDER0001"
    ((_path, headers, raw),) = paypal.calls("/v2/checkout/orders")
    body = json.loads(raw)
    unit = body["purchase_units"][0]
    assert body["intent"] == "CAPTURE"
    assert unit["custom_id"] == link.token
    assert unit["amount"] == {"currency_code": "EUR", "value": "150.00"}
    assert headers["PayPal-Request-Id"] == f"order-{link.token}"
    assert paypal.calls("/v1/oauth2/token")


def test_provider_down_creates_nothing(paypal, customer, support):
    paypal.fail_next = 500
    with pytest.raises(PaymentProviderError):
        services.create_link(customer, Decimal("10"), "x", support)
    assert not PaymentLink.objects.exists()


def _webhook(client, event, signature=GOOD_SIGNATURE):
    headers = {
        "PAYPAL-AUTH-ALGO": "SHA256withRSA",
        "PAYPAL-CERT-URL": "https://api.paypal.test/cert.pem",
        "PAYPAL-TRANSMISSION-ID": "t-" + event["id"],
        "PAYPAL-TRANSMISSION-SIG": signature,
        "PAYPAL-TRANSMISSION-TIME": "2026-11-23T20:00:00Z",
    }
    return client.post(
        "/webhooks/paypal", json.dumps(event), content_type="application/json", headers=headers
    )


def _approved(link, event_id="WH-1"):
    return {
        "id": event_id,
        "event_type": "CHECKOUT.ORDER.APPROVED",
        "resource": {"id": link.provider_reference, "status": "APPROVED"},
    }


def _completed(link, event_id="WH-2", value="150.00"):
    return {
        "id": event_id,
        "event_type": "PAYMENT.CAPTURE.COMPLETED",
        "resource": {
            "id": "CAPTURE1",
            "status": "COMPLETED",
            "custom_id": link.token,
            "amount": {"currency_code": "EUR", "value": value},
            "supplementary_data": {"related_ids": {"order_id": link.provider_reference}},
        },
    }


def test_approved_captures_and_completed_marks_paid(client, link, paypal):
    response = _webhook(client, _approved(link))
    assert response.status_code == 200 and response.json() == {"status": "captured"}
    ((path, headers, _raw),) = paypal.calls("/capture")
    assert path == f"/v2/checkout/orders/{link.provider_reference}/capture"
    assert headers["PayPal-Request-Id"] == f"capture-{link.provider_reference}"
    link.refresh_from_db()
    assert link.status == LinkStatus.CREATED  # paid only when the capture completed
    assert _webhook(client, _completed(link)).json() == {"status": "paid"}
    link.refresh_from_db()
    assert link.status == LinkStatus.PAID and link.capture_reference == "CAPTURE1"
    verify = paypal.calls("/verify-webhook-signature")
    assert json.loads(verify[0][2])["webhook_id"] == "WH-TEST"


def test_same_webhook_twice_is_processed_once(client, link, paypal):
    assert _webhook(client, _approved(link)).json()["status"] == "captured"
    assert _webhook(client, _approved(link)).json()["status"] == "duplicate"
    assert len(paypal.calls("/capture")) == 1
    assert WebhookEvent.objects.count() == 1


def test_unverified_webhook_is_refused(client, link, paypal):
    response = _webhook(client, _completed(link), signature="forged")
    assert response.status_code == 400 and "signature" in response.json()["detail"]
    link.refresh_from_db()
    assert link.status == LinkStatus.CREATED and not WebhookEvent.objects.exists()
    response = client.post(
        "/webhooks/paypal", json.dumps(_completed(link)), content_type="application/json"
    )
    assert response.status_code == 400
    link.refresh_from_db()
    assert link.status == LinkStatus.CREATED


def test_capture_failure_answers_503_and_the_retry_processes(client, link, paypal):
    event = _approved(link)
    paypal.fail_next = None
    # Verification succeeds, then the capture fails: PayPal must deliver again.
    original = paypal.answer

    def failing_capture(path, headers, raw):
        if path.endswith("/capture"):
            return 500, {"name": "INTERNAL_SERVER_ERROR"}
        return original(path, headers, raw)

    paypal.answer = failing_capture
    assert _webhook(client, event).status_code == 503
    assert not WebhookEvent.objects.exists()
    paypal.answer = original
    assert _webhook(client, event).json()["status"] == "captured"


def test_mismatched_amount_does_not_pay(client, link):
    assert _webhook(client, _completed(link, value="1.00")).json()["status"] == "ignored"
    link.refresh_from_db()
    assert link.status == LinkStatus.CREATED


def test_denied_capture_fails_the_link(client, link):
    event = {**_completed(link, "WH-9"), "event_type": "PAYMENT.CAPTURE.DENIED"}
    assert _webhook(client, event).json()["status"] == "failed"
    link.refresh_from_db()
    assert link.status == LinkStatus.FAILED


@pytest.mark.parametrize("body", ["not json", "[]", '{"id": "x"}', '{"event_type": "X"}'])
def test_malformed_webhook_is_400(client, paypal, body, db):
    response = client.post("/webhooks/paypal", body, content_type="application/json")
    assert response.status_code == 400 and "detail" in response.json()


def test_webhook_only_post(client, db):
    assert client.get("/webhooks/paypal").status_code == 405


def test_paypal_unreachable_on_verify_is_503(client, link, paypal, settings):
    settings.PAYPAL = {**settings.PAYPAL, "base_url": "http://127.0.0.1:9"}
    assert _webhook(client, _approved(link)).status_code == 503
