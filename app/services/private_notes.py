"""Private notes about stakeholders: each person reads and writes only their own.

A note is a row of ``private_note`` per stakeholder and author. On a team server row-level
security hides other people's notes (app.models.policies); these functions also ask for the
signed-in author's note only, so the workspace's owner (whom the policies do not bind) and a
file copied from a server show nobody else's notes either.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import ColumnElement, ScalarSelect, bindparam, literal, select
from sqlalchemy.orm import Session
from sqlalchemy.sql import functions

from app.models import PrivateNote, Stakeholder
from app.models.batches import batches
from app.models.stakeholder import current_author, file_author


def author(session: Session) -> str:
    """Who the notes written in ``session`` belong to."""
    return current_author(session.connection())


def note_of(session: Session, stakeholder_id: str) -> str | None:
    """The signed-in person's private note on a stakeholder (None when they wrote none)."""
    return notes_of(session, [stakeholder_id]).get(stakeholder_id)


def _me(session: Session) -> ColumnElement[str]:
    """The signed-in author as SQL: the server's own CURRENT_USER (no round trip of its own
    before the notes' query), or the file's author."""
    if session.get_bind().dialect.name == "postgresql":
        return functions.current_user()
    return literal(file_author())


#: The bound parameter ``own_note_text`` reads a file's author from.
_AUTHOR_PARAM = "note_author"


def own_note_text(dialect: str, stakeholder_id: ColumnElement[str]) -> ScalarSelect[str]:
    """The signed-in person's note on the stakeholder ``stakeholder_id`` names, as a scalar
    subquery: a query of stakeholders reads each one's note in the same statement.

    The subquery holds no value of its own, so a statement using it can be built once per
    ``dialect`` (a database dialect's name) and kept; run it with ``own_note_params``.
    """
    me: ColumnElement[str] = (
        functions.current_user() if dialect == "postgresql" else bindparam(_AUTHOR_PARAM)
    )
    return (
        select(PrivateNote.text)
        .where(PrivateNote.stakeholder_id == stakeholder_id, PrivateNote.author == me)
        .scalar_subquery()
    )


def own_note_params(dialect: str) -> dict[str, str]:
    """The parameters an ``own_note_text`` subquery is run with on ``dialect``."""
    return {} if dialect == "postgresql" else {_AUTHOR_PARAM: file_author()}


def notes_of(session: Session, stakeholder_ids: Iterable[str]) -> dict[str, str]:
    """The signed-in person's private notes on these stakeholders, by stakeholder id."""
    wanted = sorted(set(stakeholder_ids))
    me = _me(session)
    out: dict[str, str] = {}
    for batch in batches(wanted):
        rows = session.execute(
            select(PrivateNote.stakeholder_id, PrivateNote.text).where(
                PrivateNote.author == me,
                PrivateNote.stakeholder_id.in_(batch),
            )
        )
        out.update((sid, text) for sid, text in rows)
    return out


def set_note(session: Session, stakeholder_id: str, text: str | None) -> str | None:
    """Write (or, with nothing in ``text``, remove) the signed-in person's note; returns the
    note as it was, for an undo."""
    person = session.get(Stakeholder, stakeholder_id)
    if person is None:
        raise LookupError(f"There is no stakeholder with id {stakeholder_id}.")
    me = author(session)
    row = session.execute(
        select(PrivateNote).where(
            PrivateNote.stakeholder_id == stakeholder_id, PrivateNote.author == me
        )
    ).scalar_one_or_none()
    before = None if row is None else row.text
    clean = (text or "").strip() or None
    if clean is None:
        if row is not None:
            session.delete(row)
    elif row is None:
        session.add(
            PrivateNote(
                stakeholder_id=stakeholder_id, account_id=person.account_id, author=me, text=clean
            )
        )
    elif row.text != clean:
        row.text = clean
    return before
