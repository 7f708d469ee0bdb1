"""Steps of one release's revision, each one job's schema change, run in order.

A revision runs its steps through :func:`upgrade` and :func:`downgrade` here. Revisions load
this file by its path (``runpy.run_path``), and it loads each step by its path, as Alembic
loads revisions: a bundle ships the migrations as data files, not as importable modules.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

_FOLDER = Path(__file__).resolve().parent


def load_step(name: str) -> ModuleType:
    """The step ``name`` (a file in this folder with ``upgrade()`` and ``downgrade()``)."""
    spec = importlib.util.spec_from_file_location(f"fieldbook_step_{name}", _FOLDER / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def upgrade(steps: Sequence[str]) -> None:
    """Run the steps' upgrades in their order."""
    for name in steps:
        load_step(name).upgrade()


def downgrade(steps: Sequence[str]) -> None:
    """Undo the steps, the last first."""
    for name in reversed(steps):
        load_step(name).downgrade()
