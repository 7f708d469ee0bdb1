"""round 23

One revision made of steps (app/models/migrations/steps), run in this order:
- notes_outlive_delete: private notes outlive a delete: no foreign keys from private_note

Revision ID: 0006_round23
Revises: 0005_field_sync
Create Date: 2026-12-02
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

revision = "0006_round23"
down_revision = "0005_field_sync"
branch_labels = None
depends_on = None

#: The steps, in order; each is a file in ../steps with ``upgrade()`` and ``downgrade()``.
STEPS: tuple[str, ...] = ("notes_outlive_delete",)
_FOLDER = Path(__file__).resolve().parents[1] / "steps"


def _step(name: str) -> ModuleType:
    """Load a step by file, as Alembic loads revisions (a bundle ships them as data files)."""
    spec = importlib.util.spec_from_file_location(f"fieldbook_step_{name}", _FOLDER / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def upgrade() -> None:
    for name in STEPS:
        _step(name).upgrade()


def downgrade() -> None:
    for name in reversed(STEPS):
        _step(name).downgrade()
