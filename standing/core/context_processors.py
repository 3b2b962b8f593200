from django.urls import reverse

from standing.core.registry import Registry

# (label, url name, roles that see it), keyed by the url name; every app registers its entries
# in AppConfig.ready(): NAVIGATION.register((label, "app:list", roles), key="app:list", order=…)
NAVIGATION = Registry("navigation")


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
