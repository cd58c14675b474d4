"""The rooms of app/ (ARCHITECTURE.md): who may import whom, checked on every module's imports (function-level
imports included). The checker itself is tested on made-up modules, so a rule that stopped catching would fail."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parent.parent / "app"


def module_name(path: Path, root: Path = APP) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_modules(source: str, name: str, is_package: bool = False) -> set[str]:
    """Every module a source imports, with relative imports resolved against its own name."""
    found: set[str] = set()
    package = name if is_package else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join(anchor + ([base] if base else []))
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)  # "from app.blueprints import iptal"
    return found


def blueprint_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[2] if len(parts) > 2 and parts[:2] == ["app", "blueprints"] else None


def _inside(module: str, room: str) -> bool:
    return module == room or module.startswith(room + ".")


# room -> imports it must not make (beyond the blueprint rules)
FORBIDDEN = {
    "app.signing": ("flask", "app.models", "app.db", "app.blueprints"),
    "app.formats": ("flask", "app.models", "app.db", "sqlalchemy", "app.blueprints"),
    "app.models": ("flask", "app.blueprints"),
    "app.audit": ("app.blueprints",),
    "app.gib.client": ("flask", "app.models", "app.db", "app.blueprints"),
}


def violations(module: str, imports: set[str]) -> list[str]:
    problems = []
    own_blueprint = blueprint_of(module)
    for target in sorted(imports):
        target_blueprint = blueprint_of(target)
        if target_blueprint is None:
            continue
        if own_blueprint is None and module != "app.blueprints":
            problems.append(f"{module} imports the blueprint module {target}")
        elif own_blueprint is not None and target_blueprint != own_blueprint:
            problems.append(f"blueprint {module} imports another blueprint's module {target}")
    for room, forbidden in FORBIDDEN.items():
        if _inside(module, room):
            problems.extend(f"{module} ({room}) imports {t}" for t in sorted(imports)
                            if any(_inside(t, f) for f in forbidden))
    return problems


def app_modules() -> list[tuple[str, set[str]]]:
    modules = []
    for path in sorted(APP.rglob("*.py")):
        name = module_name(path)
        modules.append((name, imported_modules(path.read_text(encoding="utf-8"), name, path.name == "__init__.py")))
    return modules


def test_no_module_breaks_the_import_rules():
    problems = [p for name, imports in app_modules() for p in violations(name, imports)]
    assert problems == []


def test_views_never_touch_the_transaction():
    offenders = []
    for path in sorted((APP / "blueprints").rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        for word in (".commit(", ".rollback(", "get_session(", "start_write("):
            if word in text:
                offenders.append(f"{path.relative_to(APP.parent)}: {word}")
    assert offenders == []


def test_views_stay_short():
    """Blueprints hold HTTP only: a view longer than 30 lines is doing work that belongs in a feature package."""
    long_views = []
    for path in sorted((APP / "blueprints").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef) and node.end_lineno - node.lineno + 1 > 30:
                long_views.append(f"{path.relative_to(APP.parent)}:{node.lineno} {node.name}")
    assert long_views == []


@pytest.mark.parametrize(
    ("module", "source", "expected"),
    [
        ("app.iptal.operations", "from app.blueprints.iptal import views", "imports the blueprint module"),
        ("app.jobs.tasks", "import app.blueprints.edefter.views", "imports the blueprint module"),
        ("app.invoices.queries", "def f():\n    from app.blueprints import faturalar", "imports the blueprint module"),
        ("app.blueprints.iptal.views", "from app.blueprints.faturalar import bp", "another blueprint"),
        ("app.blueprints.iptal.views", "from ..faturalar import views", "another blueprint"),
        ("app.signing.act", "from flask import current_app", "(app.signing) imports flask"),
        ("app.formats.ubl.reader", "from app.db import get_session", "(app.formats) imports app.db"),
    ],
)
def test_the_checker_catches_each_kind_of_violation(module, source, expected):
    found = violations(module, imported_modules(source, module))
    assert any(expected in problem for problem in found), found


@pytest.mark.parametrize(
    ("module", "source"),
    [
        ("app.blueprints.iptal.views", "from app.blueprints.iptal import bp"),
        ("app.blueprints.iptal", "from app.blueprints.iptal import views"),
        ("app.blueprints.iptal.views", "from . import bp"),
        ("app.blueprints.iptal.views", "from app.iptal import operations"),
        ("app.iptal.operations", "from app.unit_of_work import unit_of_work"),
    ],
)
def test_the_checker_allows_what_the_rules_allow(module, source):
    assert violations(module, imported_modules(source, module, module == "app.blueprints.iptal")) == []
