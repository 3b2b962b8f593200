"""Panels of the customer card contributed by other apps (blocks, screening, orders, …).

An app registers its panel in ``AppConfig.ready()``; the card renders every registered panel
that the acting role may see, so adding a capability never edits the card's template.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Panel:
    key: str
    template: str
    context: object  # callable(request, customer, actor) -> dict
    column: str = "main"  # "main" or "side"
    order: int = 50
    roles: frozenset = field(default_factory=lambda: frozenset({"admin", "support", "vendor"}))


PANELS: dict[str, Panel] = {}

# Buttons above the customer list that other apps add: (label, URL name, icon, roles), e.g.
# screening's "New customer".
LIST_ACTIONS: list[tuple] = []


def register(panel: Panel):
    PANELS[panel.key] = panel


def panels_for(request, customer, actor, column):
    return [
        {"key": p.key, "template": p.template, "ctx": p.context(request, customer, actor)}
        for p in sorted(PANELS.values(), key=lambda p: p.order)
        if p.column == column and actor.role in p.roles
    ]
