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

import runpy
from pathlib import Path
from typing import Any

revision = "0004_team_books"
down_revision = "0003_compact_scores"
branch_labels = None
depends_on = None

#: The steps, in order; each is a file in ../steps with ``upgrade()`` and ``downgrade()``.
STEPS = ("team", "perf", "money", "qbr", "imports", "playbooks", "money_bigint")


def _steps() -> dict[str, Any]:
    """The shared step runner (../steps/__init__.py), loaded by file like the steps themselves."""
    return runpy.run_path(str(Path(__file__).resolve().parents[1] / "steps" / "__init__.py"))


def upgrade() -> None:
    _steps()["upgrade"](STEPS)


def downgrade() -> None:
    _steps()["downgrade"](STEPS)
