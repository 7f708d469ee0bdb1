"""private notes: a table of their own, one per stakeholder and author

``stakeholder.private_notes`` was a column, which a team server's row-level security cannot
hide from the rest of the team. Each note becomes a row of ``private_note`` with its author
(the database login on a team server, the computer's user for a file), and the column goes.

Moving the notes: on PostgreSQL the author is whoever last wrote the note according to the
audit trail (else the role running the upgrade); the note text is then removed from the audit
trail, which the whole team reads. On a file the author is the computer's user.
The author-only policy is installed with the others (app.models.policies) when the server
has team roles.

"""

from __future__ import annotations

import getpass
import uuid
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

#: The longest role name on PostgreSQL: an author is a login.
_AUTHOR_LENGTH = 63


def _file_author() -> str:
    """``app.models.stakeholder.file_author`` as of this revision."""
    try:
        name = getpass.getuser()
    except Exception:  # no user name in the environment (a bare container)
        name = ""
    return (name or "me")[:_AUTHOR_LENGTH]


def _authors_from_audit(connection: sa.Connection) -> dict[str, str]:
    """The login that last wrote each stakeholder's private notes (PostgreSQL's audit)."""
    rows = connection.exec_driver_sql(
        "SELECT DISTINCT ON (row_id) row_id, who FROM audit_entry "
        "WHERE table_name = 'stakeholder' AND action IN ('insert', 'update') "
        "AND changes::jsonb ? 'private_notes' "
        "AND (action = 'update' OR changes::jsonb -> 'private_notes' <> 'null'::jsonb) "
        "ORDER BY row_id, id DESC"
    )
    return {str(row_id): str(who) for row_id, who in rows}


def upgrade() -> None:
    connection = op.get_bind()
    server = connection.dialect.name == "postgresql"
    note = op.create_table(
        "private_note",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("stakeholder_id", sa.String(length=32), nullable=False),
        sa.Column("account_id", sa.String(length=32), nullable=False),
        sa.Column("author", sa.String(length=_AUTHOR_LENGTH), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["account.id"],
            name=op.f("fk_private_note_account_id_account"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["stakeholder_id"],
            ["stakeholder.id"],
            name=op.f("fk_private_note_stakeholder_id_stakeholder"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_private_note")),
        sa.UniqueConstraint(
            "stakeholder_id", "author", name=op.f("uq_private_note_stakeholder_id_author")
        ),
    )
    op.create_index("ix_private_note_account_id", "private_note", ["account_id"])
    stakeholder = sa.table(
        "stakeholder",
        sa.column("id", sa.String()),
        sa.column("account_id", sa.String()),
        sa.column("private_notes", sa.Text()),
    )
    found = connection.execute(
        sa.select(stakeholder.c.id, stakeholder.c.account_id, stakeholder.c.private_notes).where(
            stakeholder.c.private_notes.is_not(None)
        )
    ).all()
    if server:
        default = str(connection.exec_driver_sql("SELECT current_user").scalar())
        authors = _authors_from_audit(connection)
    else:
        default, authors = _file_author(), {}
    now = datetime.now(UTC).replace(tzinfo=None)
    rows: list[dict[str, Any]] = [
        {
            "id": uuid.uuid4().hex,
            "stakeholder_id": sid,
            "account_id": account_id,
            "author": authors.get(sid, default),
            "text": text.strip(),
            "created_at": now,
            "updated_at": now,
        }
        for sid, account_id, text in found
        if text and text.strip()
    ]
    if rows:
        connection.execute(note.insert(), rows)
    with op.batch_alter_table("stakeholder") as batch:
        batch.drop_column("private_notes")
    if server:
        # The audit trail is read by the whole team: the notes' text leaves it.
        op.execute(
            "UPDATE audit_entry SET changes = (changes::jsonb - 'private_notes')::text "
            "WHERE table_name = 'stakeholder' AND changes::jsonb ? 'private_notes'"
        )
        op.execute(
            "DELETE FROM audit_entry WHERE table_name = 'stakeholder' AND action = 'update' "
            "AND changes::jsonb = '{}'::jsonb"
        )


def downgrade() -> None:
    connection = op.get_bind()
    with op.batch_alter_table("stakeholder") as batch:
        batch.add_column(sa.Column("private_notes", sa.Text(), nullable=True))
    # A column holds one note: each stakeholder gets the newest (others' notes are lost,
    # as they would have been had the authors shared the column).
    newest: dict[str, str] = {}
    for sid, text in connection.exec_driver_sql(
        "SELECT stakeholder_id, text FROM private_note ORDER BY updated_at, id"
    ):
        newest[str(sid)] = str(text)
    if newest:
        stakeholder = sa.table(
            "stakeholder", sa.column("id", sa.String()), sa.column("private_notes", sa.Text())
        )
        connection.execute(
            stakeholder.update()
            .where(stakeholder.c.id == sa.bindparam("sid"))
            .values(private_notes=sa.bindparam("text")),
            [{"sid": sid, "text": text} for sid, text in newest.items()],
        )
    op.drop_index("ix_private_note_account_id", table_name="private_note")
    op.drop_table("private_note")
