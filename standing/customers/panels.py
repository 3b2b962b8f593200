"""Panels of the customer card contributed by other apps (blocks, screening, orders, …).

An app registers its panel in ``AppConfig.ready()``; the card renders every registered panel
that the acting role may see, so adding a capability never edits the card's template.

Deny by default: a panel is shown to the operator's staff only, unless it names the other
roles that may see it (vendor users see a panel only when it says so and scopes its content).
Panels are ordered by ``order`` within their column; two panels may not share a key, nor a
place (column and order), so the order is stable whatever the apps' order.

Lazy by default: the card page holds only the panels a clerk sees first (``lazy=False``, above
the fold at 1280×800); every other panel is a placeholder that HTMX fills from the panel's own
URL when it scrolls into view, so the page costs the server a few panels, not all of them.
"""

from dataclasses import dataclass, field

from django.urls import reverse

from standing.core.registry import Registry


@dataclass(frozen=True)
class Panel:
    key: str
    template: str
    context: object  # callable(request, customer, actor) -> dict
    column: str = "main"  # "main" or "side"
    order: int = 50
    roles: frozenset = field(default_factory=lambda: frozenset({"admin", "support"}))
    lazy: bool = True  # on the card: loaded when scrolled into view (the portal ignores it)


def _place_free(panel: Panel, panels):
    for other in panels:
        if (other.column, other.order) == (panel.column, panel.order):
            raise ValueError(
                f"card panels {other.key!r} and {panel.key!r} both want place {panel.order} "
                f"of the {panel.column} column"
            )


# Keyed by Panel.key, ordered by Panel.order; in AppConfig.ready(): PANELS.register(Panel(...)).
PANELS = Registry("card panels", check=_place_free)
register = PANELS.register

# Buttons above the customer list that other apps add: (label, URL name, icon, roles), e.g.
# screening's "New customer"; keyed by the URL name.
LIST_ACTIONS = Registry("customer list actions")


def panel_for(request, customer, actor, key):
    """One panel of the card (its own URL, so HTMX can refresh it after an action); None when
    there is no such card panel or the actor's role may not see it."""
    panel = PANELS.get(key)
    if panel is None or panel.column == "portal" or actor.role not in panel.roles:
        return None
    return {
        "key": panel.key,
        "template": panel.template,
        "ctx": panel.context(request, customer, actor),
    }


def panels_for(request, customer, actor, column):
    """The panels of one column the actor may see; on the card, a lazy panel is only its URL
    (its context is computed when the placeholder asks for it)."""
    shown = []
    for p in PANELS:
        if p.column != column or actor.role not in p.roles:
            continue
        if p.lazy and column != "portal":
            url = reverse("customers:panel", args=[customer.number, p.key])
            shown.append({"key": p.key, "lazy": True, "url": url})
        else:
            ctx = p.context(request, customer, actor)
            shown.append({"key": p.key, "template": p.template, "ctx": ctx})
    return shown
