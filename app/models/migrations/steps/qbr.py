"""visibility: goals, milestones, activities, tasks and risks are shared or internal

Adds ``shared`` (shared with the customer) to each. Existing rows get the defaults new ones
get: goals, milestones and touchpoints are shared; a task is shared unless it belongs to a
risk, follows up a health alert, or was made by the departed-contact workflow (finding a
successor, telling sales about a lead); a risk is shared only when it is joint work with the
customer (implementation, support, product), as the customer QBR showed them before.

"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

#: ``app.services.visibility.CUSTOMER_RISK_CATEGORIES`` as of this revision.
_SHARED_RISK_CATEGORIES = ("implementation", "support", "product")
#: Titles the departed-contact workflow (``app.services.map_departures.mark_departed``) gives.
_DEPARTURE_TITLES = ("Identify % successor and re-introduce our team", "Tell sales: % (lead)")
_TABLES = {"goal": True, "milestone": True, "activity": True, "task": True, "risk": False}


def upgrade() -> None:
    for table, default in _TABLES.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column(
                    "shared",
                    sa.Boolean(),
                    nullable=False,
                    server_default=sa.true() if default else sa.false(),
                )
            )
    task = sa.table(
        "task",
        sa.column("id", sa.String()),
        sa.column("risk_id", sa.String()),
        sa.column("title", sa.String()),
        sa.column("shared", sa.Boolean()),
    )
    alert = sa.table("health_alert", sa.column("task_id", sa.String()))
    internal = sa.or_(
        task.c.risk_id.is_not(None),
        task.c.id.in_(sa.select(alert.c.task_id).where(alert.c.task_id.is_not(None))),
        *(task.c.title.like(pattern) for pattern in _DEPARTURE_TITLES),
    )
    op.execute(task.update().where(internal).values(shared=False))
    risk = sa.table("risk", sa.column("category", sa.String()), sa.column("shared", sa.Boolean()))
    op.execute(
        risk.update().where(risk.c.category.in_(_SHARED_RISK_CATEGORIES)).values(shared=True)
    )


def downgrade() -> None:
    for table in reversed(_TABLES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("shared")
