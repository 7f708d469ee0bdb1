"""One writer per workspace: a second process is refused and told who holds it; stale locks."""

from __future__ import annotations

import os
import signal
import socket
from pathlib import Path

import pytest

from app.models import Account
from app.models.backup import make_backup
from app.models.errors import BackupError, WorkspaceLockedError
from app.models.lock import is_locked, lock_path, read_holder
from app.models.opening import open_workspace
from app.services.backup import restore_workspace
from tests.models.workspace_procs import finish, start, wait_for

pytestmark = pytest.mark.sqlite_only("the workspace file lock")


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    path = tmp_path / "book.db"
    store = open_workspace(path, create=True)
    with store.session() as session:
        session.add(Account(name="Acme"))
    store.close()
    return path


def test_second_process_is_refused_and_told_who_holds_it(workspace: Path, tmp_path: Path) -> None:
    ready = tmp_path / "ready"
    holder = start("hold", str(workspace), str(ready))
    try:
        wait_for(ready.exists, holder)
        assert is_locked(workspace)
        with pytest.raises(WorkspaceLockedError) as caught:
            open_workspace(workspace)
        assert caught.value.holder is not None
        assert caught.value.holder.pid == holder.pid
        assert caught.value.holder.host == socket.gethostname()
        assert f"process {holder.pid}" in str(caught.value)
        assert "read-only" in str(caught.value)

        backup = make_backup(workspace, "manual")
        with pytest.raises(BackupError, match=f"process {holder.pid}"):
            restore_workspace(workspace, backup)
        assert not list(tmp_path.glob("book.replaced-*"))

        reader = open_workspace(workspace, read_only=True)
        try:
            with reader.read() as session:
                assert [a.name for a in session.query(Account)] == ["Acme"]
            with (
                pytest.raises(Exception, match=r"readonly|read-only|read only"),
                reader.session() as s,
            ):
                s.add(Account(name="Nope"))
        finally:
            reader.close()
    finally:
        finish(holder)
    # The holder closed cleanly: its lock file is gone and the workspace opens normally.
    assert not lock_path(workspace).exists()
    store = open_workspace(workspace)
    assert not store.report.unclean
    store.close()


def test_stale_lock_of_a_killed_process_is_taken_over(workspace: Path, tmp_path: Path) -> None:
    ready = tmp_path / "ready"
    holder = start("hold", str(workspace), str(ready))
    wait_for(ready.exists, holder)
    os.kill(holder.pid, signal.SIGKILL)
    holder.wait(timeout=30)
    # The killed process left its lock file (and so the "open" mark) behind.
    left = read_holder(workspace)
    assert left is not None and left.pid == holder.pid
    assert not is_locked(workspace)

    store = open_workspace(workspace)
    try:
        assert store.report.unclean
        assert store.report.previous_holder is not None
        assert store.report.previous_holder.pid == holder.pid
        assert store.report.checks == ["integrity check: ok", "foreign key check: ok"]
        assert "not closed properly" in store.report.lines()[0]
        now_held = read_holder(workspace)
        assert now_held is not None and now_held.pid == os.getpid()
    finally:
        store.close()
    reopened = open_workspace(workspace)
    assert not reopened.report.unclean
    assert reopened.report.checks == ["quick check: ok"]
    reopened.close()


def test_same_process_shares_the_lock_until_the_last_store_closes(workspace: Path) -> None:
    first = open_workspace(workspace)
    second = open_workspace(workspace)
    first.close()
    assert is_locked(workspace)
    assert lock_path(workspace).exists()
    second.close()
    assert not is_locked(workspace)
    assert not lock_path(workspace).exists()


def test_read_only_open_refuses_a_workspace_that_needs_an_upgrade(tmp_path: Path) -> None:
    with pytest.raises(Exception, match="There is no workspace"):
        open_workspace(tmp_path / "missing.db", read_only=True)


def test_one_file_spelled_two_ways_is_one_lock(workspace: Path, tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    other_spelling = tmp_path / "sub" / ".." / workspace.name
    first = open_workspace(workspace)
    second = open_workspace(other_spelling)
    second.close()
    first.close()
    assert not lock_path(workspace).exists()


def test_read_only_open_of_an_awkward_file_name(tmp_path: Path) -> None:
    path = tmp_path / "Q4 book #1?.db"
    store = open_workspace(path, create=True)
    with store.session() as session:
        session.add(Account(name="Acme"))
    reader = open_workspace(path, read_only=True)
    try:
        assert reader.path == path and reader.read_only
        with reader.read() as session:
            assert session.query(Account).count() == 1
    finally:
        reader.close()
        store.close()
