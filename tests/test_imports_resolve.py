"""Every ``from app... import name`` in the project names something that module has, the
imports inside functions too (those run only when a user reaches them). Moving code between
modules otherwise breaks a lazily imported name silently (mypy reads app/ only, not tests/,
benchmarks/ or packaging/)."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FOLDERS = ("app", "tests", "benchmarks", "packaging")
PROJECT = ("app", "tests", "benchmarks")


def _project_imports() -> list[tuple[str, str, str]]:
    """(file:line, module, name) for every absolute ``from <project module> import name``."""
    found = []
    for folder in FOLDERS:
        for path in sorted((ROOT / folder).rglob("*.py")):
            if "migrations" in path.parts:
                continue  # Alembic's revision files run under Alembic's own context
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
            for node in ast.walk(tree):
                if (
                    isinstance(node, ast.ImportFrom)
                    and node.level == 0
                    and node.module
                    and node.module.split(".")[0] in PROJECT
                ):
                    where = f"{path.relative_to(ROOT).as_posix()}:{node.lineno}"
                    found.extend((where, node.module, a.name) for a in node.names)
    return found


def test_every_project_import_names_something_that_exists() -> None:
    missing = []
    for where, module_name, name in _project_imports():
        try:
            module = importlib.import_module(module_name)
        except ImportError as error:
            missing.append(f"{where}: {module_name} does not import ({error})")
            continue
        if name == "*" or hasattr(module, name):
            continue
        try:
            importlib.import_module(f"{module_name}.{name}")
        except ImportError:
            missing.append(f"{where}: {module_name} has no {name}")
    assert missing == []
