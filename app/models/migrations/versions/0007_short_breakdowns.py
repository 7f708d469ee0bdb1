"""shorter health score breakdowns: ``mask:points`` with full points left out

One released revision made of steps (app/models/migrations/steps), run in this order:
- short_breakdowns: health_score.breakdown from ``[mask, points...]`` JSON to ``mask:points``

Revision ID: 0007_short_breakdowns
Revises: 0006_notes_outlive_delete
Create Date: 2026-12-03
"""

from __future__ import annotations

import runpy
from pathlib import Path
from typing import Any

revision = "0007_short_breakdowns"
down_revision = "0006_notes_outlive_delete"
branch_labels = None
depends_on = None

#: The steps, in order; each is a file in ../steps with ``upgrade()`` and ``downgrade()``.
STEPS: tuple[str, ...] = ("short_breakdowns",)


def _steps() -> dict[str, Any]:
    """The shared step runner (../steps/__init__.py), loaded by file like the steps themselves."""
    return runpy.run_path(str(Path(__file__).resolve().parents[1] / "steps" / "__init__.py"))


def upgrade() -> None:
    _steps()["upgrade"](STEPS)


def downgrade() -> None:
    _steps()["downgrade"](STEPS)
