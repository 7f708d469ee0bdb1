"""private notes outlive a delete, for the undo that brings their person back

One released revision made of steps (app/models/migrations/steps), run in this order:
- notes_outlive_delete: private notes outlive a delete: no foreign keys from private_note

Revision ID: 0006_notes_outlive_delete
Revises: 0005_field_sync
Create Date: 2026-12-02
"""

from __future__ import annotations

import runpy
from pathlib import Path
from typing import Any

revision = "0006_notes_outlive_delete"
down_revision = "0005_field_sync"
branch_labels = None
depends_on = None

#: The steps, in order; each is a file in ../steps with ``upgrade()`` and ``downgrade()``.
STEPS: tuple[str, ...] = ("notes_outlive_delete",)


def _steps() -> dict[str, Any]:
    """The shared step runner (../steps/__init__.py), loaded by file like the steps themselves."""
    return runpy.run_path(str(Path(__file__).resolve().parents[1] / "steps" / "__init__.py"))


def upgrade() -> None:
    _steps()["upgrade"](STEPS)


def downgrade() -> None:
    _steps()["downgrade"](STEPS)
