"""The layout shows the architecture: few top-level modules, areas that say what they hold,
imports that run one way (store → domain areas → web → blueprints) and no import cycles."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import form_service

PACKAGE = Path(form_service.__file__).resolve().parent
TOP_LEVEL_ALLOWED = {"__init__", "wsgi", "settings", "messages"}
BLUEPRINTS = {"apply", "status", "api", "staff"}
# What each lower area may import besides itself (site_builder and libraries are always allowed).
MAY_IMPORT = {
    "store": set(),
    "accounts": {"store", "messages"},
    "applications": {"accounts", "store", "messages"},
    "forms": {"applications", "messages"},
    "reports": {"applications", "accounts", "store"},
    "web": {"applications", "accounts", "store", "settings", "messages"},
    "content": {"accounts", "store"},
    "imports": {"applications", "accounts", "forms", "reports", "store", "messages"},
    "messages": set(),
    "settings": set(),
}


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path, modules: set[str]) -> set[str]:
    """Return every form_service module `path` imports, at any depth of the file."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module.startswith("form_service"):
                submodules = {f"{node.module}.{alias.name}" for alias in node.names} & modules
                found.update(submodules or {node.module})
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("form_service"))
    return found


def _graph() -> dict[str, set[str]]:
    modules = {_module_name(p): p for p in PACKAGE.rglob("*.py") if "migrations" not in p.parts}
    return {
        name: {t for t in _imports(path, set(modules)) if t in modules and t != name}
        for name, path in modules.items()
    }


def _area(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def test_top_level_holds_only_the_entry_points() -> None:
    top = {p.stem for p in PACKAGE.glob("*.py")}
    assert top <= TOP_LEVEL_ALLOWED, top - TOP_LEVEL_ALLOWED
    assert len(top) <= 6


def test_every_area_says_what_it_holds() -> None:
    for folder in sorted(p for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()):
        doc = ast.get_docstring(ast.parse((folder / "__init__.py").read_text()))
        assert doc and len(doc) > 40, f"{folder.name}/__init__.py needs a docstring"


def test_nothing_below_a_blueprint_imports_one() -> None:
    wrong = []
    for module, targets in _graph().items():
        area = _area(module)
        if area in BLUEPRINTS or area in ("__init__", "cli"):
            continue
        wrong += [f"{module} → {t}" for t in targets if _area(t) in BLUEPRINTS]
    assert wrong == []


def test_lower_areas_import_only_what_is_below_them() -> None:
    wrong = []
    for module, targets in _graph().items():
        area = _area(module)
        if area not in MAY_IMPORT:
            continue
        allowed = MAY_IMPORT[area] | {area}
        wrong += [f"{module} → {t}" for t in targets if _area(t) not in allowed]
    assert wrong == []


def test_there_are_no_import_cycles() -> None:
    graph = _graph()
    # Package __init__ modules are how submodules are reached, not a dependency of their own.
    edges = defaultdict(set)
    for module, targets in graph.items():
        for target in targets:
            if not module.startswith(target + ".") and not target.startswith(module + "."):
                edges[module].add(target)
    cycles, state = [], {}

    def visit(node: str, path: list[str]) -> None:
        state[node] = "open"
        for nxt in sorted(edges[node]):
            if state.get(nxt) == "open":
                cycles.append(path[path.index(nxt) :] + [nxt] if nxt in path else [node, nxt])
            elif nxt not in state:
                visit(nxt, [*path, nxt])
        state[node] = "done"

    for start in sorted(graph):
        if start not in state:
            visit(start, [start])
    assert cycles == []
