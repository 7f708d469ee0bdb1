"""Only the Qt layer imports Qt: models, services, exports and imports stay headless."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parent.parent / "app"
QT_ALLOWED = ("views",)
QT_ALLOWED_FILES = {"app/commands/gui.py"}
QT_MODULES = ("PySide6", "shiboken6", "matplotlib.backends.backend_qtagg")


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def test_nothing_outside_views_imports_qt() -> None:
    offenders = []
    for path in APP.rglob("*.py"):
        relative = path.relative_to(APP.parent).as_posix()
        if path.relative_to(APP).parts[0] in QT_ALLOWED or relative in QT_ALLOWED_FILES:
            continue
        for name in _imports(path):
            if name.startswith(QT_MODULES):
                offenders.append(f"{relative} imports {name}")
    assert offenders == []


def test_cli_and_services_load_without_qt() -> None:
    """Importing the CLI and every headless package leaves PySide6 unloaded."""
    headless = [
        p.relative_to(APP.parent).with_suffix("").as_posix().replace("/", ".")
        for p in APP.rglob("*.py")
        if p.relative_to(APP).parts[0] in {"models", "services", "exports", "imports"}
        and "migrations" not in p.parts
    ]
    code = (
        "import importlib, sys\n"
        f"for name in {['app.cli', *headless]!r}:\n"
        "    importlib.import_module(name.removesuffix('.__init__'))\n"
        "loaded = sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6')))\n"
        "print(loaded)\n"
        "sys.exit(1 if loaded else 0)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=APP.parent, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


def _app_imports(path: Path) -> set[str]:
    """The app.* modules a file imports, including imports inside functions."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.split(".")[0] == "app")
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "app":
                found.update(f"app.{a.name}" for a in node.names)
            elif node.module.startswith("app."):
                found.add(node.module)
    return found


#: What each layer may import from the app (arrows point down only; see docs/architecture.md).
#: ``app.paths`` and ``app.errors`` sit below every layer and import nothing of the app.
ALLOWED = {
    "models": ("app.models", "app.paths", "app.errors"),
    "services": ("app.models", "app.services", "app.paths", "app.errors"),
    "exports": (
        "app.models",
        "app.services",
        "app.exports",
        "app.paths",
        "app.errors",
        "app.__version__",
    ),
    "imports": ("app.models", "app.services", "app.imports", "app.paths", "app.errors"),
    "views": (
        "app.models",
        "app.services",
        "app.exports",
        "app.imports",
        "app.views",
        "app.paths",
        "app.errors",
        "app.__version__",
    ),
}


@pytest.mark.parametrize("layer", sorted(ALLOWED))
def test_each_layer_imports_only_the_layers_below(layer: str) -> None:
    allowed = ALLOWED[layer]
    offenders = []
    for path in (APP / layer).rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for name in _app_imports(path):
            if not any(name == a or name.startswith(a + ".") for a in allowed):
                offenders.append(f"{path.relative_to(APP.parent).as_posix()} imports {name}")
    assert offenders == []


def test_only_the_gui_and_snapshot_commands_reach_the_views() -> None:
    offenders = [
        f"{path.relative_to(APP.parent).as_posix()} imports {name}"
        for path in (APP / "commands").rglob("*.py")
        for name in _app_imports(path)
        if name.startswith("app.views") and path.name not in {"gui.py", "snapshot.py"}
    ]
    assert offenders == []


@pytest.mark.parametrize("layer", ["views", "exports"])
def test_views_run_no_sql(layer: str) -> None:
    """Views and exports ask services: no query building, no session.execute, no SQL text."""
    pattern = re.compile(
        r"(?<!def )(?<![.\w])select\(|\.execute\(|\bexec_driver_sql\(|(?<![.\w])text\(\s*[\"']|"
        r"\b(SELECT|INSERT|UPDATE|DELETE)\s+(\*|FROM|INTO|\w+\s+SET)\b"
    )
    offenders = [
        f"{path.relative_to(APP.parent).as_posix()}:{number}"
        for path in (APP / layer).rglob("*.py")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if pattern.search(line)
    ]
    assert offenders == []


def test_only_the_settings_module_touches_qsettings() -> None:
    """Every setting is declared once in app/views/settings.py; nothing reads a raw key."""
    offenders = [
        f"{path.relative_to(APP.parent).as_posix()}:{number}"
        for path in APP.rglob("*.py")
        if path != APP / "views" / "settings.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if "QSettings" in line
    ]
    assert offenders == []
