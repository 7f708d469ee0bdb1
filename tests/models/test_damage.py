"""Damaged workspaces: detected, never written to, moved aside, restored from the last backup."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest

from app.models import Account
from app.models.backup import make_backup
from app.models.errors import WorkspaceDamagedError, WorkspaceError
from app.models.lock import lock_path
from app.models.opening import open_workspace
from app.models.storage import io_problem, is_corruption
from app.services.backup import recover_damaged

pytestmark = pytest.mark.sqlite_only("damaged workspace files")


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def make_book(path: Path, accounts: int = 300) -> Path:
    store = open_workspace(path, create=True)
    with store.session() as session:
        session.add_all(Account(name=f"Account {n}", notes="x" * 200) for n in range(accounts))
    backup = make_backup(store, "manual")
    store.close()
    return backup


def account_page(path: Path) -> int:
    """A page of the account table's b-tree (not its root), to write garbage over."""
    conn = sqlite3.connect(path)
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'account'").fetchone()[0]
    conn.close()
    return (root + 2) * page_size


def scribble(path: Path, offset: int, size: int = 4096) -> None:
    with path.open("r+b") as handle:
        handle.seek(offset)
        handle.write(bytes((n * 37 + 11) % 256 for n in range(size)))


@pytest.mark.parametrize("where", ["table pages", "header"])
def test_garbage_is_detected_and_restored_without_touching_the_damaged_file(
    tmp_path: Path, where: str
) -> None:
    path = tmp_path / "book.db"
    backup = make_book(path)
    scribble(path, account_page(path) if where == "table pages" else 0)
    damaged_digest = digest(path)

    with pytest.raises(WorkspaceDamagedError) as caught:
        open_workspace(path)
    error = caught.value
    assert error.problems
    assert error.backup is not None and error.backup.path == backup
    assert "damaged" in str(error) and "newest good backup" in str(error)
    # Never written to: same bytes, no -wal or lock file left beside it.
    assert digest(path) == damaged_digest
    assert not Path(f"{path}-wal").exists()
    assert not lock_path(path).exists()

    result = recover_damaged(path, error.backup.path)

    assert result.kept_aside is not None and ".damaged-" in result.kept_aside.name
    assert digest(result.kept_aside) == damaged_digest
    store = open_workspace(path)
    with store.read() as session:
        assert session.query(Account).count() == 300
    store.close()


def test_damaged_workspace_without_backup_says_so(tmp_path: Path) -> None:
    path = tmp_path / "book.db"
    store = open_workspace(path, create=True)
    with store.session() as session:
        session.add_all(Account(name=f"Account {n}", notes="x" * 200) for n in range(300))
    store.close()
    scribble(path, account_page(path))
    with pytest.raises(WorkspaceDamagedError, match="no backup") as caught:
        open_workspace(path)
    assert caught.value.backup is None


def test_refusing_a_damaged_file_changes_nothing_beside_it(tmp_path: Path) -> None:
    path = tmp_path / "book.db"
    make_book(path)
    scribble(path, account_page(path))
    before = sorted(p.name for p in tmp_path.iterdir())
    with pytest.raises(WorkspaceDamagedError):
        open_workspace(path)
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_an_unclean_damaged_file_keeps_its_open_mark(tmp_path: Path) -> None:
    path = tmp_path / "book.db"
    make_book(path)
    scribble(path, account_page(path))
    lock_path(path).write_text("{}")
    with pytest.raises(WorkspaceDamagedError):
        open_workspace(path)
    # The next open still knows the last session ended badly and checks in full.
    assert lock_path(path).exists()


def test_broken_references_after_an_unclean_exit_count_as_damage(tmp_path: Path) -> None:
    path = tmp_path / "book.db"
    make_book(path, accounts=3)
    conn = sqlite3.connect(path)
    missing = "missing-parent-account-id-000000"  # can never equal the account's own id
    conn.execute("UPDATE account SET parent_id = ? WHERE rowid = 1", (missing,))
    conn.commit()
    conn.close()
    # As a crashed session would leave it: a lock file naming a dead process.
    lock_path(path).write_text(
        '{"pid": 999999, "host": "laptop", "user": "ana", "since": "2026-11-22T10:00:00+00:00"}'
    )
    with pytest.raises(WorkspaceDamagedError) as caught:
        open_workspace(path)
    assert any("points to a missing account" in p for p in caught.value.problems)


def test_not_a_workspace_without_backups_is_a_stranger_not_damage(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_bytes(b"just some notes")
    with pytest.raises(WorkspaceError, match="not a Fieldbook workspace") as caught:
        open_workspace(path)
    assert not isinstance(caught.value, WorkspaceDamagedError)


def test_io_errors_are_told_apart_from_damage() -> None:
    full = sqlite3.OperationalError("database or disk is full")
    full.sqlite_errorcode = 13  # type: ignore[attr-defined]
    malformed = sqlite3.DatabaseError("database disk image is malformed")
    malformed.sqlite_errorcode = 11  # type: ignore[attr-defined]
    ioerr = sqlite3.OperationalError("disk I/O error")
    ioerr.sqlite_errorcode = 10 | (3 << 8)  # type: ignore[attr-defined]
    assert not is_corruption(full) and io_problem(full) is not None
    assert "full" in (io_problem(full) or "")
    assert is_corruption(malformed) and io_problem(malformed) is None
    assert not is_corruption(ioerr) and "input/output" in (io_problem(ioerr) or "")
    assert "full" in (io_problem(OSError(28, "No space left on device")) or "")


def test_a_new_workspace_has_nothing_to_check(tmp_path: Path) -> None:
    store = open_workspace(tmp_path / "new.db", create=True)
    try:
        assert store.report.checks == []
    finally:
        store.close()
