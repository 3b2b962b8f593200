"""Panels of the customer card contributed by other apps (blocks, screening, orders, …).

An app registers its panel in ``AppConfig.ready()``; the card renders every registered panel
that the acting role may see, so adding a capability never edits the card's template.

Deny by default: a panel is shown to the operator's staff only, unless it names the other
roles that may see it (vendor users see a panel only when it says so and scopes its content).
Panels are ordered by ``order`` within their column; two panels may not share a key, nor a
place (column and order), so the order is stable whatever the apps' order.
"""

from dataclasses import dataclass, field

from standing.core.registry import Registry


@dataclass(frozen=True)
class Panel:
    key: str
    template: str
    context: object  # callable(request, customer, actor) -> dict
    column: str = "main"  # "main" or "side"
    order: int = 50
    roles: frozenset = field(default_factory=lambda: frozenset({"admin", "support"}))


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
    return [
        {"key": p.key, "template": p.template, "ctx": p.context(request, customer, actor)}
        for p in PANELS
        if p.column == column and actor.role in p.roles
    ]
