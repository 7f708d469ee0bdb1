"""field laptops and the round after the team workspace

One released revision made of steps (app/models/migrations/steps), run in this order:
- touchpoint_time: touchpoints have a time of day and a length, or are all day
- private_notes: private notes: a table of their own, one per stakeholder and author
- sync: field laptops: the server's change log and batches, a replica's outbox and conflicts

Revision ID: 0005_field_sync
Revises: 0004_team_books
Create Date: 2026-12-02
"""

from __future__ import annotations

import runpy
from pathlib import Path
from typing import Any

revision = "0005_field_sync"
down_revision = "0004_team_books"
branch_labels = None
depends_on = None

#: The steps, in order; each is a file in ../steps with ``upgrade()`` and ``downgrade()``.
STEPS: tuple[str, ...] = ("touchpoint_time", "private_notes", "sync")


def _steps() -> dict[str, Any]:
    """The shared step runner (../steps/__init__.py), loaded by file like the steps themselves."""
    return runpy.run_path(str(Path(__file__).resolve().parents[1] / "steps" / "__init__.py"))


def upgrade() -> None:
    _steps()["upgrade"](STEPS)


def downgrade() -> None:
    _steps()["downgrade"](STEPS)
