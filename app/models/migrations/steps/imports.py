"""imports: company facts on accounts, CRM fields on opportunities, unset segment and stage

Accounts gain the customer company's own annual revenue, employee count and CRM account
type (company facts, never our ARR). Segment and lifecycle stage may be "not set", so an
imported account whose file says nothing about them is not given invented values; existing
accounts keep theirs. Opportunities gain the CRM's record id, stage name, type, probability,
next step and owner, so a CRM export refreshes them in place.

"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

_SEGMENTS = ("strategic", "enterprise", "mid_market", "smb")
_STAGES = ("onboarding", "adoption", "value_realisation", "renewal", "expansion")


def _segment_type() -> sa.Enum:
    return sa.Enum(*_SEGMENTS, name="segment", native_enum=False, create_constraint=True, length=10)


def _stage_type() -> sa.Enum:
    return sa.Enum(
        *_STAGES, name="lifecycle_stage", native_enum=False, create_constraint=True, length=17
    )


def upgrade() -> None:
    with op.batch_alter_table("account", schema=None) as batch_op:
        batch_op.add_column(sa.Column("annual_revenue_minor", sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column("employees", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("account_type", sa.String(length=100), nullable=True))
        batch_op.alter_column("segment", existing_type=_segment_type(), nullable=True)
        batch_op.alter_column("lifecycle_stage", existing_type=_stage_type(), nullable=True)
    with op.batch_alter_table("opportunity", schema=None) as batch_op:
        batch_op.add_column(sa.Column("external_id", sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column("crm_stage", sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column("crm_type", sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column("probability", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("next_step", sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column("owner", sa.String(length=100), nullable=True))
        batch_op.create_index("ix_opportunity_external_id", ["external_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("opportunity", schema=None) as batch_op:
        batch_op.drop_index("ix_opportunity_external_id")
        for column in ("owner", "next_step", "probability", "crm_type", "crm_stage", "external_id"):
            batch_op.drop_column(column)
    op.execute("UPDATE account SET segment = 'mid_market' WHERE segment IS NULL")
    op.execute("UPDATE account SET lifecycle_stage = 'onboarding' WHERE lifecycle_stage IS NULL")
    with op.batch_alter_table("account", schema=None) as batch_op:
        batch_op.alter_column("lifecycle_stage", existing_type=_stage_type(), nullable=False)
        batch_op.alter_column("segment", existing_type=_segment_type(), nullable=False)
        for column in ("account_type", "employees", "annual_revenue_minor"):
            batch_op.drop_column(column)
