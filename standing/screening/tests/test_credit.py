import base64
import json
import threading
import time
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from standing.customers.models import Customer
from standing.screening import credit


def person(**values):
    base = {
        "first_name": "Jana",
        "last_name": "Schröder",
        "birth_date": date(1990, 3, 14),
        "email": "jana@example.de",
        "street": "Lindenstraße 5",
        "postal_code": "20095",
        "city": "Hamburg",
        "country": "DE",
    }
    return Customer(**{**base, **values})


def test_rules_pass_a_complete_adult(settings):
    settings.SCREENING_CREDIT_PROVIDER = "rules"
    result = credit.provider().check(person())
    assert result == credit.CreditResult(700, credit.PASS, [])


def test_rules_refuse_a_minor_and_missing_fields(settings, time_machine):
    time_machine.move_to("2026-06-01")
    rules = credit.RuleProvider()
    minor = rules.check(person(birth_date=date(2010, 1, 1)))
    assert minor.decision == credit.FAIL and minor.score == 0 and "age 16 < 18" in minor.reasons
    incomplete = rules.check(person(street="", city=""))
    assert incomplete.score == 300 and incomplete.decision == credit.FAIL
    assert incomplete.reasons == ["missing street", "missing city"]
    settings.SCREENING_CREDIT_SCORE_THRESHOLD = 250
    assert rules.check(person(street="", city="")).decision == credit.PASS


@pytest.mark.parametrize(
    "values, score, decision",
    [
        ({"last_name": "Ablehnung"}, 312, credit.FAIL),
        ({"last_name": "Fehler"}, None, credit.ERROR),
        ({"email": "score250@example.de"}, 250, credit.FAIL),
        ({"email": "score820@example.de"}, 820, credit.PASS),
        ({"birth_date": date(1900, 1, 1)}, 0, credit.FAIL),
    ],
)
def test_sandbox_follows_its_test_data(values, score, decision):
    result = credit.SandboxBureau().check(person(**values))
    assert (result.score, result.decision) == (score, decision)


def test_sandbox_scores_anyone_else_stably_between_500_and_900():
    a, b = credit.SandboxBureau().check(person()), credit.SandboxBureau().check(person())
    assert a == b and 500 <= a.score <= 900 and a.decision == credit.PASS


class FakeBureau:
    """A tiny HTTP bureau in a thread: answers the queued (status, body, delay) in order."""

    def __init__(self):
        self.answers, self.requests = [], []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                fake.requests.append((dict(self.headers), json.loads(body)))
                status, payload, delay = fake.answers.pop(0) if fake.answers else (500, "", 0)
                time.sleep(delay)
                try:
                    self.send_response(status)
                    if payload == "CUT":  # promises more than it sends, then hangs up
                        self.send_header("Content-Length", "100")
                        self.end_headers()
                        self.wfile.write(b'{"sco')
                        return
                    self.end_headers()
                    self.wfile.write(payload.encode())
                except OSError:
                    pass  # the client gave up (timeout test)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/score"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def bureau(settings):
    fake = FakeBureau()
    settings.SCREENING_CREDIT_PROVIDER = "http"
    settings.SCREENING_BUREAU_URL = fake.url
    settings.SCREENING_BUREAU_USERNAME = "standing"
    settings.SCREENING_BUREAU_PASSWORD = "s3cret"
    settings.SCREENING_BUREAU_TIMEOUT = 0.3
    settings.SCREENING_BUREAU_RETRIES = 1
    yield fake
    fake.close()


def test_http_bureau_sends_the_person_with_credentials(bureau):
    bureau.answers.append((200, json.dumps({"score": 312, "reasons": ["hard negative"]}), 0))
    result = credit.provider().check(person())
    assert result == credit.CreditResult(312, credit.FAIL, ["hard negative"])
    headers, body = bureau.requests[0]
    assert headers["Authorization"] == "Basic " + base64.b64encode(b"standing:s3cret").decode()
    assert body["last_name"] == "Schröder" and body["birth_date"] == "1990-03-14"


def test_http_bureau_retries_after_a_failure(bureau):
    bureau.answers += [(503, "busy", 0), (200, json.dumps({"score": 650}), 0)]
    assert credit.provider().check(person()) == credit.CreditResult(650, credit.PASS, [])
    assert len(bureau.requests) == 2


@pytest.mark.parametrize(
    "answers",
    [
        [(500, "", 0), (500, "", 0)],
        [(200, "not json", 0), (200, "[]", 0)],
        [(200, '{"score": "high"}', 0), (200, '{"no": 1}', 0)],
        [(200, '{"score": 700}', 0.6), (200, '{"score": 700}', 0.6)],  # timeouts
        [(200, "CUT", 0), (200, "CUT", 0)],
    ],
)
def test_http_bureau_failure_is_an_error_never_a_pass(bureau, answers):
    bureau.answers += answers
    result = credit.provider().check(person())
    assert result.decision == credit.ERROR and result.score is None
    assert len(bureau.requests) == 2


def test_http_bureau_without_url_is_an_error(settings):
    settings.SCREENING_CREDIT_PROVIDER = "http"
    settings.SCREENING_BUREAU_URL = ""
    assert credit.provider().check(person()).decision == credit.ERROR
