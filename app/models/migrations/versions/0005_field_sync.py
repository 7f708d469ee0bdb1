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

import importlib.util
from pathlib import Path
from types import ModuleType

revision = "0005_field_sync"
down_revision = "0004_team_books"
branch_labels = None
depends_on = None

#: The steps, in order; each is a file in ../steps with ``upgrade()`` and ``downgrade()``.
STEPS: tuple[str, ...] = ("touchpoint_time", "private_notes", "sync")
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
