"""money columns hold 64-bit minor units on every database

SQLite's INTEGER is 64-bit already, but PostgreSQL's is 32-bit: a contract of 21.5 million
in cents overflowed on a team workspace. On PostgreSQL the columns become BIGINT (an
in-place ALTER); on SQLite nothing needs rewriting, so the file is left as it is.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

COLUMNS = {
    "account": (
        "arr_minor",
        "baseline_revenue_minor",
        "forecast_revenue_minor",
        "usage_target_minor",
        "usage_actual_minor",
        "price_erosion_minor",
        "terminations_minor",
        "service_credits_minor",
        "overdue_debt_minor",
    ),
    "contract": ("value_minor",),
    "metric_snapshot": ("overdue_invoices_minor", "service_credits_minor"),
    "opportunity": ("value_minor",),
}


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table, columns in COLUMNS.items():
        for column in columns:
            op.alter_column(table, column, type_=sa.BigInteger(), existing_type=sa.Integer())


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table, columns in COLUMNS.items():
        for column in columns:
            op.alter_column(table, column, type_=sa.Integer(), existing_type=sa.BigInteger())
