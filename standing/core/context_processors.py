from functools import cache

from django.urls import get_script_prefix, reverse

from standing.core.registry import Registry

# (label, url name, roles that see it[, menu]), keyed by the url name; every app registers its
# entries in AppConfig.ready(): NAVIGATION.register((label, "app:list", roles), key="app:list").
# Entries that name the same menu (a label) appear together as one dropdown in the bar, at the
# place of the first of them, so that the bar stays one line wide at 1440 px.
NAVIGATION = Registry("navigation")


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    path = request.path
    items, menus = [], {}
    for label, name, roles, *menu in NAVIGATION:
        if user.role not in roles:
            continue
        url = _url(name, get_script_prefix())
        active = path == url if url == "/" else path.startswith(url)
        item = {"label": label, "url": url, "active": active}
        if not menu:
            items.append(item)
            continue
        key = str(menu[0])
        if key not in menus:
            menus[key] = {"label": menu[0], "entries": [], "active": False}
            items.append(menus[key])
        menus[key]["entries"].append(item)
        menus[key]["active"] = menus[key]["active"] or active
    return {"nav_items": items}


@cache
def _url(name, prefix):
    # The menu's URLs are the same on every page (for one script prefix): reversed once.
    return reverse(name)
