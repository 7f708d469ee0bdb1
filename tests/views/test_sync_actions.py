"""The sync actions are offered only on a laptop replica: greyed out elsewhere, saying why."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtWidgets import QApplication, QMenu, QToolTip

from app.views.sync_status import NOT_A_REPLICA

pytestmark = pytest.mark.qt_log_ignore("raise()", "grabbing the keyboard")
SHOTS = Path("/tmp/shots/sync")


def _shown(text: str) -> str:
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&")


@pytest.mark.parametrize("size", [(1366, 768), (1920, 1080)])
def test_sync_actions_are_greyed_out_with_the_reason_on_a_workspace_that_is_no_replica(
    qtbot, window, size: tuple[int, int]
) -> None:
    window.resize(*size)
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    sync, review = window.actions_by_id["sync"], window.actions_by_id["sync_conflicts"]
    assert not sync.isEnabled() and not review.isEnabled()
    assert sync.toolTip() == review.toolTip() == NOT_A_REPLICA

    qtbot.keyClick(window, Qt.Key.Key_F9)  # nothing happens: no refusal box, no sync
    assert QApplication.activeModalWidget() is None
    assert not window.replica.busy and getattr(window, "conflicts_dialog", None) is None

    bar = window.menuBar()
    file_menu = next(a for a in bar.actions() if _shown(a.text()) == "File")
    opened: list[QMenu] = []

    def grab_menu() -> None:
        menu = QApplication.activePopupWidget()
        if isinstance(menu, QMenu):
            opened.append(menu)
        else:
            QTimer.singleShot(10, grab_menu)

    QTimer.singleShot(0, grab_menu)
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.actionGeometry(file_menu).center())
    qtbot.waitUntil(lambda: bool(opened))
    menu = opened[0]
    entry = next(a for a in menu.actions() if _shown(a.text()) == "Sync with Team Workspace")
    assert not entry.isEnabled()
    spot = menu.actionGeometry(entry).center()
    qtbot.mouseMove(menu, spot - QPoint(5, 0))
    qtbot.mouseMove(menu, spot)
    qtbot.waitUntil(QToolTip.isVisible, timeout=5000)
    assert QToolTip.text() == NOT_A_REPLICA
    SHOTS.mkdir(parents=True, exist_ok=True)
    menu.grab().save(str(SHOTS / f"file-menu-no-replica-{size[0]}.png"))
    qtbot.mouseClick(menu, Qt.MouseButton.LeftButton, pos=spot)  # a greyed entry does nothing
    assert QApplication.activeModalWidget() is None and not window.replica.busy
    menu.close()
