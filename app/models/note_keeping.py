"""Private notes of deleted people: kept while an undo can bring the person back, then removed.

Deleting a stakeholder (or their account) leaves every ``private_note`` on them in place:
nobody sees a note of a person who is not there, and the undo that puts the person back with
the same id brings each author's notes back with them, although the deleter could read only
their own. Once no undo can bring the person back, the notes go:

- a store remembers the people deleted through it (:func:`people_deleted`, called by the
  delete services in the deleting unit of work) and, when it closes (its window's undo
  history goes with it), removes the notes of those still gone;
- a workspace file has one writer at a time, so its close removes every note of a person who
  is gone (a crash's leftovers included).

On a team server the notes of others are out of reach of the deleter's role (row-level
security): ``fieldbook_forget_notes`` (app.models.policies), which runs as the workspace's
owner, removes them, and only the notes of people who no longer exist.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Connection, Engine, bindparam, event, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from app.models.batches import batches

#: Where a unit of work keeps the ids of the people it deleted until it commits.
_DELETED = "fieldbook_people_deleted"

_ORPHANS = "NOT EXISTS (SELECT 1 FROM stakeholder s WHERE s.id = private_note.stakeholder_id)"


def people_deleted(session: Session, stakeholder_ids: Iterable[str]) -> None:
    """Record, in the deleting unit of work, that these people were deleted."""
    session.info.setdefault(_DELETED, set()).update(stakeholder_ids)


def track(sessions: sessionmaker[Session], deleted: set[str]) -> None:
    """Add to ``deleted`` the people each committed unit of work of ``sessions`` deleted."""

    @event.listens_for(sessions, "after_commit")
    def _committed(session: Session) -> None:
        deleted.update(session.info.pop(_DELETED, ()))

    @event.listens_for(sessions, "after_rollback")
    def _rolled_back(session: Session) -> None:
        session.info.pop(_DELETED, None)


def forget_notes(connection: Connection, stakeholder_ids: Iterable[str] | None) -> int:
    """Remove the notes, whoever wrote them, of these people (None: of anybody) who no longer
    exist; returns how many went. In the caller's transaction."""
    if connection.dialect.name == "postgresql":
        wanted = None if stakeholder_ids is None else sorted(stakeholder_ids)
        if wanted == []:
            return 0
        installed = connection.exec_driver_sql(
            "SELECT to_regprocedure('fieldbook_forget_notes(text[])') IS NOT NULL"
        ).scalar()
        if installed:
            query = text("SELECT fieldbook_forget_notes(:ids)")
            return int(connection.execute(query, {"ids": wanted}).scalar_one())
        # No team roles yet: only the owner works here, and no policy binds the owner.
    if stakeholder_ids is None:
        return connection.execute(text(f"DELETE FROM private_note WHERE {_ORPHANS}")).rowcount
    wanted = sorted(stakeholder_ids)
    removed = 0
    for batch in batches(wanted):
        query = text(
            f"DELETE FROM private_note WHERE {_ORPHANS} AND stakeholder_id IN :ids"
        ).bindparams(bindparam("ids", expanding=True))
        removed += connection.execute(query, {"ids": batch}).rowcount
    return removed


def forget_at_close(engine: Engine, deleted: set[str], *, whole_file: bool) -> None:
    """When a store closes: remove the notes of the people deleted through it that are still
    gone (of every person gone, for a file). A workspace that cannot be reached keeps them
    (unseen) rather than fail the close."""
    if not deleted and not whole_file:
        return
    try:
        with engine.begin() as connection:
            forget_notes(connection, None if whole_file else deleted)
    except SQLAlchemyError:
        return
    deleted.clear()
