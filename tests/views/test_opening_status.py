"""The window paints first and says how the background check of its workspace went."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.models import Account, integrity
from app.models.errors import WorkspaceDamagedError
from app.models.lock import lock_path
from app.models.opening import open_workspace
from app.models.opening_check import CheckState
from app.models.store import Store
from app.views.main_window import MainWindow

pytestmark = [
    pytest.mark.sqlite_only("the opening check of a workspace file"),
]


Show = Callable[[QtBot, Store], MainWindow]


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def book(tmp_path: Path) -> Path:
    path = tmp_path / "book.db"
    store = open_workspace(path, create=True)
    with store.session() as session:
        session.add_all(Account(name=f"Account {n:02d}") for n in range(30))
    store.close()
    return path


@pytest.fixture(params=[False, True], ids=["built-whole", "rest-after-paint"])
def show(request: pytest.FixtureRequest) -> Show:
    """Shows a window on a store: built at once, and as ``fieldbook gui`` builds it (the rest
    after the first paint); the check's promises hold either way."""

    def shown(qtbot: QtBot, store: Store) -> MainWindow:
        window = MainWindow(store, rest_after_paint=request.param)
        qtbot.addWidget(window)
        window.resize(1366, 768)
        window.show()
        return window

    return shown


@pytest.fixture
def opened(book: Path) -> Iterator[Store]:
    store = open_workspace(book, check_in_background=True)
    yield store
    store.close()


def test_the_window_paints_then_checks(qtbot: QtBot, opened: Store, show: Show) -> None:
    check = opened.check
    assert check is not None and not check.done
    window = show(qtbot, opened)
    status = window.opening_status
    assert window.tree.model.rowCount() == 30  # the tree is there before the verdict
    assert status.isVisible() or check.done
    # The first paint starts the check; the label goes once it passed.
    qtbot.waitUntil(lambda: check.done and not status.isVisible(), timeout=10_000)
    assert check.state is CheckState.PASSED
    with opened.session() as session:
        session.add(Account(name="Saved"))
    assert opened.report.checks == ["quick check: ok"]


def test_an_unclean_exit_is_checked_in_full_and_the_window_says_so(
    qtbot: QtBot, book: Path, show: Show
) -> None:
    lock_path(book).write_text(
        '{"pid": 999999, "host": "laptop", "user": "ana", "since": "2026-11-22T10:00:00+00:00"}'
    )
    store = open_workspace(book, check_in_background=True)
    try:
        assert store.check is not None
        window = show(qtbot, store)
        status = window.opening_status
        assert "Checking the whole workspace" in status.text() or store.check.done
        qtbot.waitUntil(lambda: "Checked" in status.text(), timeout=10_000)
        assert "integrity check: ok" in status.text()
        assert "not closed properly" in window.statusBar().currentMessage()
    finally:
        store.close()


def test_damage_found_after_the_paint_offers_a_backup_and_saves_nothing(
    qtbot: QtBot, book: Path, monkeypatch: pytest.MonkeyPatch, show: Show
) -> None:
    monkeypatch.setattr(
        integrity, "find_damage", lambda _path, *, full: ["Page 7: btreeInitPage() returns 11"]
    )
    offered: list[WorkspaceDamagedError] = []

    def decline(error: WorkspaceDamagedError, parent: object = None) -> None:
        offered.append(error)
        return None

    import app.views.recovery as recovery_view

    monkeypatch.setattr(recovery_view, "run_recovery_dialog", decline)
    before = digest(book)
    store = open_workspace(book, check_in_background=True)
    try:
        window = show(qtbot, store)
        qtbot.waitUntil(lambda: bool(offered), timeout=10_000)
        assert offered[0].path == book
        assert "Damaged" in window.opening_status.text()
        with pytest.raises(WorkspaceDamagedError), store.session() as session:
            session.add(Account(name="Never saved"))
        window.close()
    finally:
        store.close()
    assert digest(book) == before


def test_offer_recovery_restores_and_installs_the_backup(
    qtbot: QtBot, book: Path, monkeypatch: pytest.MonkeyPatch, show: Show
) -> None:
    from app.models.backup import make_backup

    backup = make_backup(book, "manual")
    verdicts = [["damaged page"]]  # the first check finds damage, the restored file none
    monkeypatch.setattr(
        integrity, "find_damage", lambda _path, *, full: verdicts.pop() if verdicts else []
    )
    import app.views.recovery as recovery_view

    monkeypatch.setattr(recovery_view, "run_recovery_dialog", lambda error, parent=None: backup)
    told: list[str] = []
    monkeypatch.setattr(recovery_view, "inform", lambda _p, _t, text: told.append(text))
    store = open_workspace(book, check_in_background=True)
    window = show(qtbot, store)
    try:
        qtbot.waitUntil(lambda: window.ctx.store is not store, timeout=10_000)
        assert "restored from" in told[0]
        assert window.tree.model.rowCount() == 30
        assert list(book.parent.glob("book.damaged-*.db"))
    finally:
        window.close()
        window.ctx.store.close()
        store.close()
