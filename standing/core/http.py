from urllib.parse import urlsplit

from django.shortcuts import redirect, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme


def back_url(request, fallback):
    """The page that posted (its ``next`` field) when that is one of ours, else ``fallback``
    (a URL, a URL name or a model): never another site."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return resolve_url(fallback)


def redirect_back(request, fallback):
    """Back to the page that posted (its ``next`` field) when that is one of ours, else to
    ``fallback`` (a URL, a URL name or a model): never to another site."""
    return redirect(back_url(request, fallback))


def opened_from(request):
    """The path (with query) of the page a dialog was opened from: HTMX's current URL, else
    the referer; "" when it is not one of ours. Dialogs post it back as ``next``."""
    source = getattr(request, "htmx", None) and request.htmx.current_url
    source = source or request.META.get("HTTP_REFERER", "")
    if not source or not url_has_allowed_host_and_scheme(
        source, allowed_hosts={request.get_host()}
    ):
        return ""
    parts = urlsplit(source)
    return parts.path + (f"?{parts.query}" if parts.query else "")
