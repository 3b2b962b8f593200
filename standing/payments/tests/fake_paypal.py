"""A fake PayPal REST API on 127.0.0.1 for the tests: OAuth2 token, Orders v2 create and
capture, and webhook signature verification. It records every request it receives."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

GOOD_SIGNATURE = "good-signature"


class FakePayPal:
    def __init__(self):
        self.requests = []
        self.orders = {}  # PayPal-Request-Id -> order id (idempotency)
        self.fail_next = None  # an HTTP status to answer once
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode()
                fake.requests.append((self.path, self.headers, raw))
                if fake.fail_next:
                    status, fake.fail_next = fake.fail_next, None
                    return self._send(status, {"name": "INTERNAL_SERVER_ERROR"})
                status, body = fake.answer(self.path, self.headers, raw)
                self._send(status, body)

            def _send(self, status, body):
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base_url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def calls(self, path_part):
        return [r for r in self.requests if path_part in r[0]]

    def answer(self, path, headers, raw):
        if path == "/v1/oauth2/token":
            if not headers.get("Authorization", "").startswith("Basic "):
                return 401, {"error": "invalid_client"}
            return 200, {"access_token": "A21-fake", "token_type": "Bearer", "expires_in": 3600}
        if headers.get("Authorization") != "Bearer A21-fake":
            return 401, {"name": "AUTHENTICATION_FAILURE"}
        if path == "/v2/checkout/orders":
            request_id = headers.get("PayPal-Request-Id")
            order_id = self.orders.setdefault(request_id, f"ORDER{len(self.orders) + 1:04d}")
            return 201, {
                "id": order_id,
                "status": "CREATED",
                "links": [
                    {"rel": "self", "href": f"{self.base_url}/v2/checkout/orders/{order_id}"},
                    {"rel": "approve", "href": f"https://paypal.test/checkoutnow?token={order_id}"},
                ],
            }
        if path.endswith("/capture"):
            order_id = path.split("/")[-2]
            return 201, {"id": order_id, "status": "COMPLETED"}
        if path == "/v1/notifications/verify-webhook-signature":
            body = json.loads(raw)
            ok = body.get("transmission_sig") == GOOD_SIGNATURE and body.get("webhook_id") == (
                "WH-TEST"
            )
            return 200, {"verification_status": "SUCCESS" if ok else "FAILURE"}
        return 404, {"name": "RESOURCE_NOT_FOUND"}
