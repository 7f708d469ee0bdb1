"""private notes outlive a delete: no foreign keys from ``private_note``

Deleting a stakeholder (or their account) cascaded to ``private_note`` and removed every
author's notes, although undo, which puts back only the rows its user can read, restored the
deleter's alone (row-level security hides the others'). The notes now stay where they are
when their person goes, unseen (nobody reads a note of a person who is not there), and come
back with the person on undo; they are removed once no undo can bring the person back
(app.models.note_keeping). ``account_id`` stays a plain column naming the note's account.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

_KEYS = (
    ("fk_private_note_account_id_account", "account_id", "account"),
    ("fk_private_note_stakeholder_id_stakeholder", "stakeholder_id", "stakeholder"),
)


def upgrade() -> None:
    with op.batch_alter_table("private_note", schema=None) as batch_op:
        for name, _column, _parent in _KEYS:
            batch_op.drop_constraint(name, type_="foreignkey")


def downgrade() -> None:
    # Notes whose person or account is gone would break the keys: they go first.
    for _name, column, parent in _KEYS:
        op.execute(
            sa.text(
                f"DELETE FROM private_note WHERE NOT EXISTS "
                f"(SELECT 1 FROM {parent} p WHERE p.id = private_note.{column})"
            )
        )
    with op.batch_alter_table("private_note", schema=None) as batch_op:
        for name, column, parent in _KEYS:
            batch_op.create_foreign_key(name, parent, [column], ["id"], ondelete="CASCADE")
