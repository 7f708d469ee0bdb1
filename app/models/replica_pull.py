"""Pull: the team's changes since the last pull, merged into a replica page by page, field
by field against what waits to be sent (see app.models.replica). No Qt here."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Engine, text

from app.models import sync_codec as codec
from app.models import sync_server
from app.models.replica import info_of, quiet_transaction
from app.models.replica_copy import bring_accounts
from app.models.replica_rows import (
    add_conflict,
    delete_local,
    insert_local,
    local_row,
    set_many_local,
    with_dependents,
)
from app.models.store import Store

#: Log rows per pulled page.
PAGE = 5_000


@dataclass
class PullReport:
    received: int = 0
    applied: int = 0
    conflicts: list[dict[str, Any]] = field(default_factory=list)
    position: int = 0


def _waiting(
    connection: Connection,
) -> dict[tuple[str, str], list[tuple[str, str | None, Any, int]]]:
    """Local changes not yet pushed, by record: (op, field, value, clock)."""
    found: dict[tuple[str, str], list[tuple[str, str | None, Any, int]]] = {}
    for tbl, key, op, name, value, hlc in connection.exec_driver_sql(
        "SELECT tbl, row_key, op, field, value, hlc FROM sync_outbox "
        "WHERE batch IS NULL ORDER BY id"
    ):
        found.setdefault((tbl, key), []).append(
            (op, name, None if value is None else json.loads(value), int(hlc))
        )
    return found


class _Pull:
    def __init__(
        self,
        connection: Connection,
        node: str,
        report: PullReport,
        me: tuple[str, str | None] | None = None,
    ):
        self.connection = connection
        self.node = node
        self.report = report
        #: A ``--mine`` replica: the user's login and team name, whose new accounts it fetches.
        self.me = me
        self.wanted: set[str] = set()
        self.waiting = _waiting(connection)
        #: Field values to write, by record, in log order (written together by ``flush``).
        self.pending: dict[tuple[str, str], dict[str, Any]] = {}
        #: Records this page deletes that were edited here, with what goes with them, taken
        #: before the page runs (the log lists the records a deletion cascades to before it).
        self.taken: dict[tuple[str, str], dict[str, Any]] = {}

    def becomes_mine(self, tbl: str, record: dict[str, Any]) -> None:
        """Note an account this ``--mine`` replica lacks that is now the user's."""
        if self.me is None:
            return
        login, name = self.me
        if tbl == "account" and name is not None and record.get("owner") == name:
            account = record.get("id")
        elif tbl == "account_team" and record.get("login") == login:
            account = record.get("account_id")
        else:
            return
        if account is not None and local_row(self.connection, "account", str(account)) is None:
            self.wanted.add(str(account))

    def take_before(self, rows: list[tuple[Any, ...]]) -> None:
        for row in rows:
            tbl, key, op = row[1], row[2], row[3]
            if op != "delete" or tbl not in codec.synced_tables():
                continue
            if any(w[0] == "set" for w in self.waiting.get((tbl, key), [])):
                here = local_row(self.connection, tbl, key)
                if here is not None:
                    self.taken[(tbl, key)] = with_dependents(self.connection, tbl, here)

    def write(self, tbl: str, key: str, name: str, value: Any) -> None:
        self.pending.setdefault((tbl, key), {})[name] = value

    def flush(self) -> None:
        pending, self.pending = self.pending, {}
        if pending:
            set_many_local(self.connection, pending)

    def conflict(
        self,
        kind: str,
        tbl: str,
        key: str,
        name: str,
        hlc: int,
        node: str,
        *,
        mine: Any = None,
        theirs: Any = None,
        my_hlc: int,
        record: dict[str, Any] | None = None,
    ) -> None:
        """Keep a conflict on field ``name`` of a record between a change waiting here (made
        at ``my_hlc``) and the team's change made at ``hlc`` by ``node``."""
        outcome = {
            "kind": kind,
            "tbl": tbl,
            "row_key": key,
            "field": name,
            "mine": mine,
            "theirs": theirs,
            "their_node": node,
            "their_hlc": hlc,
            "my_hlc": my_hlc,
            "record": record,
        }
        add_conflict(self.connection, outcome)
        self.report.conflicts.append(outcome)

    def forget(self, tbl: str, key: str, name: str | None = None) -> None:
        """Drop waiting local changes that lost (of one field, or of the whole record)."""
        if name is None:
            self.connection.execute(
                text("DELETE FROM sync_outbox WHERE batch IS NULL AND tbl = :t AND row_key = :k"),
                {"t": tbl, "k": key},
            )
            self.waiting.pop((tbl, key), None)
            return
        self.connection.execute(
            text(
                "DELETE FROM sync_outbox WHERE batch IS NULL AND tbl = :t AND row_key = :k "
                "AND op = 'set' AND field = :f"
            ),
            {"t": tbl, "k": key, "f": name},
        )
        left = [w for w in self.waiting.get((tbl, key), []) if not (w[0] == "set" and w[1] == name)]
        self.waiting[(tbl, key)] = left

    def apply(
        self, tbl: str, key: str, op: str, name: str | None, value: Any, hlc: int, node: str
    ) -> None:
        if tbl not in codec.synced_tables():
            return
        mine = self.waiting.get((tbl, key), [])
        if op != "set":
            self.flush()  # the record's own values as the log left them, before it goes
        if op == "delete":
            row = local_row(self.connection, tbl, key)
            if row is not None and node == self.node:
                delete_local(self.connection, tbl, key)
            elif row is not None:
                edits = {w[1]: w for w in mine if w[0] == "set"}
                record = self.taken.get((tbl, key)) or with_dependents(self.connection, tbl, row)
                for fname, (_, _, mine_value, my_hlc) in edits.items():
                    if fname is not None and not codec.is_quiet(tbl, fname):
                        self.conflict(
                            "deleted",
                            tbl,
                            key,
                            fname,
                            hlc,
                            node,
                            mine=mine_value,
                            my_hlc=my_hlc,
                            record=record,
                        )
                self.forget(tbl, key)
                delete_local(self.connection, tbl, key)
            return
        if op == "insert":
            record = value or {}
            if local_row(self.connection, tbl, key) is None:
                gone_here = any(w[0] == "delete" for w in mine)
                if not gone_here and not insert_local(self.connection, tbl, record):
                    self.becomes_mine(tbl, record)
                return
            for fname, fvalue in record.items():
                self.set(tbl, key, fname, fvalue, hlc, node, mine)
            return
        assert name is not None
        self.set(tbl, key, name, value, hlc, node, mine)

    def set(
        self, tbl: str, key: str, name: str, value: Any, hlc: int, node: str, mine: list[Any]
    ) -> None:
        t = codec.table(tbl)
        if name not in t.c:
            return
        if self.me is not None and (tbl, name) == ("account", "owner"):
            self.becomes_mine(tbl, {"id": key, "owner": value})
        if node == self.node:
            if not any(w[0] != "set" or w[1] == name for w in mine):
                self.write(tbl, key, name, value)
            return
        gone = [w for w in mine if w[0] == "delete"]
        if gone and not codec.is_quiet(tbl, name):
            self.conflict("edited", tbl, key, name, hlc, node, theirs=value, my_hlc=gone[-1][3])
            return
        edits = [w for w in mine if w[0] == "set" and w[1] == name]
        if edits:
            _, _, mine_value, my_hlc = edits[-1]
            quiet = codec.is_quiet(tbl, name) or codec.same(t.c[name], mine_value, value)
            mine_wins = (my_hlc, self.node) > (hlc, node)
            if not quiet:
                kind = "overwritten" if mine_wins else "lost"
                self.conflict(
                    kind, tbl, key, name, hlc, node, mine=mine_value, theirs=value, my_hlc=my_hlc
                )
            if mine_wins:
                return
            self.forget(tbl, key, name)
        self.write(tbl, key, name, value)


def pull(store: Store, engine: Engine, *, hook: Callable[[str], None] | None = None) -> PullReport:
    """Apply the team's changes since the last pull, page by page."""
    report = PullReport()
    me: tuple[str, str | None] | None = None
    while True:
        info = info_of(store)
        with engine.connect() as server, server.begin():
            rows = sync_server.changes_since(server, info.pulled, PAGE)
            if info.scope == "mine" and me is None:
                login, name = server.exec_driver_sql(
                    "SELECT current_user, (SELECT name FROM team_member WHERE login = current_user)"
                ).one()
                me = (str(login), name)
        if not rows:
            report.position = info.pulled
            return report
        if hook is not None:
            hook("pulled")
        with quiet_transaction(store) as connection:
            page = _Pull(connection, info.node, report, me)
            page.take_before(rows)
            top = info.hlc
            for _seq, tbl, key, op, name, value, hlc, node in rows:
                report.received += 1
                top = max(top, int(hlc))
                # The laptop's own pushed changes are replayed too: the log's order is the
                # server's, so replaying it leaves each field as the server holds it.
                page.apply(
                    tbl, key, op, name, None if value is None else json.loads(value), int(hlc), node
                )
                report.applied += 1
            page.flush()
            if page.wanted:  # copied as the server holds them now; later pages replay on top
                with (
                    engine.connect().execution_options(
                        isolation_level="REPEATABLE READ", postgresql_readonly=True
                    ) as reader,
                    reader.begin(),
                ):
                    bring_accounts(reader, connection, page.wanted)
            connection.execute(
                text("UPDATE sync_replica SET pulled = :p, hlc = :h WHERE id = 1"),
                {"p": int(rows[-1][0]), "h": top},
            )
        if len(rows) < PAGE:
            report.position = int(rows[-1][0])
            return report
