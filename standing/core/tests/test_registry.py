"""One registration style: ``core.registry.Registry``, filled in AppConfig.ready() only."""

import ast
import importlib
import importlib.util
from pathlib import Path

import pytest

from standing.core.registry import AlreadyRegistered, Registry, RegistryClosed

ROOT = Path(__file__).resolve().parents[3]


def test_a_second_registration_of_a_key_is_refused():
    registry = Registry("test")
    with registry.replaced():
        registry.register("a", key="one")
        with pytest.raises(AlreadyRegistered, match="'one' registered twice"):
            registry.register("b", key="one")
        assert list(registry) == ["a"]


def test_the_order_is_order_then_app_then_registration():
    registry = Registry("test")
    with registry.replaced():
        # claims comes after blocks in INSTALLED_APPS, whatever the order of registration.
        registry.register("claims-late", key="c1", module="standing.claims.apps")
        registry.register("blocks-late", key="b1", module="standing.blocks.apps")
        registry.register("first", key="x", order=10, module="standing.privacy.apps")
        registry.register("blocks-second", key="b2", module="standing.blocks.apps")
        registry.register("last", key="z", order=90, module="standing.customers.apps")
        assert list(registry) == ["first", "blocks-late", "blocks-second", "claims-late", "last"]
        assert registry.ordered_keys() == ["x", "b1", "b2", "c1", "z"]


def test_key_and_order_default_to_the_items_attributes():
    from standing.customers.panels import Panel

    registry = Registry("test")
    with registry.replaced():
        registry.register(Panel("late", "t.html", None, order=60))
        registry.register(Panel("early", "t.html", None, order=5))
        assert [p.key for p in registry] == ["early", "late"]
        assert registry.get("late").order == 60
        with pytest.raises(TypeError, match="needs a key"):
            registry.register(object())


def test_registering_after_startup_is_refused_and_the_old_list_style_explains():
    from standing.core.context_processors import NAVIGATION

    with pytest.raises(RegistryClosed, match="AppConfig.ready"):
        NAVIGATION.register(("Late", "home", {"admin"}), key="late")
    with pytest.raises(TypeError, match=r"register\(item, key=\.\.\., order=\.\.\.\)"):
        NAVIGATION.append(("Old", "home", {"admin"}))
    assert "late" not in NAVIGATION.ordered_keys()


def test_temporarily_registers_for_a_block_only():
    from standing.core.sections import SETTINGS_SECTIONS

    before = list(SETTINGS_SECTIONS)
    with SETTINGS_SECTIONS.temporarily("x/section.html", key="x"):
        assert "x/section.html" in list(SETTINGS_SECTIONS)
    assert list(SETTINGS_SECTIONS) == before


def test_every_registry_is_filled_and_stable():
    """The apps' registrations as the site shows them (what the users saw before the registry,
    in the same order)."""
    from standing.core.context_processors import NAVIGATION
    from standing.core.demo import DEMO_STEPS
    from standing.core.overview import SECTIONS
    from standing.core.sections import SETTINGS_SECTIONS
    from standing.core.tick import TICK_JOBS
    from standing.customers.panels import PANELS
    from standing.customers.standing import BLOCK_SOURCES

    assert [entry[1] for entry in NAVIGATION] == [
        "home",
        "customers:list",
        "blocks:list",
        "core:settings",
        "deposits:tasks",
        "orders:list",
        "screening:denied",
        "screening:denylist",
        "law:calculator",
        "collection:board",
        "duplicates:list",
        "claims:list",
        "claims:statistics",
        "claims:settings_index",
    ]
    assert DEMO_STEPS.ordered_keys()[0] == "claims.settings"
    assert DEMO_STEPS.ordered_keys().index("orders") < DEMO_STEPS.ordered_keys().index("rentals")
    assert DEMO_STEPS.ordered_keys().index("orders") < DEMO_STEPS.ordered_keys().index("claims")
    assert TICK_JOBS.ordered_keys()[0] == "standing.customers.outbox.sweep"
    assert "standing.claims.run.daily_run" in TICK_JOBS.ordered_keys()
    assert "standing.privacy.erasure.delete_due" in TICK_JOBS.ordered_keys()
    assert list(SETTINGS_SECTIONS)[0] == "blocks/settings_section.html"
    assert SECTIONS.ordered_keys() == [
        "review",
        "denied",
        "blocks-ending",
        "claims-waiting",
        "tasks",
    ]
    assert BLOCK_SOURCES.ordered_keys() == ["blocks"]
    places = [(p.column, p.order) for p in PANELS]
    assert len(places) == len(set(places)), "two card panels share a place"
    for column in {p.column for p in PANELS}:
        orders = [p.order for p in PANELS if p.column == column]
        assert orders == sorted(orders)


# Modules that used to register at import (panels, the claims run, the erasure tick job):
# importing them again registers nothing (and raises nothing).
FORMER_SELF_REGISTERING = [
    "standing.orders.panels",
    "standing.rentals.panels",
    "standing.claims.run",
    "standing.privacy.erasure",
    "standing.privacy.panels",
    "standing.claims.panels",
    "standing.duplicates.panels",
    "standing.blocks.panel",
    "standing.screening.panel",
]


@pytest.mark.parametrize("name", FORMER_SELF_REGISTERING)
def test_importing_a_module_again_registers_nothing(name):
    def snapshot():
        return {id(r): r.ordered_keys() for r in Registry.instances}

    before = snapshot()
    # Run the module's code once more in a fresh module object (sys.modules keeps the one in
    # use, so no other test sees a second copy of its classes).
    spec = importlib.util.find_spec(name)
    spec.loader.exec_module(importlib.util.module_from_spec(spec))
    assert snapshot() == before


REGISTRY_NAMES = {
    "NAVIGATION",
    "SETTINGS_SECTIONS",
    "DEMO_STEPS",
    "PANELS",
    "LIST_ACTIONS",
    "TICK_JOBS",
    "SECTIONS",
    "BLOCK_SOURCES",
    "CUSTOMER_LOGIN_CHECKS",
    "ON_ENTER",
    "ON_PAID",
    "ON_CREATED",
    "AFTER_EVENT",
    "DENIAL_REASONS",
    "POLICIES",
    "ERASURE_BLOCKERS",
}


# Modules whose register() fills a registry (``tick.register(job)``, ``overview.register(...)``).
REGISTER_FUNCTIONS = {
    "register",
    "register_tick",
    "register_panel",
    "register_block_source",
    "register_erasure_blocker",
}
REGISTRY_MODULES = {"tick", "overview", "panels", "context_processors", "demo", "sections"}


def _registrations_at_module_level(tree):
    """Calls at a module's top level (or decorators of its top-level functions) that register:
    ``X.register(...)`` on a registry, ``register(...)``/``register_*(...)``, ``@register``
    (Django's ``@admin.register`` and ``checks.register`` are not ours)."""
    found = []
    for node in tree.body:
        calls = []
        if isinstance(node, ast.Expr):
            calls.append(node.value)
        elif isinstance(node, ast.FunctionDef | ast.ClassDef):
            calls += node.decorator_list
        for call in calls:
            func = call.func if isinstance(call, ast.Call) else call
            if isinstance(func, ast.Name):  # register(...), register_tick(...), @register
                registers = func.id in REGISTER_FUNCTIONS
            elif isinstance(func, ast.Attribute):  # NAVIGATION.register(...), tick.register(...)
                owner = getattr(func.value, "id", "")
                registers = (owner in REGISTRY_NAMES or owner in REGISTRY_MODULES) and (
                    func.attr in ("register", "append", "insert")
                )
            else:
                registers = False
            if registers:
                found.append(node.lineno)
    return found


def test_registrations_are_made_in_app_config_ready_only():
    """No module but an app's apps.py registers anything, and apps.py only inside ready()."""
    offenders = []
    for path in sorted((ROOT / "standing").rglob("*.py")):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text())
        for line in _registrations_at_module_level(tree):
            offenders.append(f"{path.relative_to(ROOT)}:{line}")
    assert not offenders, "registrations outside AppConfig.ready():\n" + "\n".join(offenders)


def test_every_registry_is_a_registry():
    """The shared places of the apps all use the one registry type."""
    from standing.accounts import backends
    from standing.core import bench, context_processors, demo, overview, sections, tick
    from standing.customers import api, lifecycle, panels, records, standing
    from standing.orders import events
    from standing.payments import services

    for module, name in [
        (context_processors, "NAVIGATION"),
        (sections, "SETTINGS_SECTIONS"),
        (demo, "DEMO_STEPS"),
        (panels, "PANELS"),
        (panels, "LIST_ACTIONS"),
        (tick, "TICK_JOBS"),
        (overview, "SECTIONS"),
        (standing, "BLOCK_SOURCES"),
        (backends, "CUSTOMER_LOGIN_CHECKS"),
        (lifecycle, "ON_ENTER"),
        (services, "ON_PAID"),
        (services, "ON_CREATED"),
        (events, "AFTER_EVENT"),
        (api, "DENIAL_REASONS"),
        (records, "POLICIES"),
        (records, "ERASURE_BLOCKERS"),
        (bench, "BENCHES"),
    ]:
        assert isinstance(getattr(module, name), Registry), name
