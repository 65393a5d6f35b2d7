"""The layer rules of DESIGN.md, checked: core, net and storage never load Qt."""

from __future__ import annotations

import ast
import json
import pkgutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "app"
HEADLESS = ("app.core", "app.net", "app.storage")
# The headless commands and the services beside them run from cron without a display.
QT_FREE = (*HEADLESS, "app.cli", "app.services")


def _modules(package: str) -> list[str]:
    path = APP / package.split(".", 1)[1]
    found = [package]
    for info in pkgutil.walk_packages([str(path)], prefix=f"{package}."):
        found.append(info.name)
    return sorted(found)


def test_headless_layers_do_not_load_pyside6():
    modules = [m for p in QT_FREE for m in _modules(p)]
    assert "app.core.models" in modules and "app.storage.inbox_store" in modules
    assert "app.cli.sync" in modules and "app.services.accounts" in modules
    script = (
        "import importlib, json, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] == 'PySide6'"
        " or m.startswith('shiboken'))))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, proc.stderr
    loaded = json.loads(proc.stdout.strip().splitlines()[-1])
    assert loaded == [], f"importing core/net/storage/cli/services loaded Qt: {loaded}"


def _qt_imports(tree: ast.AST) -> list[int]:
    """The line of every PySide6 import in a module, at any depth."""
    found = []
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module]
        if any(n == "PySide6" or n.startswith("PySide6.") for n in names):
            found.append(node.lineno)
    return found


def test_only_ui_imports_pyside6():
    offenders = []
    for path in sorted(APP.rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        if rel.startswith("app/ui/"):
            continue
        for line in _qt_imports(ast.parse(path.read_text(encoding="utf-8"))):
            offenders.append(f"{rel}:{line}")
    assert offenders == [], f"PySide6 imported outside app/ui: {offenders}"


def test_ui_never_imports_storage_or_net():
    offenders = []
    for path in sorted((APP / "ui").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            mods = []
            if isinstance(node, ast.Import):
                mods = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                mods = [node.module]
            for mod in mods:
                if mod.startswith(("app.storage", "app.net")):
                    offenders.append(f"{path.relative_to(ROOT)}:{node.lineno} {mod}")
    assert offenders == []


def test_the_commands_and_services_never_import_the_ui():
    """Not even inside a function: `shopkeep sync` from cron has no display."""
    offenders = []
    for folder in ("cli", "services"):
        for path in sorted((APP / folder).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                mods = []
                if isinstance(node, ast.Import):
                    mods = [a.name for a in node.names]
                elif isinstance(node, ast.ImportFrom) and node.module:
                    mods = [node.module]
                for mod in mods:
                    if mod == "app.ui" or mod.startswith(("app.ui.", "app.wiring", "PySide6")):
                        offenders.append(f"{path.relative_to(ROOT)}:{node.lineno} {mod}")
    assert offenders == []


def test_app_main_imports_without_qt():
    proc = subprocess.run(
        [sys.executable, "-c", "import sys, app.main; print('PySide6' in sys.modules)"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "False"


def _module_names() -> dict[str, Path]:
    found = {}
    for path in APP.rglob("*.py"):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def _imports_of(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """Every app module this one imports, anywhere in it: at the top, inside a function
    (a lazy import still needs the other module) or under TYPE_CHECKING (so do its
    types). `from app.pkg import sub` counts `app.pkg.sub`, not the package."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        targets = []
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                up = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join(up + ([base] if base else []))
            targets = [
                f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base for a in node.names
            ]
        for target in targets:
            while target and target not in modules:
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


def _circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The groups of modules that reach each other (Tarjan's strongly connected parts)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    circles = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in sorted(graph[node]):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                circles.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return circles


def test_the_modules_of_app_import_each_other_in_no_circle():
    modules = _module_names()
    graph = {name: _imports_of(name, path, modules) for name, path in modules.items()}
    assert "app.wiring.window" in graph["app.main"]  # the graph sees imports inside functions
    assert "app.ui.main_window" in graph["app.main"]  # ...and under TYPE_CHECKING
    assert _circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _circles(graph) == []


def test_the_root_of_app_holds_only_the_entry_point():
    """Everything else lives in a folder named for what it holds (cli, services, wiring, ...)."""
    loose = sorted(p.name for p in APP.glob("*.py"))
    assert loose == ["__init__.py", "__main__.py", "main.py"]
