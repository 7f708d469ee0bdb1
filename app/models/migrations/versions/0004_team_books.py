"""team workspace, kept tree summary, exchange rates, visibility, CRM facts, playbooks

One released revision made of steps (app/models/migrations/steps), run in this order:
- team: team workspace: members, account teams, audit trail, row versions; on PostgreSQL triggers
- perf: the account row keeps what the tree shows: latest health (score, band, trend), next renewal
- money: exchange rates the user keeps for the reporting currency
- qbr: visibility: goals, milestones, activities, tasks and risks are shared or internal
- imports: imports: company facts on accounts, CRM fields on opportunities, unset segment and stage
- playbooks: playbooks, running plays and the governance cadence

Revision ID: 0004_team_books
Revises: 0003_compact_scores
Create Date: 2026-12-02
"""

from __future__ import annotations

from app.models.migrations.steps import team, perf, money, qbr, imports, playbooks

revision = "0004_team_books"
down_revision = "0003_compact_scores"
branch_labels = None
depends_on = None

STEPS = (team, perf, money, qbr, imports, playbooks,)


def upgrade() -> None:
    for step in STEPS:
        step.upgrade()


def downgrade() -> None:
    for step in reversed(STEPS):
        step.downgrade()
