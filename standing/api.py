"""The HTTP API at /api/v1: token (or session) authentication, the routers, and errors that
always answer ``{"detail": …}`` with a 4xx status a person can act on."""

from datetime import timedelta
from functools import cache

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone, translation
from django.utils.csp import CSP
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csp import csp_override
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import APIKeyCookie, HttpBearer

from standing.accounts.models import ApiToken, User, hash_token
from standing.accounts.scoping import Actor
from standing.core import rawsql
from standing.core.errors import DomainError
from standing.core.strict import BodyError, check_body

LAST_USED_PRECISION = timedelta(minutes=1)


def token_user(request):
    """The active user of the request's bearer token, or None."""
    header = request.headers.get("Authorization", "")
    scheme, _sep, raw = header.partition(" ")
    if scheme.lower() != "bearer" or not raw.strip():
        return None
    token = _active_token(raw.strip())
    return token.user if token else None


class StrictJsonMiddleware:
    """The API reads only JSON objects: a body of another content type answers 415, one that
    is not a JSON object 422, a string with a control character or a lone surrogate 422
    (``core.strict.check_body``), in the language of the token's user (else the request's).
    The API's own parser then reads the checked body."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith("/api/") and request.method in ("POST", "PUT", "PATCH"):
            body = request.body
            content_type = request.META.get("CONTENT_TYPE", "")
            try:
                if body:
                    check_body(content_type, body)
            except BodyError:
                # Refused: now (only now) look up whose token it is, to answer in their language.
                user = token_user(request)
                language = getattr(user, "language", "") or translation.get_language()
                with translation.override(language):
                    try:
                        check_body(content_type, body)
                    except BodyError as error:
                        return _detail(request, error.status, error.detail)
        return self.get_response(request)


def _active_token(raw):
    """The unrevoked token of an active user whose hash is ``raw``'s, with its user: one
    query on the unique index, written out (``core.rawsql``) because building and compiling
    the queryset cost more than running it, on every API request."""
    rows = rawsql.fetchall(_token_sql(), [hash_token(raw), True])
    if not rows:
        return None
    row = rows[0]
    width = len(ApiToken._meta.concrete_fields)
    token = rawsql.instance(ApiToken, row[:width])
    token.user = rawsql.instance(User, row[width:])
    return token


@cache
def _token_sql():
    token, user = ApiToken._meta, User._meta
    t, u, q = "t", "u", rawsql.quote
    return (
        f"SELECT {rawsql.columns(ApiToken, t)}, {rawsql.columns(User, u)}"
        f" FROM {q(token.db_table)} {q(t)} INNER JOIN {q(user.db_table)} {q(u)}"
        f" ON {q(u)}.{q(user.pk.column)} = {q(t)}.{q(token.get_field('user').column)}"
        f" WHERE {q(t)}.{q(token.get_field('token_hash').column)} = %s"
        f" AND {q(t)}.{q(token.get_field('revoked_at').column)} IS NULL"
        f" AND {q(u)}.{q(user.get_field('is_active').column)} = %s"
    )


class BearerToken(HttpBearer):
    def authenticate(self, request, token):
        found = _active_token(token)
        if found is None:
            return None
        now = timezone.now()
        # Recorded to the minute: not a database write on every request of a busy integration.
        if found.last_used_at is None or now - found.last_used_at > LAST_USED_PRECISION:
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        request.actor = Actor.of(found.user, found.scope)
        # Answers in the token user's language, as the pages do for a logged-in user.
        if found.user.language:
            translation.activate(found.user.language)
            request.LANGUAGE_CODE = found.user.language
        return found.user


class Session(APIKeyCookie):
    """The browser's session, so the UI's own scripts may call the API (CSRF checked)."""

    param_name = "sessionid"

    def authenticate(self, request, key):
        if request.user.is_authenticated:
            request.actor = Actor.of(request.user)
            return request.user
        return None


DETAIL_SCHEMA = {
    "type": "object",
    "required": ["detail"],
    "properties": {
        "detail": {
            "description": "what was wrong, for a person: a sentence, a list of "
            "{field, message}, or {field: [messages]}",
            "anyOf": [
                {"type": "string"},
                {"type": "array", "items": {"type": "object"}},
                {"type": "object"},
            ],
        }
    },
}
ERRORS = {
    "400": "The request cannot be read (not valid JSON or UTF-8, or a NUL character).",
    "401": "No valid token.",
    "403": "The token's role may not do this.",
    "404": "Not found, or not visible to this token (both answer alike).",
    "409": "Not possible in the current state.",
    "415": "The body is not 'application/json'.",
    "422": "A value is missing or not valid.",
}


class StandingAPI(NinjaAPI):
    def get_openapi_schema(self, *args, **kwargs):
        """The document with every 4xx answer declared: each is ``{"detail": …}``."""
        schema = super().get_openapi_schema(*args, **kwargs)
        schema.setdefault("components", {}).setdefault("schemas", {})["Detail"] = DETAIL_SCHEMA
        ref = {"application/json": {"schema": {"$ref": "#/components/schemas/Detail"}}}
        for operations in schema["paths"].values():
            for operation in operations.values():
                responses = operation.setdefault("responses", {})
                for code, text in ERRORS.items():
                    if code == "415" and "requestBody" not in operation:
                        continue
                    responses.setdefault(code, {"description": text, "content": ref})
        return schema


api = StandingAPI(
    title="Standing API",
    version="1",
    urls_namespace="api",
    auth=[BearerToken(), Session()],
    docs_url="/docs",
    # Swagger UI starts itself with an inline script and styles itself inline: the docs page
    # (and only it) allows that, and loads its files from this site or its CDN.
    docs_decorator=csp_override(
        {
            **settings.SECURE_CSP,
            "script-src": [CSP.SELF, CSP.UNSAFE_INLINE, "https://cdn.jsdelivr.net"],
            "style-src": [CSP.SELF, CSP.UNSAFE_INLINE, "https://cdn.jsdelivr.net"],
            "img-src": [CSP.SELF, "data:", "https://django-ninja.dev"],
        }
    ),
)


def _detail(request, status, detail):
    return api.create_response(request, {"detail": detail}, status=status)


@api.exception_handler(ValidationError)
def on_validation_error(request, exc):
    if hasattr(exc, "message_dict"):
        return _detail(request, 422, {k: [str(m) for m in v] for k, v in exc.message_dict.items()})
    return _detail(request, 422, " ".join(str(m) for m in exc.messages))


# Pydantic's messages are English; these are the ones a client meets, as sentences in the
# user's language (placeholders from the error's context). Others keep pydantic's text.
SCHEMA_MESSAGES = {
    "missing": gettext_lazy("This field is required."),
    "string_too_long": gettext_lazy("At most %(max_length)s characters."),
    "string_too_short": gettext_lazy("At least %(min_length)s characters."),
    "greater_than_equal": gettext_lazy("At least %(ge)s."),
    "greater_than": gettext_lazy("More than %(gt)s."),
    "less_than_equal": gettext_lazy("At most %(le)s."),
    "int_parsing": gettext_lazy("A whole number is needed."),
    "int_type": gettext_lazy("A whole number is needed."),
    "int_from_float": gettext_lazy("A whole number is needed."),
    "bool_parsing": gettext_lazy("true or false is needed."),
    "bool_type": gettext_lazy("true or false is needed."),
    "string_type": gettext_lazy("Text is needed."),
    "literal_error": gettext_lazy("One of: %(expected)s."),
    "enum": gettext_lazy("One of: %(expected)s."),
    "union_tag_invalid": gettext_lazy("Unknown kind %(tag)s; one of: %(expected_tags)s."),
    "union_tag_not_found": gettext_lazy("The field %(discriminator)s is required."),
    "model_attributes_type": gettext_lazy("An object ({…}) is needed."),
    "dict_type": gettext_lazy("An object ({…}) is needed."),
    "list_type": gettext_lazy("A list is needed."),
}


# Pydantic lists the choices as "'a', 'b' or 'c'": the English "or" would stand in a German
# sentence, so the list is joined with commas only.
CHOICE_LISTS = {"literal_error", "enum", "union_tag_invalid"}


def schema_message(error):
    template = SCHEMA_MESSAGES.get(error.get("type"))
    if template is not None:
        ctx = {k: str(v) for k, v in (error.get("ctx") or {}).items()}
        if error.get("type") in CHOICE_LISTS:
            ctx = {k: ", ".join(v.rsplit(" or ", 1)) for k, v in ctx.items()}
        try:
            return str(template) % ctx
        except (KeyError, TypeError, ValueError):
            pass
    return str(error.get("msg", "")).removeprefix("Value error, ")


@api.exception_handler(NinjaValidationError)
def on_schema_error(request, exc):
    errors = [
        {
            "field": ".".join(str(p) for p in e.get("loc", []) if p not in ("body", "payload")),
            "message": schema_message(e),
        }
        for e in exc.errors
    ]
    return _detail(request, 422, errors)


@api.exception_handler(DomainError)
def on_domain_error(request, exc):
    return _detail(request, exc.status, str(exc))


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return _detail(request, 404, str(exc) or _("Not found."))


@api.exception_handler(PermissionDenied)
def on_forbidden(request, exc):
    return _detail(request, 403, str(exc) or _("You may not do this."))


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request, exc):
    return _detail(
        request, 401, _("Authentication required: send 'Authorization: Bearer <token>'.")
    )


@api.exception_handler(HttpError)
def on_http_error(request, exc):
    return _detail(request, exc.status_code, str(exc))


def register_routers():
    from standing.blocks.api import router as blocks
    from standing.claims.api import router as claims
    from standing.claims.settings_api import router as collection_settings
    from standing.collection.api import router as collection
    from standing.customers.api import router as customers
    from standing.deposits.api import router as deposits
    from standing.duplicates.api import router as duplicates
    from standing.law.api import router as law
    from standing.orders.api import customer_orders
    from standing.orders.api import router as orders
    from standing.privacy.api import router as privacy
    from standing.rentals.api import customer_router as customer_rentals
    from standing.rentals.api import router as rentals
    from standing.screening.api import router as registrations
    from standing.vendors.api import router as vendors

    api.add_router("/customers", customers)
    api.add_router("/customers", deposits)
    api.add_router("/customers", blocks)
    api.add_router("/vendors", vendors)
    api.add_router("/vendors", collection_settings)
    api.add_router("/orders", orders)
    api.add_router("/customers", customer_orders)
    api.add_router("/customers", customer_rentals)
    api.add_router("/rentals", rentals)
    api.add_router("/registrations", registrations)
    api.add_router("/customers", duplicates)
    api.add_router("/customers", privacy)
    api.add_router("/interest", law)
    # Before the claims router: /claims/export.csv is not a claim id.
    api.add_router("/claims", collection)
    api.add_router("/claims", claims)


register_routers()
