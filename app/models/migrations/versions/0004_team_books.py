"""team workspace, kept tree summary, exchange rates, visibility, CRM facts, playbooks

One released revision made of steps (app/models/migrations/steps), run in this order:
- team: team workspace: members, account teams, audit trail, row versions; on PostgreSQL triggers
- perf: the account row keeps what the tree shows: latest health (score, band, trend), next renewal
- money: exchange rates the user keeps for the reporting currency
- qbr: visibility: goals, milestones, activities, tasks and risks are shared or internal
- imports: imports: company facts on accounts, CRM fields on opportunities, unset segment and stage
- playbooks: playbooks, running plays and the governance cadence
- money_bigint: money columns hold 64-bit minor units on every database

Revision ID: 0004_team_books
Revises: 0003_compact_scores
Create Date: 2026-12-02
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

revision = "0004_team_books"
down_revision = "0003_compact_scores"
branch_labels = None
depends_on = None

#: The steps, in order; each is a file in ../steps with ``upgrade()`` and ``downgrade()``.
STEPS = ("team", "perf", "money", "qbr", "imports", "playbooks", "money_bigint")
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
