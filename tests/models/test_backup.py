"""Backups: valid, verified, restorable, thinned by rotation, never half-written."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from app.models import Account
from app.models.backup import make_backup, verify_backup
from app.models.backup_folder import (
    RotationPolicy,
    backup_name,
    backups_dir,
    backups_to_keep,
    list_backups,
    parse_backup_name,
)
from app.models.errors import BackupError
from app.models.opening import open_workspace
from app.models.store import Store
from app.services.backup import restore_workspace

pytestmark = pytest.mark.sqlite_only("file backups")


def add_accounts(store: Store, *names: str) -> None:
    with store.session() as session:
        session.add_all(Account(name=name) for name in names)


def account_names(store: Store) -> list[str]:
    with store.read() as session:
        return sorted(a.name for a in session.query(Account))


def test_backup_is_a_valid_self_contained_workspace(store: Store) -> None:
    add_accounts(store, "Acme", "Globex")
    backup = make_backup(store, "manual")
    assert backup.parent == backups_dir(store.path)  # type: ignore[arg-type]
    assert not Path(f"{backup}-wal").exists()
    check = verify_backup(backup)
    assert check.ok and check.revision is not None
    assert check.change_count == store.change_count()
    conn = sqlite3.connect(backup)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert sorted(r[0] for r in conn.execute("SELECT name FROM account")) == ["Acme", "Globex"]
    conn.close()
    restored = open_workspace(backup)
    assert account_names(restored) == ["Acme", "Globex"]
    restored.close()


def test_restore_brings_back_the_backup_and_keeps_the_current_file_aside(tmp_path: Path) -> None:
    path = tmp_path / "book.db"
    store = open_workspace(path, create=True)
    add_accounts(store, "Acme")
    backup = make_backup(store, "manual")
    add_accounts(store, "Added after the backup")
    store.close()
    before = path.read_bytes()

    result = restore_workspace(path, backup)

    assert result.kept_aside is not None and result.kept_aside.parent == tmp_path
    assert result.kept_aside.read_bytes() == before
    reopened = open_workspace(path)
    assert account_names(reopened) == ["Acme"]
    reopened.close()
    aside = open_workspace(result.kept_aside)
    assert account_names(aside) == ["Acme", "Added after the backup"]
    aside.close()


def test_restore_while_open_in_the_same_store(tmp_path: Path) -> None:
    store = open_workspace(tmp_path / "book.db", create=True)
    add_accounts(store, "Acme")
    backup = make_backup(store, "manual")
    add_accounts(store, "Later")
    result = store.restore(backup)
    assert account_names(store) == ["Acme"]
    add_accounts(store, "After restore")
    assert account_names(store) == ["Acme", "After restore"]
    store.close()
    assert result.kept_aside is not None
    aside = open_workspace(result.kept_aside)
    assert account_names(aside) == ["Acme", "Later"]
    aside.close()


def test_a_damaged_backup_is_refused_and_nothing_moves(tmp_path: Path) -> None:
    path = tmp_path / "book.db"
    store = open_workspace(path, create=True)
    add_accounts(store, "Acme")
    store.close()
    bogus = tmp_path / "bogus.db"
    bogus.write_bytes(b"SQLite format 3\x00" + b"\xff" * 8000)
    with pytest.raises(BackupError, match="cannot be restored"):
        restore_workspace(path, bogus)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bogus.db", "book.db"]


def test_out_file_is_written_exactly_there_and_never_overwritten(
    store: Store, tmp_path: Path
) -> None:
    out = tmp_path / "copy.db"
    assert make_backup(store, "manual", out=out) == out
    assert verify_backup(out).ok
    with pytest.raises(BackupError, match="already exists"):
        make_backup(store, "manual", out=out)


def test_unfinished_temp_files_are_not_listed(store: Store) -> None:
    made = make_backup(store, "manual")
    (made.parent / f".{made.name}.abcd.tmp").write_bytes(b"half")
    assert [b.path for b in list_backups(store.path)] == [made]  # type: ignore[arg-type]


def test_backup_names_round_trip() -> None:
    when = datetime(2026, 11, 22, 13, 3, 38, 123456, tzinfo=UTC)
    name = backup_name(Path("/x/My Book.db"), when, "Before Import!")
    assert name == "My Book_2026-11-22_130338.123456Z_before-import.db"
    assert parse_backup_name(name) == (when, "before-import")
    assert parse_backup_name("notes.txt") is None


def at(day: int, hour: int = 12, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=UTC)


def test_rotation_keeps_the_newest_then_one_per_day_week_month() -> None:
    policy = RotationPolicy(recent=3, daily=3, weekly=2, monthly=3)
    times = [
        # Nov 22 (a Sunday): four backups, the newest three are "recent".
        at(22, 14),
        at(22, 13),
        at(22, 12),
        at(22, 9),
        # Nov 21, Nov 20: two each; the newest of each day is the daily one.
        at(21, 18),
        at(21, 8),
        at(20, 18),
        at(20, 8),
        # Nov 19: beyond three days; same ISO week (47) as Nov 17..22.
        at(19, 18),
        # Week 46: Nov 12 and Nov 10; the newest one is that week's.
        at(12, 10),
        at(10, 10),
        # Week 45 is the third week: not kept weekly; October and September monthly.
        at(5, 10),
        at(30, 10, month=10),
        at(2, 10, month=10),
        at(15, 10, month=9),
        at(15, 10, month=8),
    ]
    kept = backups_to_keep(times, policy)
    assert kept == {
        at(22, 14), at(22, 13), at(22, 12),  # recent
        at(21, 18), at(20, 18),  # daily (Nov 22's newest is already recent)
        at(12, 10),  # weekly: week 47's newest is at(22, 14), week 46's is Nov 12
        at(30, 10, month=10),  # monthly: Nov, Oct, Sep
        at(15, 10, month=9),
    }  # fmt: skip


def test_rotation_of_a_short_history_keeps_everything() -> None:
    times = [at(22, h) for h in range(5)]
    assert backups_to_keep(times, RotationPolicy()) == set(times)
    assert backups_to_keep([], RotationPolicy()) == set()


def test_make_backup_thins_the_folder(store: Store) -> None:
    start = datetime(2026, 1, 1, tzinfo=UTC)
    policy = RotationPolicy(recent=2, daily=1, weekly=1, monthly=1)
    for n in range(5):
        make_backup(store, "scheduled", now=start + timedelta(days=40 * n), policy=policy)
    kept = [b.created for b in list_backups(store.path)]  # type: ignore[arg-type]
    assert kept == [start + timedelta(days=160), start + timedelta(days=120)]


def test_backups_of_a_namesake_workspace_are_not_mixed_in(store: Store) -> None:
    made = make_backup(store, "manual")
    (made.parent / made.name.replace("workspace_", "workspaces_")).write_bytes(b"other")
    assert [b.path for b in list_backups(store.path)] == [made]  # type: ignore[arg-type]


def test_temp_files_of_killed_backups_are_cleared_once_old(store: Store) -> None:
    import os

    made = make_backup(store, "manual")
    dead = made.parent / f".{made.name}.dead.tmp"
    fresh = made.parent / f".{made.name}.live.tmp"
    dead.write_bytes(b"half")
    fresh.write_bytes(b"half")
    old = made.stat().st_mtime - 2 * 3600
    os.utime(dead, (old, old))
    make_backup(store, "manual")
    assert not dead.exists()
    assert fresh.exists(), "a backup in progress elsewhere is left alone"
