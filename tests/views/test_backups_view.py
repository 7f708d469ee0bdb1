"""File > Backups... and the recovery dialog (``app.views.recovery``), standalone, with their
questions answered."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

import app.views.backups as view
import app.views.recovery as recovery
from app.models import Account
from app.models.backup import make_backup
from app.models.backup_folder import list_backups
from app.models.changes import ChangeKind, ChangeSet
from app.models.errors import WorkspaceDamagedError
from app.models.opening import open_workspace
from app.models.store import Store
from app.views.context import AppContext

pytestmark = pytest.mark.sqlite_only("file backups (a server is backed up with pg_dump)")


class Answers:
    """Stands in for ``ask``/``inform``: records the questions, answers as told."""

    def __init__(self, answer: bool = True) -> None:
        self.answer = answer
        self.asked: list[str] = []
        self.told: list[str] = []

    def ask(self, _parent: object, _title: str, text: str, _yes: str) -> bool:
        self.asked.append(text)
        return self.answer

    def inform(self, _parent: object, _title: str, text: str) -> None:
        self.told.append(text)


@pytest.fixture
def answers(monkeypatch: pytest.MonkeyPatch) -> Answers:
    found = Answers()
    for module in (view, recovery):
        monkeypatch.setattr(module, "ask", found.ask)
        monkeypatch.setattr(module, "inform", found.inform)
    return found


@pytest.fixture
def book(tmp_path: Path) -> Iterator[Store]:
    store = open_workspace(tmp_path / "book.db", create=True)
    with store.session() as session:
        session.add(Account(name="Acme"))
    yield store
    store.close()


def names(store: Store) -> list[str]:
    with store.read() as session:
        return sorted(a.name for a in session.query(Account))


def test_backup_list_model(qtmodeltester: object, book: Store) -> None:
    make_backup(book, "manual")
    make_backup(book, "before-import")
    model = view.BackupListModel()
    model.set_rows(list_backups(book.path))  # type: ignore[arg-type]
    qtmodeltester.check(model)  # type: ignore[attr-defined]
    assert model.rowCount() == 2
    assert model.index(0, model.REASON).data() == "Before an import"
    assert model.index(1, model.REASON).data() == "Backed up by you"
    assert model.index(0, model.SIZE).data().endswith("KB")


def test_describe_when_says_how_long_ago() -> None:
    now = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
    assert view.describe_when(now - timedelta(minutes=25), now).endswith("(25 minutes ago)")
    assert view.describe_when(now - timedelta(days=1, hours=2), now).endswith("(1 day ago)")
    assert view.describe_when(now, now).endswith("(just now)")


def test_dialog_lists_backs_up_and_restores(qtbot: QtBot, book: Store, answers: Answers) -> None:
    first = make_backup(book, "manual")
    ctx = AppContext(store=book)
    with book.session() as session:
        session.add(Account(name="Added later"))
    dialog = view.BackupsDialog(ctx)
    qtbot.addWidget(dialog)
    assert dialog.model.rowCount() == 1
    assert "1 backup in" in dialog.summary.text()

    qtbot.mouseClick(dialog.backup_button, view.Qt.MouseButton.LeftButton)
    assert dialog.model.rowCount() == 2
    dialog.grab().save("/tmp/fieldbook-backups-dialog.png")

    dialog.table.selectRow(1)
    selected = dialog.selected_backup()
    assert selected is not None and selected.path == first
    with (
        qtbot.waitSignal(dialog.restored) as restored,
        qtbot.waitSignal(ctx.events.changed) as changed,
    ):
        qtbot.mouseClick(dialog.restore_button, view.Qt.MouseButton.LeftButton)
    assert changed.args == [ChangeSet.of(ChangeKind.WORKSPACE)]
    assert "Changes made after it will be gone" in answers.asked[0]
    assert names(book) == ["Acme"]
    kept = restored.args[0].kept_aside
    assert kept is not None and kept.exists()
    assert "kept as" in answers.told[-1]


def test_restore_is_not_done_when_the_user_says_no(
    qtbot: QtBot, book: Store, answers: Answers
) -> None:
    make_backup(book, "manual")
    with book.session() as session:
        session.add(Account(name="Added later"))
    answers.answer = False
    dialog = view.BackupsDialog(AppContext(store=book))
    qtbot.addWidget(dialog)
    qtbot.mouseClick(dialog.restore_button, view.Qt.MouseButton.LeftButton)
    assert answers.asked and names(book) == ["Acme", "Added later"]


def test_read_only_window_cannot_restore(qtbot: QtBot, book: Store) -> None:
    make_backup(book, "manual")
    assert book.path is not None
    reader = open_workspace(book.path, read_only=True)
    try:
        dialog = view.BackupsDialog(AppContext(store=reader))
        qtbot.addWidget(dialog)
        assert dialog.model.rowCount() == 1
        assert not dialog.restore_button.isEnabled()
    finally:
        reader.close()


def damage(path: Path) -> None:
    conn = sqlite3.connect(path)
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'account'").fetchone()[0]
    conn.close()
    with path.open("r+b") as handle:
        handle.seek((root - 1) * page_size)
        handle.write(b"\x0d" + bytes(range(256)) * 15)


@pytest.fixture
def damaged(tmp_path: Path) -> Path:
    path = tmp_path / "book.db"
    store = open_workspace(path, create=True)
    with store.session() as session:
        session.add_all(Account(name=f"Account {n}") for n in range(50))
    make_backup(store, "scheduled")
    store.close()
    damage(path)
    return path


def test_recovery_dialog_explains_and_restores_in_two_clicks(
    qtbot: QtBot, damaged: Path, answers: Answers, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[recovery.RecoveryDialog] = []

    def click_restore(error: WorkspaceDamagedError, parent: object = None) -> Path | None:
        dialog = recovery.RecoveryDialog(error)
        qtbot.addWidget(dialog)
        shown.append(dialog)
        dialog.grab().save("/tmp/fieldbook-recovery-dialog.png")
        qtbot.mouseClick(dialog.restore_button, view.Qt.MouseButton.LeftButton)  # click 1
        return dialog.chosen

    monkeypatch.setattr(recovery, "run_recovery_dialog", click_restore)
    store = recovery.open_interactively(open_workspace, damaged)
    assert store is not None
    try:
        text = shown[0].message.text()
        assert "is damaged" in text and "newest good backup" in text
        assert "will be lost" in text and "never deleted" in text
        assert shown[0].result() == view.QDialog.DialogCode.Accepted
        assert "damaged file was kept as" in answers.told[0]  # click 2: OK
        assert len(names(store)) == 50
    finally:
        store.close()
    assert list(damaged.parent.glob("book.damaged-*.db"))


def test_recovery_dialog_quit_leaves_everything(
    qtbot: QtBot, damaged: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = damaged.read_bytes()
    monkeypatch.setattr(recovery, "run_recovery_dialog", lambda error, parent=None: None)
    assert recovery.open_interactively(open_workspace, damaged) is None
    assert damaged.read_bytes() == before
    assert not list(damaged.parent.glob("book.damaged-*"))


def test_choose_another_backup(
    qtbot: QtBot, damaged: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    older = list_backups(damaged)[0].path
    monkeypatch.setattr(recovery, "choose_backup_file", lambda parent, folder: older)
    with pytest.raises(WorkspaceDamagedError) as caught:
        open_workspace(damaged)
    dialog = recovery.RecoveryDialog(caught.value)
    qtbot.addWidget(dialog)
    qtbot.mouseClick(dialog.choose_button, view.Qt.MouseButton.LeftButton)
    assert dialog.chosen == older


@pytest.mark.parametrize("refusal", ["locked", "unwritable"])
def test_locked_or_unwritable_workspace_offers_read_only(
    qtbot: QtBot, book: Store, answers: Answers, refusal: str
) -> None:
    from app.models.errors import WorkspaceLockedError, WorkspaceReadOnlyError

    assert book.path is not None
    path = book.path

    def refuse(*_args: object, **_kwargs: object) -> Store:
        if refusal == "locked":
            raise WorkspaceLockedError(path, None)
        raise WorkspaceReadOnlyError(path)

    store = recovery.open_interactively(refuse)
    assert store is not None and store.read_only
    assert "Open it read-only here?" in answers.asked[0]
    store.close()
    answers.answer = False
    assert recovery.open_interactively(refuse) is None


def test_backup_timer_backs_up_thirty_minutes_after_a_change(qtbot: QtBot, book: Store) -> None:
    ctx = AppContext(store=book)
    timer = view.BackupTimer(ctx)
    start = datetime.now(UTC)
    assert timer.check(start + timedelta(hours=1)) is None
    book.changes.publish(ChangeSet.of(ChangeKind.ACCOUNT, accounts=["abc"]))
    assert timer.check(start + timedelta(minutes=10)) is None
    with qtbot.waitSignal(timer.backed_up) as made:
        timer.check(start + timedelta(minutes=31))
    assert made.args[0] in [b.path for b in list_backups(book.path)]  # type: ignore[arg-type]
    assert timer.check(start + timedelta(hours=2)) is None


def test_backup_timer_counts_edits_no_view_announced(book: Store, qtbot: QtBot) -> None:
    ctx = AppContext(store=book)
    timer = view.BackupTimer(ctx)
    with book.session() as session:  # the store announces every commit, whoever made it
        session.add(Account(name="Imported"))
    start = datetime.now(UTC)
    assert timer.check(start) is None
    assert timer.check(start + timedelta(minutes=30)) is not None
