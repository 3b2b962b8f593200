"""Error pages (400, 403, 404, 500, CSRF failure) in the layout, in the user's language, with
the navigation and a way back. An HTMX request gets only the message, which the page's script
shows above the content (standing.js)."""

import logging

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)


def _messages():
    return {
        400: (
            _("Bad request"),
            _("The request could not be understood. Check the address or the form and try again."),
        ),
        403: (
            _("Not allowed"),
            _("Your role may not open this page or do this. Ask an administrator if you need it."),
        ),
        404: (
            _("Not found"),
            _("This page or record does not exist, or it is not visible to you."),
        ),
        500: (
            _("Something went wrong"),
            _(
                "The server could not complete the request. Nothing was changed by it; "
                "please try again in a moment."
            ),
        ),
        "csrf": (
            _("Form expired"),
            _(
                "The form was open too long or you logged in elsewhere in the meantime. "
                "Go back, reload the page and send it again."
            ),
        ),
    }


def _back_url(request):
    """The page the user came from, when it is one of ours and not this one."""
    referer = request.META.get("HTTP_REFERER", "")
    ours = url_has_allowed_host_and_scheme(referer, allowed_hosts={request.get_host()})
    same = referer.split("?")[0] == request.build_absolute_uri(request.path)
    return referer if referer and ours and not same else ""


def render_error(request, status, kind=None):
    title, message = _messages()[kind or status]
    context = {"status": status, "title": title, "message": message}
    template = "core/error.html"
    if request.headers.get("HX-Request"):
        template = "core/error.html#message"
    try:
        context["back_url"] = _back_url(request)
        return render(request, template, context, status=status)
    except Exception:
        # The layout needs the database (the user, the navigation); when that is what failed,
        # a plain page still tells the user what happened.
        logger.exception("The error page could not be rendered in the layout")
        return HttpResponse(
            f"<!doctype html><title>{title}</title><h1>{title}</h1><p>{message}</p>"
            '<p><a href="/">Standing</a></p>',
            status=status,
        )


def bad_request(request, exception=None):
    return render_error(request, 400)


def permission_denied(request, exception=None):
    return render_error(request, 403)


def page_not_found(request, exception=None):
    return render_error(request, 404)


def server_error(request):
    return render_error(request, 500)


def csrf_failure(request, reason=""):
    return render_error(request, 403, "csrf")
