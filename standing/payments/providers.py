"""Payment providers behind one interface: ``create(link) -> payment (approve) URL``.

The sandbox provider needs no network: its page on this site pays or fails on a button. The
PayPal provider speaks Orders v2 over plain HTTPS (urllib), with the base URL from settings so
tests run it against a local fake."""

import base64
import json
import urllib.error
import urllib.parse
import urllib.request

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from standing.core.errors import DomainError


class PaymentProviderError(DomainError):
    """The provider could not be reached or refused; nothing was changed."""

    status = 502


class Provider:
    name = ""
    # A remote provider is asked over the network: never inside a transaction (a task does).
    remote = False

    def create(self, link) -> str:
        """Register ``link`` with the provider (may set ``provider_reference``); return the URL
        where the customer pays."""
        raise NotImplementedError


class SandboxProvider(Provider):
    name = "sandbox"

    def create(self, link) -> str:
        link.provider_reference = f"sandbox-{link.token[:12]}"
        return settings.SITE_URL.rstrip("/") + reverse("payments:pay", args=[link.token])


class PayPalProvider(Provider):
    """PayPal Orders v2: create the order (idempotent through ``PayPal-Request-Id``), send the
    customer to its approve link, capture it when approved, take the payment as done when the
    capture completes. Webhooks are trusted only after PayPal verified their signature."""

    name = "paypal"
    remote = True
    timeout = 15

    def __init__(self):
        self.config = settings.PAYPAL
        self._token = None

    def _call(self, method, path, body=None, headers=None, token=True):
        url = self.config["base_url"].rstrip("/") + path
        all_headers = {"Accept": "application/json", **(headers or {})}
        data = None
        if token:
            all_headers["Authorization"] = f"Bearer {self.access_token()}"
        if isinstance(body, dict):
            data = json.dumps(body).encode()
            all_headers["Content-Type"] = "application/json"
        elif isinstance(body, str):
            data = body.encode()
            all_headers["Content-Type"] = "application/x-www-form-urlencoded"
        request = urllib.request.Request(url, data=data, method=method, headers=all_headers)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                raw = response.read()
        except urllib.error.HTTPError as error:
            raise PaymentProviderError(
                _("PayPal refused the request (HTTP %(code)s); please try again later.")
                % {"code": error.code}
            ) from error
        except (OSError, ValueError) as error:
            raise PaymentProviderError(
                _("PayPal could not be reached; please try again later.")
            ) from error
        try:
            return json.loads(raw or b"{}")
        except ValueError as error:
            raise PaymentProviderError(_("PayPal sent an answer we cannot read.")) from error

    def access_token(self):
        if self._token is None:
            basic = base64.b64encode(
                f"{self.config['client_id']}:{self.config['secret']}".encode()
            ).decode()
            answer = self._call(
                "POST",
                "/v1/oauth2/token",
                urllib.parse.urlencode({"grant_type": "client_credentials"}),
                {"Authorization": f"Basic {basic}"},
                token=False,
            )
            if not answer.get("access_token"):
                raise PaymentProviderError(_("PayPal did not issue an access token."))
            self._token = answer["access_token"]
        return self._token

    def create(self, link) -> str:
        order = self._call(
            "POST",
            "/v2/checkout/orders",
            {
                "intent": "CAPTURE",
                "purchase_units": [
                    {
                        "reference_id": link.token,
                        "custom_id": link.token,
                        "description": link.purpose[:127],
                        "amount": {"currency_code": link.currency, "value": f"{link.amount:.2f}"},
                    }
                ],
            },
            # The same link never creates a second order, even when the request is retried.
            {"PayPal-Request-Id": f"order-{link.token}"},
        )
        approve = [
            item.get("href")
            for item in order.get("links", [])
            if item.get("rel") in ("approve", "payer-action")
        ]
        if not order.get("id") or not approve:
            raise PaymentProviderError(_("PayPal's answer had no order id or approve link."))
        link.provider_reference = order["id"]
        return approve[0]

    def capture(self, order_id: str) -> dict:
        return self._call(
            "POST",
            f"/v2/checkout/orders/{urllib.parse.quote(order_id, safe='')}/capture",
            {},
            {"PayPal-Request-Id": f"capture-{order_id}"},
        )

    def verify(self, headers, event: dict) -> bool:
        """Ask PayPal whether this webhook delivery is genuine (for our webhook id)."""
        names = {
            "auth_algo": "PAYPAL-AUTH-ALGO",
            "cert_url": "PAYPAL-CERT-URL",
            "transmission_id": "PAYPAL-TRANSMISSION-ID",
            "transmission_sig": "PAYPAL-TRANSMISSION-SIG",
            "transmission_time": "PAYPAL-TRANSMISSION-TIME",
        }
        body = {key: headers.get(header, "") for key, header in names.items()}
        if not all(body.values()) or not self.config.get("webhook_id"):
            return False
        body |= {"webhook_id": self.config["webhook_id"], "webhook_event": event}
        answer = self._call("POST", "/v1/notifications/verify-webhook-signature", body)
        return answer.get("verification_status") == "SUCCESS"


PROVIDERS = {p.name: p for p in (SandboxProvider, PayPalProvider)}


def get_provider(name=None) -> Provider:
    return PROVIDERS[name or settings.PAYMENT_PROVIDER]()
