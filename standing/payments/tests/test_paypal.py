import json
from decimal import Decimal

import pytest

from standing.accounts.scoping import Actor
from standing.payments import services
from standing.payments.models import LinkStatus, PaymentLink, WebhookEvent

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
def committed(django_capture_on_commit_callbacks):
    """Run the block's after-commit work (the provider tasks) as a real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def link(paypal, customer, support_user, committed):
    with committed():
        link = services.create_link(customer, Decimal("150.00"), "Kaution", Actor.of(support_user))
    link.refresh_from_db()
    return link


def test_paypal_is_not_called_inside_the_transaction(
    paypal, customer, support, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as after_commit:
        link = services.create_link(customer, Decimal("10.00"), "x", support)
    assert link.status == LinkStatus.CREATING and not paypal.calls("/v2/checkout/orders")
    for callback in after_commit:
        callback()  # the commit: the task asks PayPal
    link.refresh_from_db()
    assert link.status == LinkStatus.CREATED and paypal.calls("/v2/checkout/orders")
    assert [(t.from_state, t.to_state) for t in services.LINK.history(link)] == [
        ("creating", "created")
    ]


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


def test_provider_down_leaves_the_link_being_created_and_the_tick_retries(
    paypal, customer, support, committed
):

    from django.utils import timezone

    paypal.fail_next = 500
    with committed():
        link = services.create_link(customer, Decimal("10"), "x", support)
    link.refresh_from_db()
    assert link.status == LinkStatus.CREATING and link.payment_url == ""
    line = services.retry_pending_links(timezone.now() + services.RETRY_AFTER)
    assert line == "payment links: 1 link(s) to register"
    link.refresh_from_db()
    assert link.status == LinkStatus.CREATED and link.payment_url.startswith("https://paypal")
    # A link no provider ever answered for is given up after a day.
    PaymentLink.objects.filter(pk=link.pk).update(status=LinkStatus.CREATING)
    paypal.fail_next = 500
    services.retry_pending_links(timezone.now() + services.GIVE_UP_CREATING)
    link.refresh_from_db()
    assert link.status == LinkStatus.FAILED


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


def test_approved_captures_and_completed_marks_paid(client, link, paypal, committed):
    with committed():
        response = _webhook(client, _approved(link))
    assert response.status_code == 200 and response.json() == {"status": "capture_queued"}
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


def test_same_webhook_twice_is_processed_once(client, link, paypal, committed):
    with committed():
        assert _webhook(client, _approved(link)).json()["status"] == "capture_queued"
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


def test_a_failed_capture_is_retried_by_the_tick(client, link, paypal, committed):
    from django.utils import timezone

    event = _approved(link)
    original = paypal.answer

    def failing_capture(path, headers, raw):
        if path.endswith("/capture"):
            return 500, {"name": "INTERNAL_SERVER_ERROR"}
        return original(path, headers, raw)

    paypal.answer = failing_capture
    # The webhook is answered at once; the capture (a network call) runs after commit.
    with committed():
        assert _webhook(client, event).json()["status"] == "capture_queued"
    assert WebhookEvent.objects.count() == 1 and len(paypal.calls("/capture")) == 1
    link.refresh_from_db()
    assert link.capture_requested_at and link.status == LinkStatus.CREATED
    paypal.answer = original
    line = services.retry_pending_links(timezone.now() + services.RETRY_AFTER)
    assert line == "payment links: 1 capture(s) retried"
    assert len(paypal.calls("/capture")) == 2


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
