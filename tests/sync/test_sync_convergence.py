"""Convergence: several laptops edit, delete and move offline and sync in any order; all end
identical to the team workspace and every overwritten concurrent value is in a conflict list.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, rule, run_state_machine_as_test

from app.models import Account, Stakeholder
from app.models.guards import HierarchyCycleError
from app.models.opening import open_workspace
from app.models.replica_copy import create_replica
from app.models.store import Store
from app.services import sync
from tests.pg.databases import admin_url, drop_database
from tests.sync.team import (
    PEOPLE,
    admin_sql,
    as_login,
    build_team,
    differences,
    drop_roles,
    field_of,
    use_test_passwords,
)

pytestmark = pytest.mark.postgres_only

LAPTOPS = (("lee", "a"), ("lee", "b"), ("maya", "c"))
ACCOUNT_FIELDS = {"notes": st.sampled_from(["n1", "n2", "n3", None]), "tier": st.integers(1, 4)}
_names = itertools.count()


class Book(RuleBasedStateMachine):
    """The model: what each laptop changed since it last synced, and every value pushed."""

    template: str
    ids: dict[str, str]
    folder: Path

    def __init__(self) -> None:
        super().__init__()
        admin = admin_url()
        assert admin is not None
        self.db = f"fb_conv_{os.getpid()}_{next(_names)}"
        admin_sql(
            admin.render_as_string(False),
            f"CREATE DATABASE {self.db} TEMPLATE {self.template}",
        )
        self.url = admin.set(database=self.db).render_as_string(False)
        self.server = open_workspace(self.url)
        self.laptops: list[Store] = []
        for login, name in LAPTOPS:
            # A replica of the template, pointed at this example's copy of it: the same file
            # fieldbook replica would make, without migrating a new file for every example.
            path = self.folder / f"{self.db}_{name}.db"
            shutil.copy(self.folder / f"template_{name}.db", path)
            with sqlite3.connect(path) as connection:
                connection.execute(
                    "UPDATE sync_replica SET server = ?", (as_login(self.url, login),)
                )
            connection.close()
            self.laptops.append(open_workspace(path))
        self.epoch = 0
        self.seen = [0] * len(LAPTOPS)
        #: per laptop: (table, key, field) -> value changed since its last sync
        self.pending: list[dict[tuple[str, str, str], Any]] = [{} for _ in LAPTOPS]
        self.deleting: list[dict[tuple[str, str], int]] = [{} for _ in LAPTOPS]
        #: (table, key, field, value, epoch pushed, laptop, epoch seen when edited)
        self.pushed: list[tuple[Any, ...]] = []
        self.deleted: list[tuple[str, str, int, int, int]] = []

    # ------------------------------------------------------------ offline changes
    def _edit(self, i: int, cls: Any, tbl: str, key: str, name: str, value: Any) -> None:
        store = self.laptops[i]
        with store.session() as session:
            obj = session.get(cls, key)
            if obj is None or getattr(obj, name) == value:
                return
            setattr(obj, name, value)
        self.pending[i][(tbl, key, name)] = (value, self.seen[i])

    @rule(
        i=st.integers(0, len(LAPTOPS) - 1),
        account=st.sampled_from(["acme", "globex"]),  # few: concurrent edits meet often
        data=st.data(),
    )
    def edit_account(self, i: int, account: str, data: st.DataObject) -> None:
        name = data.draw(st.sampled_from(sorted(ACCOUNT_FIELDS)))
        value = data.draw(ACCOUNT_FIELDS[name])
        self._edit(i, Account, "account", self.ids[account], name, value)

    @rule(
        order=st.permutations(range(len(LAPTOPS))),
        name=st.sampled_from(["notes", "tier"]),
    )
    def everyone_edits_one_field(self, order: list[int], name: str) -> None:
        """Every laptop changes the same field offline, one after another (concurrent edits)."""
        for n, i in enumerate(order):
            value = f"{i}-{next(_names)}" if name == "notes" else 1 + (n + next(_names)) % 4
            self._edit(i, Account, "account", self.ids["acme"], name, value)

    @rule(
        i=st.integers(0, len(LAPTOPS) - 1),
        person=st.sampled_from(["ann", "bob"]),
        title=st.sampled_from(["CTO", "CIO", "VP", "Head of IT"]),
    )
    def edit_contact(self, i: int, person: str, title: str) -> None:
        self._edit(i, Stakeholder, "stakeholder", self.ids[person], "title", title)

    @rule(i=st.integers(0, len(LAPTOPS) - 1), person=st.sampled_from(["ann", "bob"]))
    def delete_contact(self, i: int, person: str) -> None:
        key = self.ids[person]
        with self.laptops[i].session() as session:
            obj = session.get(Stakeholder, key)
            if obj is None:
                return
            session.delete(obj)
        self.deleting[i][("stakeholder", key)] = self.seen[i]

    @rule(
        i=st.integers(0, len(LAPTOPS) - 1),
        account=st.sampled_from(["west", "east", "acme"]),
        parent=st.sampled_from(["acme", "west", "east", "globex", None]),
    )
    def move(self, i: int, account: str, parent: str | None) -> None:
        if parent == account:
            return
        target = None if parent is None else self.ids[parent]
        with contextlib.suppress(HierarchyCycleError):  # the laptop itself refuses a loop
            self._edit(i, Account, "account", self.ids[account], "parent_id", target)

    # ------------------------------------------------------------ syncing
    @rule(i=st.integers(0, len(LAPTOPS) - 1))
    def sync_one(self, i: int) -> None:
        sync.sync(self.laptops[i])
        self.epoch += 1
        for (tbl, key, name), (value, seen) in self.pending[i].items():
            self.pushed.append((tbl, key, name, value, self.epoch, i, seen))
        for (tbl, key), seen in self.deleting[i].items():
            self.deleted.append((tbl, key, self.epoch, i, seen))
        self.pending[i], self.deleting[i] = {}, {}
        self.seen[i] = self.epoch

    def _superseded(self, tbl: str, key: str, name: str, epoch: int, laptop: int) -> bool:
        """Someone who had seen the value (or its own laptop) changed it or deleted the record."""
        later = any(
            (t, k, n) == (tbl, key, name) and e > epoch and (j == laptop or seen >= epoch)
            for t, k, n, _v, e, j, seen in self.pushed
        )
        gone = any(
            (t, k) == (tbl, key) and ((e > epoch and seen >= epoch) or (e >= epoch and j == laptop))
            for t, k, e, j, seen in self.deleted  # (a laptop's own delete after its edit)
        )
        return later or gone

    def teardown(self) -> None:
        try:
            for _round in range(2):
                for i in range(len(LAPTOPS)):
                    self.sync_one(i)
            for laptop in self.laptops:
                assert differences(laptop, self.server) == []
            listed: set[tuple[str, str, str | None, str]] = set()
            for laptop in self.laptops:
                for c in sync.conflicts(laptop, include_resolved=True):
                    listed.add((c.table, c.row_key, c.field, c.mine))
                    listed.add((c.table, c.row_key, c.field, c.theirs))
            for tbl, key, name, value, epoch, laptop, _seen in self.pushed:
                shown = "(none)" if value is None else str(value)
                final = field_of(self.server, tbl, key, name)
                kept = final == value and (value is not None or _exists(self.server, tbl, key))
                assert (
                    kept
                    or (tbl, key, name, shown) in listed
                    or self._superseded(tbl, key, name, epoch, laptop)
                ), (tbl, name, value, "was overwritten and is in no conflict list")
        finally:
            for store in [*self.laptops, self.server]:
                store.close()
            drop_database(self.url)


def _exists(store: Store, tbl: str, key: str) -> bool:
    return field_of(store, tbl, key, "id") is not None


def test_replicas_converge_and_no_overwritten_value_is_lost(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.pg.databases import new_database

    url = new_database(migrated=False)
    for login in PEOPLE:
        admin_sql(url, f"DROP ROLE IF EXISTS {login}")
    use_test_passwords(monkeypatch, url)
    Book.ids = build_team(url)
    Book.template = url.rsplit("/", 1)[1]
    Book.folder = tmp_path
    for login, name in LAPTOPS:
        create_replica(as_login(url, login), tmp_path / f"template_{name}.db")
    try:
        run_state_machine_as_test(
            Book,
            settings=settings(
                max_examples=int(os.environ.get("FIELDBOOK_SYNC_EXAMPLES", "5")),
                stateful_step_count=12,
                deadline=None,
                suppress_health_check=list(HealthCheck),
                database=None,
            ),
        )
    finally:
        drop_database(url)
        drop_roles(url)
