"""A laptop replica in the real main window: its state, Sync (F9), the conflicts review."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from app.models import Account
from app.models.store import Store
from app.services import sync
from tests.sync.team import Team, edit, field_of, run_sync, team

pytestmark = [pytest.mark.postgres_only]
__all__ = ["team"]
SHOTS = Path("/tmp/shots/sync")


@pytest.fixture
def laptops(team: Team) -> Iterator[tuple[Store, Store]]:
    a, b = team.laptop("a", "maya"), team.laptop("b", "lee")
    edit(a, Account, team.ids["acme"], notes="Maya's")  # earlier: loses to Lee's
    edit(b, Account, team.ids["acme"], notes="Lee's")
    run_sync(b)
    yield a, b


@pytest.mark.parametrize("size", [(1366, 768), (1920, 1080)])
def test_sync_from_the_window_and_review_the_conflict(
    qtbot, team: Team, laptops: tuple[Store, Store], size: tuple[int, int]
) -> None:
    from app.views.main_window import MainWindow

    a, _b = laptops
    window = MainWindow(a)
    qtbot.addWidget(window)
    window.resize(*size)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    label = window.replica.label
    assert label.isVisible() and label.text() == "Replica: 1 change waiting"
    for action_id in ("sync", "sync_conflicts"):  # offered here, with what they do
        action = window.actions_by_id[action_id]
        assert action.isEnabled() and "replica" not in action.toolTip()

    qtbot.keyClick(window, Qt.Key.Key_F9)
    qtbot.waitUntil(lambda: label.text() == "Replica: 1 conflict to review", timeout=20000)
    assert field_of(a, "account", team.ids["acme"], "notes") == "Lee's"
    # Whole and inside the window as soon as it says so, beside the (long) sync message.
    assert window.statusBar().currentMessage().startswith("Synced: sent")
    _whole(window, label)
    SHOTS.mkdir(parents=True, exist_ok=True)
    window.grab().save(str(SHOTS / f"window-{size[0]}.png"))
    window.statusBar().showMessage("Synced: " + "sent 2, received 2; " * 60)  # wider than the bar
    _whole(window, label)

    window.actions_by_id["sync_conflicts"].trigger()
    dialog = window.conflicts_dialog
    qtbot.waitExposed(dialog)
    cells = [dialog.table.item(0, col).text() for col in range(dialog.table.columnCount())]
    # The record and field as the window names them (they read "account Acme", "notes").
    assert cells[:4] == ["Account Acme", "Notes", "Maya's", "Lee's"]
    # Who, by the name the team knows (it read the login, "lee").
    assert cells[5] == "Lee Lead" and "theirs was later" in cells[6]
    dialog.grab().save(str(SHOTS / f"conflicts-{size[0]}.png"))

    qtbot.mouseClick(dialog.keep, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 0)
    assert field_of(a, "account", team.ids["acme"], "notes") == "Maya's"
    assert not dialog.keep.isEnabled()
    qtbot.waitUntil(lambda: label.text() == "Replica: 1 change waiting")

    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # undo: back
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 1)
    assert field_of(a, "account", team.ids["acme"], "notes") == "Lee's"
    qtbot.mouseClick(dialog.keep, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 0)
    dialog.close()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_F9)
    qtbot.waitUntil(lambda: label.text() == "Replica: synced", timeout=20000)
    assert field_of(team.server(), "account", team.ids["acme"], "notes") == "Maya's"

    # The server goes away: the window says since when the laptop is offline, and keeps working.
    with a.engine.begin() as connection:
        connection.exec_driver_sql(
            "UPDATE sync_replica SET server = 'postgresql+psycopg://maya@127.0.0.1:1/nowhere'"
        )
    edit(a, Account, team.ids["acme"], tier=4)
    with qtbot.waitSignal(window.replica.sync_failed, timeout=20000):
        qtbot.keyClick(window, Qt.Key.Key_F9)
    qtbot.waitUntil(lambda: label.text().startswith("Replica: offline since"))
    assert label.text().endswith("1 change waiting")
    assert "not answering" in label.toolTip()
    _whole(window, label)  # beside the long message
    window.grab().save(str(SHOTS / f"offline-{size[0]}.png"))
    assert sync.state(a) is not None
    window.close()


def _whole(window: QWidget, label: QLabel) -> None:
    """``label`` shows its whole text, inside the window (not under the size grip)."""
    needed = label.fontMetrics().horizontalAdvance(label.text())
    right = label.mapTo(window, label.rect().topRight()).x()
    assert label.width() >= needed, (label.width(), needed)
    assert right < window.width(), (right, window.width())
