import ipaddress
from functools import lru_cache
from urllib.parse import urlsplit

from django.conf import settings
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


@lru_cache(maxsize=8)
def _networks(entries):
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)


def _ip(text):
    """An address from a header entry ("1.2.3.4", "1.2.3.4:5678", "[::1]:80"), or None."""
    text = text.strip()
    candidates = [text]
    if text.startswith("[") and "]" in text:
        candidates.append(text[1 : text.index("]")])
    elif text.count(":") == 1:
        candidates.append(text.split(":")[0])
    for candidate in candidates:
        try:
            return ipaddress.ip_address(candidate)
        except ValueError:
            continue
    return None


def client_address(request) -> str:
    """The address of the client behind ``request``: the ONE function for it (login
    throttling, anything that records where a request came from).

    ``REMOTE_ADDR`` unless that is one of ``settings.TRUSTED_PROXIES`` (addresses or CIDR
    networks, from the environment; none by default). Behind a trusted proxy it is the
    right-most ``X-Forwarded-For`` entry that is not itself a trusted proxy: each proxy appends
    the address it was talked to from, so entries left of that one were written by the client
    and prove nothing. A malformed entry where the client's should be falls back to the proxy's
    own address (shared by every client behind it: throttled together, never spoofed)."""
    if request is None:
        return ""
    remote = request.META.get("REMOTE_ADDR", "")
    trusted = _networks(tuple(getattr(settings, "TRUSTED_PROXIES", ()) or ()))
    if not trusted:
        return remote

    def is_trusted(address):
        return address is not None and any(address in network for network in trusted)

    if not is_trusted(_ip(remote)):
        return remote
    hops = [hop for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    for hop in reversed(hops):
        address = _ip(hop)
        if address is None:
            return remote
        if not is_trusted(address):
            return str(address)
    # Every hop is a trusted proxy (a request from inside): the left-most one is the client.
    return str(_ip(hops[0])) if hops else remote
