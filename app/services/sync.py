"""Laptop sync as the user sees it: sync now, the replica's state, the conflicts to review.

The mechanics are in app.models.replica and its replica_* modules (laptop) and
app.models.sync_server (team workspace); this module decides what a sync run is (push, then
pull), what the state line says, and what "keep mine" and "take theirs" do to a conflict.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from typing import Any

from sqlalchemy import Connection, Row, text

from app.models import (
    replica,
    replica_capture,
    replica_copy,
    replica_pull,
    replica_push,
    replica_rows,
)
from app.models import sync_codec as codec
from app.models.errors import WorkspaceError
from app.models.store import Store
from app.services import dates_text, labels, team

#: Conflict kinds in words: what happened to whose value.
KIND_WORDS = {
    "lost": "changed by both; theirs was later and kept",
    "overwritten": "changed by both; yours was later and kept",
    "deleted": "you edited it; it was deleted on the team workspace",
    "edited": "you deleted it; it was edited on the team workspace",
    "refused": "the team workspace refused your change",
    "cycle": "both moves together would make a loop; yours was not made",
    "invalid": "the team workspace could not take your change",
}
#: Where the value of each side stands after the merge, per kind: whose value the record
#: holds now ("mine" / "theirs"), and for deletions whether the record is gone.
_HOLDS = {
    "lost": "theirs",
    "overwritten": "mine",
    "deleted": "theirs",
    "edited": "mine",
    "refused": "theirs",
    "cycle": "theirs",
    "invalid": "theirs",
}
_LABELS = {
    "account": "name",
    "stakeholder": "name",
    "contract": "name",
    "playbook": "name",
    "risk": "title",
    "task": "title",
    "opportunity": "name",
    "activity": "subject",
}


class ResolveError(WorkspaceError, LookupError):
    """A conflict cannot be resolved that way (the message is one sentence)."""


class NoSuchConflict(ResolveError):
    """No conflict has that number (the command line names it; the window's list has none)."""

    def __init__(self, conflict_id: int) -> None:
        super().__init__("That conflict is no longer on the list: it was resolved meanwhile.")
        self.conflict_id = conflict_id


#: How a resolved conflict was resolved, in words.
RESOLVED_WORDS = {"mine": "yours was kept", "theirs": "the team's was taken"}


@dataclass(frozen=True)
class SyncResult:
    """What one sync did: changes sent (``pushed``; ``applied``, those the team workspace
    took) and received (``pulled``), the conflicts left for review, and batches sent again
    after a lost answer (``resent``)."""

    pushed: int
    applied: int
    pulled: int
    conflicts: list[Conflict] = field(default_factory=list)
    resent: int = 0
    #: Accounts that left a ``--mine`` replica's book (no longer the user's).
    left: int = 0


@dataclass(frozen=True)
class Conflict:
    """One value a merge did not keep, as the review lists it."""

    id: int
    table: str
    row_key: str
    record: str
    field: str | None
    kind: str
    mine: str
    theirs: str
    when: datetime | None
    #: The login that made their change; ``person`` is its name as the team knows it
    #: (the team's members, synced with the book), the login when the team does not.
    who: str
    person: str
    reason: str | None
    resolved: str | None

    @property
    def words(self) -> str:
        return KIND_WORDS.get(self.kind, self.kind)

    @property
    def field_words(self) -> str:
        """The field as the window names it: ``Notes``, ``ARR``, an account's ``Owner (CSM)``;
        empty for a whole record."""
        return labels.field_label(self.table, self.field) if self.field else ""


@dataclass(frozen=True)
class ReplicaState:
    """What the window's status bar says about a replica."""

    server: str
    waiting: int
    conflicts: int
    synced_at: datetime | None
    problem: str | None
    offline_since: datetime | None

    def line(self, now: datetime | None = None) -> str:
        parts = []
        if self.offline_since is not None:
            parts.append(f"offline since {_when(self.offline_since, now)}")
        if self.waiting:
            parts.append(f"{self.waiting:,} change{'s' if self.waiting != 1 else ''} waiting")
        if self.conflicts:
            parts.append(f"{self.conflicts} conflict{'s' if self.conflicts != 1 else ''} to review")
        if not parts:
            parts.append("synced" if self.synced_at else "not synced yet")
        return "Replica: " + ", ".join(parts)


def _when(moment: datetime, now: datetime | None = None) -> str:
    now = now or datetime.now(UTC)
    local = moment.astimezone()
    if local.date() == now.astimezone().date():
        return dates_text.time_of_day(local)
    return dates_text.moment(local)


def state(store: Store) -> ReplicaState | None:
    """The replica's state, or None when the workspace is not a replica."""
    if not replica.is_replica(store):
        return None
    info = replica.info_of(store)
    with store.engine.connect() as connection:
        waiting = replica.waiting_count(connection)
        conflicts = replica.open_conflicts(connection)
    offline = None
    if info.problem is not None:
        offline = info.synced_at or info.tried_at
    return ReplicaState(info.server, waiting, conflicts, info.synced_at, info.problem, offline)


def sync(store: Store, *, hook: Callable[[str], None] | None = None) -> SyncResult:
    """Push the laptop's changes, then pull the team's; raises WorkspaceError (one sentence)
    when the server cannot be reached or is on another schema (nothing exchanged then)."""
    info = replica.info_of(store)
    try:
        with replica.server_connection(info.server) as (engine, _url):
            with store.engine.connect() as connection, connection.begin():
                replica_capture.install_capture(connection)
            pushed = replica_push.push(store, engine, hook=hook)
            pulled = replica_pull.pull(store, engine, hook=hook)
            # After the push: what the laptop changed in an account given away has been
            # sent (or listed as refused) before the account leaves the laptop's book.
            left = replica_copy.let_go(store, engine)
    except replica.ServerUnreachableError as exc:
        replica.note_attempt(store, problem=str(exc))
        raise
    replica.note_attempt(store, problem=None)
    found = pushed.outcomes + pulled.conflicts
    if pushed.sent or pulled.applied or found or left:
        store.reread()
    newest = conflicts(store)[: len(found)] if found else []
    return SyncResult(pushed.sent, pushed.applied, pulled.applied, newest, pushed.resent, len(left))


def _label(tbl: str, key: str, row: dict[str, Any] | None) -> str:
    """``Account Acme``: the kind of record and its name (the start of its id without one)."""
    column = _LABELS.get(tbl)
    name = row.get(column) if row is not None and column is not None else None
    kind = labels.record_label(tbl)  # "Map line", not "Stakeholder relation"
    return f"{kind} {name}" if name else f"{kind} {key[:8]}"


def conflicts(store: Store, *, include_resolved: bool = False) -> list[Conflict]:
    """The conflicts to review, newest first."""
    where = "" if include_resolved else "WHERE resolved IS NULL"
    with store.engine.connect() as connection:
        rows = connection.exec_driver_sql(
            "SELECT id, tbl, row_key, field, kind, mine, theirs, their_node, their_hlc, record, "
            f"reason, resolved FROM sync_conflict {where} ORDER BY id DESC"
        ).all()
        person = team.person_of(connection)
        out = []
        for r in rows:
            record = json.loads(r[9]) if r[9] else None
            mine = json.loads(r[5]) if r[5] else None
            theirs = json.loads(r[6]) if r[6] else None
            row = replica_rows.local_row(connection, r[1], r[2]) or record
            column = codec.table(r[1]).c.get(r[3]) if r[3] else None
            shown = partial(
                labels.stored_in_words, column=column, currency=row.get("currency") if row else None
            )
            if (r[4] == "deleted" and r[3] is None) or r[4] == "deleted":
                theirs_text, mine_text = "(deleted)", shown(mine)
            elif r[4] == "edited":
                theirs_text, mine_text = shown(theirs), "(deleted)"
            else:
                mine_text, theirs_text = shown(mine), shown(theirs)
            out.append(
                Conflict(
                    id=int(r[0]),
                    table=r[1],
                    row_key=r[2],
                    record=_label(r[1], r[2], row),
                    field=r[3],
                    kind=r[4],
                    mine=mine_text,
                    theirs=theirs_text,
                    when=codec.clock_time(r[8]),
                    who=codec.who(r[7]),
                    person=person(codec.who(r[7])),
                    reason=r[10],
                    resolved=r[11],
                )
            )
    return out


def resolve(store: Store, conflict_id: int, choice: str) -> str:
    """Keep mine (``mine``) or take theirs (``theirs``); the value chosen becomes a local
    change the next sync pushes. Returns one sentence saying what was done."""
    if choice not in ("mine", "theirs"):
        raise ValueError(choice)
    store.wait_until_writable()
    with store.engine.connect() as connection, connection.begin():
        row = _conflict_row(connection, conflict_id)
        if row is None:
            raise NoSuchConflict(conflict_id)
        tbl, key, name, kind, mine_json, theirs_json, record_json, resolved = row
        if resolved is not None:
            how = RESOLVED_WORDS.get(resolved, resolved)
            raise ResolveError(f"That conflict was already resolved: {how}.")
        mine = json.loads(mine_json) if mine_json else None
        theirs = json.loads(theirs_json) if theirs_json else None
        record = json.loads(record_json) if record_json else None
        holds = _HOLDS.get(kind, "theirs")
        said = "Nothing to change: the record already holds that value."
        if choice != holds:
            wanted = mine if choice == "mine" else theirs
            here = replica_rows.local_row(connection, tbl, key)
            # The record as the window calls it ("the map line", not "stakeholder relation").
            thing = labels.in_sentence(labels.record_label(tbl))
            if here is None:
                if record is None:
                    raise ResolveError(
                        f"The {thing} of conflict {conflict_id} is gone and cannot be brought back."
                    )
                restored = dict(record)
                if name is not None:
                    restored[name] = wanted
                if not replica_rows.insert_local(connection, tbl, restored):
                    raise ResolveError(
                        f"The {thing} of conflict {conflict_id} cannot be "
                        "brought back: what it belongs to is gone too."
                    )
                back = replica_rows.restore_dependents(connection, record)
                along = ""
                if back:
                    along = f" with {back} record{'s' if back != 1 else ''} deleted with it"
                said = f"Brought the {thing} back{along}; the next sync sends it."
            elif name is not None:
                replica_rows.set_local(connection, tbl, key, name, wanted)
                column = codec.table(tbl).c.get(name)
                value = labels.stored_in_words(wanted, column, here.get("currency"))
                field_words = labels.in_sentence(labels.field_label(tbl, name))
                said = f"Set {field_words} to {value}; the next sync sends it."
        connection.execute(
            text("UPDATE sync_conflict SET resolved = :c WHERE id = :id"),
            {"c": choice, "id": conflict_id},
        )
    store.reread()
    return said


def _conflict_row(connection: Connection, conflict_id: int) -> Row[Any] | None:
    """One recorded conflict (what it is about, both values, the record, how it was resolved)."""
    if not 0 < conflict_id < 2**63:
        return None  # no row has it, and SQLite cannot be asked (an overflow, not an answer)
    return connection.execute(
        text(
            "SELECT tbl, row_key, field, kind, mine, theirs, record, resolved "
            "FROM sync_conflict WHERE id = :id"
        ),
        {"id": conflict_id},
    ).first()


def reopen(store: Store, conflict_id: int) -> None:
    """Undo :func:`resolve`: put back the value the merge had left and list the conflict again."""
    store.wait_until_writable()
    with store.engine.connect() as connection, connection.begin():
        row = _conflict_row(connection, conflict_id)
        if row is None or row.resolved is None:
            raise ResolveError(f"Conflict {conflict_id} is not resolved.")
        tbl, key, name, kind, mine_json, theirs_json, _record, choice = row
        holds = _HOLDS.get(kind, "theirs")
        if choice != holds:
            if kind in ("deleted", "edited"):
                replica_rows.delete_local(connection, tbl, key)
            elif name is not None:
                kept = mine_json if holds == "mine" else theirs_json
                value = json.loads(kept) if kept else None
                replica_rows.set_local(connection, tbl, key, name, value)
        connection.execute(
            text("UPDATE sync_conflict SET resolved = NULL WHERE id = :id"), {"id": conflict_id}
        )
    store.reread()
