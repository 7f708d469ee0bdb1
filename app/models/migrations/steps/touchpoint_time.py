"""touchpoint time: a touchpoint happens at a time of day, or all day

Adds ``activity.all_day``. Touchpoints logged before this step were given a date only (the
form saved every one at 09:00 UTC), so they become all-day touchpoints on that date; new ones
carry the time of day the user gives, and their ``duration_minutes``.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


def upgrade() -> None:
    with op.batch_alter_table("activity", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("all_day", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    activity = sa.table("activity", sa.column("all_day", sa.Boolean()))
    op.execute(activity.update().values(all_day=True))


def downgrade() -> None:
    with op.batch_alter_table("activity", schema=None) as batch_op:
        batch_op.drop_column("all_day")
