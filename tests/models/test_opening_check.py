"""Opening with the whole-file check in the background: reads at once, writes wait for it,
and a damaged file is still never written."""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from pathlib import Path

import pytest

from app.models import Account
from app.models import schema as schema_module
from app.models.errors import WorkspaceDamagedError
from app.models.lock import lock_path
from app.models.opening import open_workspace
from app.models.opening_check import CheckState
from app.models.schema import head_revision, known_revisions
from tests.models.test_damage import account_page, make_book, scribble


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_the_migration_files_are_read_as_alembic_reads_them() -> None:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(schema_module.alembic_config())
    assert head_revision() == script.get_current_head()
    assert known_revisions() == {rev.revision for rev in script.walk_revisions()}


def test_a_clean_open_reads_at_once_and_writes_after_the_check(tmp_path: Path) -> None:
    path = tmp_path / "book.db"
    make_book(path, accounts=20)
    store = open_workspace(path, check_in_background=True)
    try:
        assert store.check is not None and not store.check.full
        with store.read() as session:
            assert session.query(Account).count() == 20
        with store.session() as session:
            session.add(Account(name="After the check"))
        assert store.check is None  # promoted to a read-write engine
        assert store.report.checks == ["quick check: ok"]
        with store.read() as session:
            assert session.query(Account).count() == 21
    finally:
        store.close()
    assert not lock_path(path).exists()


def test_a_listener_whose_window_has_gone_holds_up_neither_the_others_nor_the_writes(
    tmp_path: Path,
) -> None:
    """A window closed before the verdict leaves a relay Qt has deleted, whose emit raises
    RuntimeError in the check's thread: the other listeners still hear, writes still go on."""
    path = tmp_path / "book.db"
    make_book(path, accounts=3)
    store = open_workspace(path, check_in_background=True)
    heard: list[CheckState] = []

    def gone(_check: object) -> None:
        raise RuntimeError("Signal source has been deleted")

    try:
        assert store.check is not None
        store.check.when_done(gone)
        store.check.when_done(lambda check: heard.append(check.state))
        store.check.start()
        assert store.check.wait(10)
        assert heard == [CheckState.PASSED]
        with store.session() as session:
            session.add(Account(name="Written"))
    finally:
        store.close()


def test_writes_wait_for_the_check(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "book.db"
    make_book(path, accounts=5)
    release = threading.Event()
    checking = threading.Event()
    from app.models import integrity

    real = integrity.find_damage

    def slow_check(target: Path, *, full: bool) -> list[str]:
        checking.set()
        release.wait()
        return real(target, full=full)

    monkeypatch.setattr(integrity, "find_damage", slow_check)
    store = open_workspace(path, check_in_background=True)
    assert store.check is not None
    store.check.start()
    wrote = threading.Event()

    def write() -> None:
        with store.session() as session:
            session.add(Account(name="Waited"))
        wrote.set()

    writer = threading.Thread(target=write)
    try:
        assert checking.wait(10)
        before = digest(path)
        writer.start()
        # The writer is blocked on the check: nothing written while it runs.
        assert not wrote.wait(0.3)
        assert store.checking and digest(path) == before
        release.set()
        writer.join(10)
        assert wrote.is_set()
        with store.read() as session:
            assert session.query(Account).filter_by(name="Waited").count() == 1
    finally:
        release.set()
        store.close()


def test_the_pending_engine_cannot_write(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "book.db"
    make_book(path, accounts=5)
    release = threading.Event()
    from app.models import integrity

    monkeypatch.setattr(integrity, "find_damage", lambda _p, *, full: release.wait() and [])
    store = open_workspace(path, check_in_background=True)
    try:
        with pytest.raises(Exception, match=r"readonly|read-only"), store.read() as session:
            session.add(Account(name="Sneaked"))
            session.flush()
    finally:
        release.set()
        store.close()


def test_a_damaged_file_found_in_the_background_is_never_written(tmp_path: Path) -> None:
    path = tmp_path / "book.db"
    backup = make_book(path)
    scribble(path, account_page(path))
    damaged = digest(path)

    store = open_workspace(path, check_in_background=True)
    assert store.check is not None
    with pytest.raises(WorkspaceDamagedError) as caught, store.session() as session:
        session.add(Account(name="Never saved"))
    assert caught.value.backup is not None and caught.value.backup.path == backup
    assert store.check.state is CheckState.DAMAGED
    store.close()
    assert digest(path) == damaged
    assert not Path(f"{path}-wal").exists()
    assert not lock_path(path).exists()


def test_an_unclean_exit_gets_the_full_check_before_any_write(tmp_path: Path) -> None:
    path = tmp_path / "book.db"
    make_book(path, accounts=3)
    conn = sqlite3.connect(path)
    missing = "missing-parent-account-id-000000"
    conn.execute("UPDATE account SET parent_id = ? WHERE rowid = 1", (missing,))
    conn.commit()
    conn.close()
    lock_path(path).write_text(
        '{"pid": 999999, "host": "laptop", "user": "ana", "since": "2026-11-22T10:00:00+00:00"}'
    )
    before = digest(path)

    store = open_workspace(path, check_in_background=True)
    assert store.check is not None and store.check.full
    assert any("checking the whole workspace" in line for line in store.report.lines())
    with pytest.raises(WorkspaceDamagedError) as caught, store.session():
        pass
    assert any("points to a missing account" in p for p in caught.value.problems)
    store.close()
    assert digest(path) == before
    # Still marked: the next open checks in full again.
    assert lock_path(path).exists()


def test_an_unclean_exit_says_what_the_full_check_found(tmp_path: Path) -> None:
    path = tmp_path / "book.db"
    make_book(path, accounts=3)
    lock_path(path).write_text(
        '{"pid": 999999, "host": "laptop", "user": "ana", "since": "2026-11-22T10:00:00+00:00"}'
    )
    store = open_workspace(path, check_in_background=True)
    try:
        assert store.check is not None
        store.check.wait()
        assert store.report.lines()[0] == (
            "Fieldbook was not closed properly last time; checked the whole workspace "
            "(integrity check: ok, foreign key check: ok)."
        )
        with store.session() as session:
            session.add(Account(name="Saved after the full check"))
    finally:
        store.close()
    assert not lock_path(path).exists()


def test_a_quick_open_announces_its_commits_once_writable(tmp_path: Path) -> None:
    """The window's views refresh from the store's change feed: a workspace opened with its
    check in the background publishes what each commit touched, as any store does."""
    from app.models.changes import ChangeKind, ChangeSet

    path = tmp_path / "book.db"
    make_book(path, accounts=2)
    store = open_workspace(path, check_in_background=True)
    published: list[ChangeSet] = []
    store.changes.subscribe(published.append)
    try:
        with store.session() as session:
            account = Account(name="After the check")
            session.add(account)
            session.flush()
            added = account.id
    finally:
        store.close()
    assert [change.kinds for change in published] == [frozenset({ChangeKind.ACCOUNT})]
    assert added in published[0].account_ids
