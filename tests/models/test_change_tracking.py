"""The store announces one typed change set per commit: kinds of record and accounts touched."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import insert

from app.models import HealthScore
from app.models.backup import make_backup
from app.models.changes import ChangeKind, ChangeSet
from app.models.store import Store
from app.services import accounts, work_items
from app.services.hierarchy import reparent

K = ChangeKind


class Recorder:
    def __init__(self, store: Store) -> None:
        self.seen: list[ChangeSet] = []
        store.changes.subscribe(self.seen.append)

    def take(self) -> list[ChangeSet]:
        out = list(self.seen)
        self.seen.clear()
        return out


@pytest.fixture
def feed(store: Store) -> Recorder:
    return Recorder(store)


def _one(feed: Recorder) -> ChangeSet:
    (changes,) = feed.take()
    return changes


def test_each_commit_announces_its_kinds_and_accounts(store: Store, feed: Recorder) -> None:
    with store.session() as session:
        parent = accounts.create_account(session, "Parent", None)
    assert _one(feed) == ChangeSet.of(K.ACCOUNT, accounts=[parent])
    with store.session() as session:
        child = accounts.create_account(session, "Child", parent)
    assert _one(feed) == ChangeSet.of(K.ACCOUNT, accounts=[child, parent])  # roll-up too
    with store.session() as session:
        accounts.update_account(session, parent, {"name": "Parent Group"})
    assert _one(feed) == ChangeSet.of(K.ACCOUNT, accounts=[parent])
    with store.session() as session:
        task = work_items.create_item(session, "task", {"account_id": child, "title": "Call"})
        work_items.create_item(
            session,
            "contract",
            {
                "account_id": child,
                "name": "Main",
                "value_minor": 100,
                "start_date": date(2026, 1, 1),
                "end_date": date(2026, 12, 31),
            },
        )
    changes = _one(feed)  # one commit, one change set, however many writes
    # The account keeps its next renewal (the tree's row): its row changes with the contract,
    # announced for that account alone, not book-wide.
    assert changes == ChangeSet.of(K.TASK, K.CONTRACT, K.ACCOUNT, accounts=[child])
    with store.session() as session:
        work_items.delete_item(session, "task", task)
    assert _one(feed) == ChangeSet.of(K.TASK, K.HEALTH, accounts=[child])  # alerts' task link


def test_rows_without_an_account_column_find_it_through_their_parents(
    store: Store, feed: Recorder
) -> None:
    with store.session() as session:
        acc = accounts.create_account(session, "Acme", None)
        plan = work_items.create_item(session, "plan", {"account_id": acc, "title": "Plan"})
        goal = work_items.create_item(session, "goal", {"plan_id": plan, "title": "Grow"})
    feed.take()
    with store.session() as session:
        milestone = work_items.create_item(
            session, "milestone", {"goal_id": goal, "title": "Live", "due_on": date(2026, 3, 1)}
        )
    assert _one(feed) == ChangeSet.of(K.SUCCESS_PLAN, accounts=[acc])
    with store.session() as session:
        captured = work_items.delete_item(session, "milestone", milestone)
    assert _one(feed) == ChangeSet.of(K.SUCCESS_PLAN, accounts=[acc])
    with store.session() as session:
        work_items.restore_item(session, captured)
    assert _one(feed) == ChangeSet.of(K.SUCCESS_PLAN, accounts=[acc])


def test_a_move_touches_the_old_and_new_parent(store: Store, feed: Recorder) -> None:
    with store.session() as session:
        old = accounts.create_account(session, "Old", None)
        new = accounts.create_account(session, "New", None)
        child = accounts.create_account(session, "Child", old)
    feed.take()
    with store.session() as session:
        reparent(session, child, new)
    assert _one(feed) == ChangeSet.of(K.ACCOUNT, accounts=[child, old, new])


def test_deleting_an_account_touches_everything_under_it(store: Store, feed: Recorder) -> None:
    with store.session() as session:
        acc = accounts.create_account(session, "Acme", None)
    feed.take()
    with store.session() as session:
        captured = accounts.delete_account(session, acc)
    changes = _one(feed)
    assert {K.ACCOUNT, K.CONTRACT, K.TASK, K.STAKEHOLDER, K.MAP, K.HEALTH} <= changes.kinds
    assert changes.account_ids == {acc}
    with store.session() as session:
        accounts.restore_account(session, captured)
    assert _one(feed) == ChangeSet.of(K.ACCOUNT, accounts=[acc])


def test_reads_and_rollbacks_announce_nothing(store: Store, feed: Recorder) -> None:
    with store.session() as session:
        acc = accounts.create_account(session, "Acme", None)
    feed.take()
    with store.session() as session:
        accounts.account_values(session, acc)
    with pytest.raises(RuntimeError), store.session() as session:
        accounts.update_account(session, acc, {"name": "Gone"})
        session.flush()
        raise RuntimeError("refused")
    with store.read() as session:
        accounts.update_account(session, acc, {"name": "Never saved"})
        session.flush()
    assert feed.take() == []


def test_sql_on_the_session_connection_is_announced_for_every_account(
    store: Store, feed: Recorder
) -> None:
    with store.session() as session:
        acc = accounts.create_account(session, "Acme", None)
    feed.take()
    with store.session() as session:
        session.connection().execute(
            insert(HealthScore.__table__),
            [{"account_id": acc, "as_of": date(2026, 1, 5), "score": 50.0, "band": "red"}],
        )
    changes = _one(feed)
    assert changes.kinds == {K.HEALTH} and changes.book_wide


@pytest.mark.sqlite_only("restores a workspace file")
def test_a_restore_is_announced_as_a_workspace_change(
    store: Store, feed: Recorder, tmp_path: Path
) -> None:
    assert store.path is not None
    backup = make_backup(store.path, "manual")
    store.restore(backup)
    assert _one(feed) == ChangeSet.of(K.WORKSPACE)
