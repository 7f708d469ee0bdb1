"""playbooks, running plays and the governance cadence

Adds the playbook and playbook_step tables (plays as editable data), play and play_step
(a playbook running on an account, its dated steps) and cadence_rule (the meeting rhythm per
segment). New tables only: existing workspaces upgrade with nothing to fill in; the built-in
playbooks and cadence are added by the services the first time they are read.

"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


def upgrade() -> None:
    op.create_table(
        "cadence_rule",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column(
            "segment",
            sa.Enum(
                "strategic",
                "enterprise",
                "mid_market",
                "smb",
                name="segment",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column(
            "kind",
            sa.Enum(
                "call",
                "meeting",
                "on_site",
                "workshop",
                "training",
                "email",
                "qbr",
                "ebr",
                "obr",
                "cbr",
                name="activity_kind",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("label", sa.String(length=100), nullable=False),
        sa.Column("every_days", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cadence_rule")),
        sa.UniqueConstraint("segment", "kind", name=op.f("uq_cadence_rule_segment_kind")),
    )
    op.create_table(
        "playbook",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("trigger", sa.String(length=50), nullable=False),
        sa.Column("builtin", sa.Boolean(), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_playbook")),
        sa.UniqueConstraint("name", name=op.f("uq_playbook_name")),
    )
    op.create_table(
        "play",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("account_id", sa.String(length=32), nullable=False),
        sa.Column("playbook_id", sa.String(length=32), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "running",
                "paused",
                "completed",
                "cancelled",
                name="play_status",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("started_on", sa.Date(), nullable=False),
        sa.Column("reason", sa.String(length=300), nullable=False),
        sa.Column("episode", sa.String(length=200), nullable=True),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.Column("cancel_reason", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["account.id"],
            name=op.f("fk_play_account_id_account"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["playbook_id"],
            ["playbook.id"],
            name=op.f("fk_play_playbook_id_playbook"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_play")),
        sa.UniqueConstraint(
            "account_id",
            "playbook_id",
            "episode",
            name=op.f("uq_play_account_id_playbook_id_episode"),
        ),
    )
    with op.batch_alter_table("play", schema=None) as batch_op:
        batch_op.create_index("ix_play_account_id", ["account_id"], unique=False)

    op.create_table(
        "playbook_step",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("playbook_id", sa.String(length=32), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "task",
                "milestone",
                "touchpoint",
                "checklist",
                name="step_kind",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("phase", sa.String(length=100), nullable=True),
        sa.Column(
            "anchor",
            sa.Enum(
                "start",
                "renewal",
                "notice",
                name="step_anchor",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("offset_days", sa.Integer(), nullable=False),
        sa.Column("offset_months", sa.Integer(), nullable=False),
        sa.Column(
            "owner_role",
            sa.Enum(
                "account_owner",
                "executive_sponsor",
                "support",
                "sales",
                name="owner_role",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("shared", sa.Boolean(), nullable=False),
        sa.Column("condition", sa.String(length=100), nullable=True),
        sa.ForeignKeyConstraint(
            ["playbook_id"],
            ["playbook.id"],
            name=op.f("fk_playbook_step_playbook_id_playbook"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_playbook_step")),
    )
    with op.batch_alter_table("playbook_step", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_playbook_step_playbook_id"), ["playbook_id"], unique=False
        )

    op.create_table(
        "play_step",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("play_id", sa.String(length=32), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "task",
                "milestone",
                "touchpoint",
                "checklist",
                name="step_kind",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("phase", sa.String(length=100), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column(
            "owner_role",
            sa.Enum(
                "account_owner",
                "executive_sponsor",
                "support",
                "sales",
                name="owner_role",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("owner", sa.String(length=100), nullable=True),
        sa.Column("shared", sa.Boolean(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "open",
                "done",
                "closed",
                name="step_status",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("done_on", sa.Date(), nullable=True),
        sa.Column("closed_reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["play_id"], ["play.id"], name=op.f("fk_play_step_play_id_play"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_play_step")),
    )
    with op.batch_alter_table("play_step", schema=None) as batch_op:
        batch_op.create_index("ix_play_step_due_on", ["due_on"], unique=False)
        batch_op.create_index(batch_op.f("ix_play_step_play_id"), ["play_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("play_step", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_play_step_play_id"))
        batch_op.drop_index("ix_play_step_due_on")

    op.drop_table("play_step")
    with op.batch_alter_table("playbook_step", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_playbook_step_playbook_id"))

    op.drop_table("playbook_step")
    with op.batch_alter_table("play", schema=None) as batch_op:
        batch_op.drop_index("ix_play_account_id")

    op.drop_table("play")
    op.drop_table("playbook")
    op.drop_table("cadence_rule")
