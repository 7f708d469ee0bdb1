"""Only the Qt layer imports Qt: models, services, exports and imports stay headless."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

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
