"""Credit checks ("Bonitätsprüfung"): one interface, three providers.

``check(customer) -> CreditResult(score, decision, reasons)``; ``decision`` is ``pass``,
``fail`` or ``error``. An ``error`` (bureau down, timeout, garbage answer) never lets a
customer through: screening leaves them PENDING for a person.

Which provider runs is the setting ``SCREENING_CREDIT_PROVIDER``: ``rules``, ``sandbox`` or
``http``.
"""

import base64
import hashlib
import http.client
import json
import logging
import urllib.request
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.utils import timezone

log = logging.getLogger(__name__)

PASS, FAIL, ERROR = "pass", "fail", "error"


@dataclass(frozen=True)
class CreditResult:
    score: int | None
    decision: str
    reasons: list[str] = field(default_factory=list)


def _age(birth_date: date, today: date) -> int:
    return (
        today.year
        - birth_date.year
        - ((today.month, today.day) < (birth_date.month, birth_date.day))
    )


class RuleProvider:
    """The built-in rules: required fields, minimum age, and a score that must reach the
    threshold. The score starts at ``SCREENING_RULES_BASE_SCORE`` and loses
    ``SCREENING_RULES_MISSING_FIELD_PENALTY`` per missing required field; a customer under the
    minimum age scores 0."""

    name = "rules"

    def check(self, customer) -> CreditResult:
        reasons = []
        score = settings.SCREENING_RULES_BASE_SCORE
        for name in settings.SCREENING_CREDIT_REQUIRED_FIELDS:
            if not getattr(customer, name, None):
                reasons.append(f"missing {name}")
                score -= settings.SCREENING_RULES_MISSING_FIELD_PENALTY
        if customer.birth_date:
            age = _age(customer.birth_date, timezone.localdate())
            if age < settings.SCREENING_CREDIT_MIN_AGE:
                reasons.append(f"age {age} < {settings.SCREENING_CREDIT_MIN_AGE}")
                score = 0
        return decide(max(score, 0), reasons)


def decide(score, reasons=()) -> CreditResult:
    threshold = settings.SCREENING_CREDIT_SCORE_THRESHOLD
    return CreditResult(score, PASS if score >= threshold else FAIL, list(reasons))


class SandboxBureau(RuleProvider):
    """A bureau for demos and tests whose answers follow these test data (after the rules):

    * last name "Ablehnung" → score 312 (below the default threshold 400: denied)
    * last name "Fehler" → the bureau fails (error: the customer stays PENDING)
    * an email whose local part is "score" and a number, e.g. ``score250@example.de``
      → exactly that score
    * birth date 1 January 1900 → score 0 ("no file at the bureau")
    * anyone else → a stable score between 500 and 900 derived from the name
    """

    name = "sandbox"

    def check(self, customer) -> CreditResult:
        ruled = super().check(customer)
        if ruled.decision == FAIL:
            return ruled
        last = (customer.last_name or "").strip().lower()
        local = (customer.email or "").split("@")[0].lower()
        if last == "fehler":
            return CreditResult(None, ERROR, ["sandbox: bureau unavailable"])
        if last == "ablehnung":
            return decide(312, ["sandbox: negative entries"])
        if local.startswith("score") and local[5:].isdigit():
            return decide(int(local[5:]), ["sandbox: score from email"])
        if customer.birth_date == date(1900, 1, 1):
            return decide(0, ["sandbox: no file"])
        digest = hashlib.sha256(f"{customer.first_name}|{customer.last_name}".encode()).digest()
        return decide(500 + digest[0] * 400 // 255)


class HttpBureau:
    """A real bureau over HTTP (SCHUFA, Creditreform/Boniversum, CRIF style gateways).

    POSTs ``{first_name, last_name, birth_date, street, postal_code, city, country, email}``
    as JSON to ``SCREENING_BUREAU_URL`` with basic auth (``SCREENING_BUREAU_USERNAME`` /
    ``_PASSWORD``), waits at most ``SCREENING_BUREAU_TIMEOUT`` seconds per try and tries
    ``1 + SCREENING_BUREAU_RETRIES`` times. Expects ``{"score": int, "reasons": [str]}``; a
    ``decision`` in the answer is ignored in favour of our own threshold. Any failure gives
    ``error``, which holds the customer for a person."""

    name = "http"

    def check(self, customer) -> CreditResult:
        body = json.dumps(
            {
                "first_name": customer.first_name,
                "last_name": customer.last_name,
                "birth_date": customer.birth_date.isoformat() if customer.birth_date else None,
                "street": customer.street,
                "postal_code": customer.postal_code,
                "city": customer.city,
                "country": customer.country,
                "email": customer.email,
            }
        ).encode()
        if not settings.SCREENING_BUREAU_URL:
            return CreditResult(None, ERROR, ["bureau: no URL configured"])
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        user, password = settings.SCREENING_BUREAU_USERNAME, settings.SCREENING_BUREAU_PASSWORD
        if user:
            token = base64.b64encode(f"{user}:{password}".encode()).decode()
            headers["Authorization"] = f"Basic {token}"
        last_error = ""
        for _attempt in range(1 + settings.SCREENING_BUREAU_RETRIES):
            try:
                request = urllib.request.Request(
                    settings.SCREENING_BUREAU_URL, data=body, method="POST", headers=headers
                )
                with urllib.request.urlopen(
                    request, timeout=settings.SCREENING_BUREAU_TIMEOUT
                ) as response:
                    answer = json.loads(response.read().decode())
                score = answer["score"]
                if not isinstance(score, int) or isinstance(score, bool):
                    raise ValueError("score is not an integer")
                reasons = [str(r) for r in answer.get("reasons", [])][:10]
                return decide(score, reasons)
            except (
                OSError,
                http.client.HTTPException,
                ValueError,
                KeyError,
                TypeError,
                AttributeError,
            ) as error:
                # urllib's HTTPError/URLError and socket timeouts are OSErrors; a connection
                # cut mid-answer is an HTTPException; garbage answers are the rest.
                last_error = f"{type(error).__name__}: {error}"[:200]
                log.warning("credit bureau failed for %s: %s", customer.pk, last_error)
        return CreditResult(None, ERROR, [f"bureau: {last_error}"])


PROVIDERS = {p.name: p for p in (RuleProvider, SandboxBureau, HttpBureau)}


def provider():
    return PROVIDERS[settings.SCREENING_CREDIT_PROVIDER]()
