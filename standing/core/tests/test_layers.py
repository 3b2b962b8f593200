"""The layer order, checked for every import.

``lint-imports`` (pyproject.toml) checks the contracts through import-linter; this test reads the
same layer order from pyproject.toml and walks every module under standing/ with ``ast``, so
that an import inside a function, a relative import or ``import_module("standing.x")`` cannot
slip past it. A module of a lower app may import only apps below it; siblings (``a | b``) may
not import each other; every app has a place in the order. Tests may import anything.
"""

import ast
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
PACKAGE = ROOT / "standing"

# (importing module prefix, imported module prefix): why it cannot be avoided yet.
ALLOWED: dict = {}

# Modules directly in the standing package that wire the project together (settings, root URLs,
# the command line): above every app, imported by none.
PROJECT = "project"


def layer_ranks():
    """{app: (rank, layer index)}: a higher rank is a higher layer; read from pyproject.toml."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    contracts = config["tool"]["importlinter"]["contracts"]
    (layers,) = [c["layers"] for c in contracts if c["type"] == "layers"]
    ranks = {}
    for index, layer in enumerate(reversed(layers)):
        for module in layer.replace(":", "|").split("|"):
            module = module.strip()
            assert module.startswith("standing."), module
            ranks[module.removeprefix("standing.")] = index
    return ranks


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(source: str, module: str, is_package: bool = False):
    """Every module that ``source`` imports, at any depth of the tree: (line, module)."""
    found = []
    package = module.split(".") if is_package else module.split(".")[:-1]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module
            if node.module:
                found.append((node.lineno, target))
            else:  # from . import x / from standing import x: x may be a module
                found += [(node.lineno, f"{target}.{alias.name}") for alias in node.names]
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "attr", getattr(node.func, "id", None)) == "import_module"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            found.append((node.lineno, node.args[0].value))
    return found


def app_of(module: str):
    """The app (first name below standing) of a module; PROJECT for the project's own modules;
    None outside Standing."""
    parts = module.split(".")
    if parts[0] != "standing":
        return None
    if len(parts) == 1:
        return PROJECT
    if (PACKAGE / parts[1]).is_dir():
        return parts[1]
    return "api" if parts[1] == "api" else PROJECT


def app_modules():
    """(file, module, source, is package) of every module under standing/ but the tests."""
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE).parts
        if "tests" in relative or path.name == "conftest.py":
            continue
        yield (
            str(path.relative_to(ROOT)),
            module_name(path),
            path.read_text(),
            path.name == "__init__.py",
        )


def violations(ranks, modules=None):
    found = []
    for filename, module, source, is_package in modules or app_modules():
        source_app = app_of(module)
        if source_app == PROJECT:
            continue
        for line, target in imports_of(source, module, is_package):
            target_app = app_of(target)
            if target_app in (None, source_app):
                continue
            if any(
                module.startswith(importer) and target.startswith(imported)
                for importer, imported in ALLOWED
            ):
                continue
            where = f"{filename}:{line}: {module} -> {target}"
            if target_app == PROJECT:
                found.append(f"{where} (the project's own modules are above every app)")
            elif source_app not in ranks or target_app not in ranks:
                continue  # reported by test_every_app_has_a_layer
            elif ranks[target_app] > ranks[source_app]:
                found.append(f"{where} ({source_app} is below {target_app})")
            elif ranks[target_app] == ranks[source_app]:
                found.append(f"{where} ({source_app} and {target_app} are independent siblings)")
    return found


def test_every_app_has_a_layer():
    ranks = layer_ranks()
    apps = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").exists()}
    apps.discard("locale")
    missing = sorted(apps - set(ranks))
    assert not missing, f"apps without a place in the layers of pyproject.toml: {missing}"


def test_no_import_goes_up_a_layer():
    found = violations(layer_ranks())
    assert not found, "imports against the layer order:\n" + "\n".join(found)


def test_allow_list_is_still_needed():
    """An exception that is no longer used is removed from ALLOWED."""
    used = set()
    for _filename, module, source, is_package in app_modules():
        for _line, target in imports_of(source, module, is_package):
            for importer, imported in ALLOWED:
                if module.startswith(importer) and target.startswith(imported):
                    used.add((importer, imported))
    assert used == set(ALLOWED)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("def f():\n    from standing.customers.standing import standing\n", "customers"),
        ("from ..customers import panels\n", "customers"),
        ("from .. import customers\n", "customers"),
        ("import standing.customers.models\n", "customers"),
        (
            "def f():\n    from importlib import import_module\n"
            "    import_module('standing.customers.panels')\n",
            "customers",
        ),
    ],
)
def test_function_level_and_relative_imports_are_seen(source, expected):
    """The check sees imports inside functions, relative ones and import_module()."""
    targets = {app_of(t) for _line, t in imports_of(source, "standing.accounts.views")}
    assert expected in targets
    ranks = layer_ranks()
    assert ranks["accounts"] < ranks["customers"]


def test_upward_sibling_and_project_imports_are_reported():
    """A low app importing a higher one inside a function, a sibling importing its sibling and
    an app importing the project's settings module each fail the check; a downward import
    does not."""
    probes = [
        ("probe1.py", "standing.accounts.probe", "def f():\n    from ..customers import x\n"),
        ("probe2.py", "standing.billing.probe", "from standing.payments.models import y\n"),
        ("probe3.py", "standing.orders.probe", "import standing.urls\n"),
        ("probe4.py", "standing.claims.probe", "from standing.orders import models\n"),
    ]
    found = violations(layer_ranks(), [(f, m, s, False) for f, m, s in probes])
    assert len(found) == 3
    assert found[0].startswith("probe1.py:2: standing.accounts.probe -> standing.customers ")
    assert "accounts is below customers" in found[0]
    assert "independent siblings" in found[1]
    assert "above every app" in found[2]
