from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from standing.accounts.models import Role

# (label, url name, roles that see it); apps of later capabilities add their entries here.
NAVIGATION = [
    (_("Overview"), "home", {Role.ADMIN, Role.SUPPORT}),
    (_("Customers"), "customers:list", {Role.ADMIN, Role.SUPPORT, Role.VENDOR}),
    (_("Settings"), "core:settings", {Role.ADMIN}),
]


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    path = request.path
    items = []
    for label, name, roles in NAVIGATION:
        if user.role in roles:
            url = reverse(name)
            active = path == url if url == "/" else path.startswith(url)
            items.append({"label": label, "url": url, "active": active})
    return {"nav_items": items}
