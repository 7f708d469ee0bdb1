"""exchange rates the user keeps for the reporting currency

The reporting currency itself is a workspace fact (``workspace_meta``, key
``reporting_currency``); without it the workspace reports in the currency most accounts use,
so existing workspaces need no data change.

"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


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
