"""The backup service: the 30-minute rule, backups on open when changed, the import hook."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from app.models import Account
from app.models.opening import open_workspace
from app.services.backup import BackupScheduler, backup_status, list_backups, make_backup

pytestmark = pytest.mark.sqlite_only("file backups (a server is backed up with pg_dump)")

T0 = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)


def test_nothing_is_due_without_changes() -> None:
    scheduler = BackupScheduler()
    assert not scheduler.pending
    assert not scheduler.due(T0 + timedelta(hours=5))


def test_due_thirty_minutes_after_the_first_change_then_quiet_until_the_next() -> None:
    scheduler = BackupScheduler()
    scheduler.note_change(T0)
    scheduler.note_change(T0 + timedelta(minutes=20))  # a later change does not restart it
    assert not scheduler.due(T0 + timedelta(minutes=29))
    assert scheduler.due(T0 + timedelta(minutes=30))
    scheduler.backed_up(T0 + timedelta(minutes=30))
    assert not scheduler.pending
    assert not scheduler.due(T0 + timedelta(hours=3))
    scheduler.note_change(T0 + timedelta(hours=3))
    assert not scheduler.due(T0 + timedelta(hours=3, minutes=10))
    assert scheduler.due(T0 + timedelta(hours=3, minutes=30))


def test_backup_on_open_only_when_changed_since_the_newest_backup(tmp_path: Path) -> None:
    path = tmp_path / "book.db"
    store = open_workspace(path, create=True)
    with store.session() as session:
        session.add(Account(name="Acme"))
    store.close()

    first = open_workspace(path, backup_on_open=True)
    assert first.report.backup is not None
    first.close()
    again = open_workspace(path, backup_on_open=True)
    assert again.report.backup is None, "nothing changed since the last backup"
    with again.session() as session:
        session.add(Account(name="Globex"))
    with again.read() as session:
        session.query(Account).all()  # reading is not a change
    assert again.commits == 1
    again.close()
    third = open_workspace(path, backup_on_open=True)
    assert third.report.backup is not None
    third.close()
    assert len(list_backups(path)) == 2


def test_make_backup_for_an_import_and_the_status_check_reads(tmp_path: Path) -> None:
    store = open_workspace(tmp_path / "book.db", create=True)
    made = make_backup(store, "before-import")
    assert made.name.endswith("_before-import.db")
    status = backup_status(tmp_path / "book.db")
    assert status.count == 1 and status.newest is not None and status.newest.path == made
    assert status.newest_check is not None and status.newest_check.ok
    age = status.age(status.newest.created + timedelta(minutes=5))
    assert age == timedelta(minutes=5)
    store.close()
