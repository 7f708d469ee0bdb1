"""exchange rates the user keeps for the reporting currency

The reporting currency itself is a workspace fact (``workspace_meta``, key
``reporting_currency``); without it the workspace reports in the currency most accounts use,
so existing workspaces need no data change.

Revision ID: 0004_money
Revises: 0003_compact_scores
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_money"
down_revision = "0003_compact_scores"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "exchange_rate",
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("quote", sa.String(length=3), nullable=False),
        sa.Column("rate", sa.String(length=40), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.CheckConstraint("currency <> quote", name=op.f("ck_exchange_rate_not_itself")),
        sa.PrimaryKeyConstraint("currency", "quote", name=op.f("pk_exchange_rate")),
    )


def downgrade() -> None:
    op.drop_table("exchange_rate")
