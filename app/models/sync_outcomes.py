"""What the team workspace tells a laptop about a pushed change it did not take as it came
(the kinds are those of app.models.sync_merge); the laptop's push reads these records."""

from __future__ import annotations

from typing import Any

from sqlalchemy.exc import DBAPIError

from app.models.conflicts import INSUFFICIENT_PRIVILEGE, sqlstate
from app.models.sync_state import Entry, Stamp


def outcome(
    kind: str,
    entry: Entry,
    name: str | None,
    *,
    mine: Any = None,
    theirs: Any = None,
    stamp: Stamp | None = None,
    record: dict[str, Any] | None = None,
    reason: str | None = None,
    action: str | None = None,
) -> dict[str, Any]:
    """What the laptop is told about one change; ``action``: revert, drop or restore."""
    return {
        "kind": kind,
        "tbl": entry.tbl,
        "row_key": entry.row_key,
        "field": name,
        "mine": mine,
        "theirs": theirs,
        "their_hlc": stamp.hlc if stamp else None,
        "their_node": stamp.node if stamp else None,
        "my_hlc": entry.hlc,
        "record": record,
        "reason": reason,
        "action": action,
    }


def refused(
    refusal: tuple[str, str],
    entry: Entry,
    name: str | None,
    action: str,
    *,
    quiet: bool = False,
    **details: Any,
) -> dict[str, Any]:
    """The outcome of a write the server refused: ``refusal`` is (kind, reason) as
    :func:`refusal` words it; a ``quiet`` field's refusal is reported as ``quiet``."""
    kind, reason = refusal
    return outcome("quiet" if quiet else kind, entry, name, reason=reason, action=action, **details)


#: The refusal of a write that touched no row: row-level security hides the record.
NOT_YOURS = ("refused", "You may only change accounts you own or are on the team of.")


def refusal(exc: DBAPIError) -> tuple[str, str]:
    """(kind, reason) of a write the database refused: ``refused`` by row-level security,
    else ``invalid``, with the database's first line."""
    text = str(exc.orig).strip().splitlines()[0] if exc.orig is not None else str(exc)
    if sqlstate(exc) == INSUFFICIENT_PRIVILEGE:
        return "refused", text
    return "invalid", text
