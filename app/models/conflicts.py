"""When several people edit one team workspace: refused edits and concurrent edits, in words.

The database decides (row-level security, the reassignment trigger, row versions); this module
only turns its refusals into one sentence each, so nobody sees a raw database error.
"""

from __future__ import annotations

from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm.exc import StaleDataError

from app.models.errors import WorkspaceError

#: PostgreSQL's insufficient_privilege (row-level security, grants, our own triggers).
INSUFFICIENT_PRIVILEGE = "42501"
#: Deadlock and serialization failures: the unit of work may simply be run again.
RETRYABLE = {"40P01", "40001"}


class EditRefusedError(WorkspaceError):
    """The workspace does not let this person make this change (not their account, say)."""


class EditConflictError(WorkspaceError):
    """Someone else saved the same record first; the message says what they changed."""


def sqlstate(exc: BaseException) -> str | None:
    orig = getattr(exc, "orig", None)
    return getattr(orig, "sqlstate", None) if orig is not None else None


def translate(exc: BaseException) -> WorkspaceError | None:
    """The one-sentence error for a database refusal, or None for anything else."""
    if isinstance(exc, StaleDataError):
        return EditConflictError(
            "Someone else saved this record a moment ago; it now shows their version, "
            "so make your change again if it still applies."
        )
    if isinstance(exc, DBAPIError) and sqlstate(exc) == INSUFFICIENT_PRIVILEGE:
        text = str(exc.orig).strip().splitlines()[0] if exc.orig is not None else ""
        if text.startswith("Only a team lead"):
            return EditRefusedError(text)
        return EditRefusedError(
            "You may only change accounts you own or are on the team of; "
            "ask the account's owner or a team lead."
        )
    return None
