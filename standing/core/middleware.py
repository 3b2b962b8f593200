import json
from urllib.parse import unquote_to_bytes

from django.http import HttpResponseBadRequest, JsonResponse

from .strict import BodyError, check_body

NUL_MESSAGE = "The request contains a NUL character (\\u0000), which no field may hold."


class RejectNulMiddleware:
    """Refuse NUL characters in paths, query strings and text bodies with a 400.

    PostgreSQL cannot store them in text columns and would otherwise fail the query with a
    500; SQLite would store them silently. Multipart bodies (file uploads) are left alone.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._has_nul(request):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": NUL_MESSAGE}, status=400)
            return HttpResponseBadRequest(NUL_MESSAGE)
        return self.get_response(request)

    @staticmethod
    def _has_nul(request):
        if "\x00" in request.path or b"\x00" in unquote_to_bytes(
            request.META.get("QUERY_STRING", "")
        ):
            return True
        content_type = request.META.get("CONTENT_TYPE", "")
        if content_type.startswith("multipart/"):
            return False
        body = request.body if request.method in ("POST", "PUT", "PATCH") else b""
        if content_type.startswith("application/x-www-form-urlencoded"):
            return b"\x00" in unquote_to_bytes(body.replace(b"+", b" "))
        if b"\x00" in body:
            return True
        if b"\\u0000" in body and content_type.startswith("application/json"):
            try:
                return _contains_nul(json.loads(body))
            except ValueError:
                return False
        return False


def _contains_nul(value):
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_contains_nul(k) or _contains_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_contains_nul(v) for v in value)
    return False


class StrictJsonMiddleware:
    """The API reads only JSON objects: a body of another content type answers 415, one that
    is not a JSON object 422, a string with a control character or a lone surrogate 422
    (see ``core.strict.check_body``). Runs after the locale is chosen, so the message is in
    the caller's language; the API's own parser then reads the checked body."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith("/api/") and request.method in ("POST", "PUT", "PATCH"):
            body = request.body
            if body:
                try:
                    check_body(request.META.get("CONTENT_TYPE", ""), body)
                except BodyError as error:
                    return JsonResponse({"detail": error.detail}, status=error.status)
        return self.get_response(request)
