from django.urls import reverse
from django.utils.translation import gettext_lazy as _

# (label, url name, roles that see it); the apps add their entries in AppConfig.ready()
# (customers puts its list first).
NAVIGATION = [
    (_("Overview"), "home", {"admin", "support"}),
    (_("Customers"), "customers:list", {"admin", "support", "vendor"}),
    (_("Settings"), "core:settings", {"admin"}),
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
