"""User text keeps its "&" in menus: the Edit menu's Undo/Redo and the recent workspaces."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMenu

from app.views.menu_text import literal

from .conftest import Book

pytestmark = pytest.mark.qt_log_ignore("raise()", "grabbing the keyboard")


def shown(text: str) -> str:
    """What Qt draws for an action's text: "&&" is one "&", a lone "&" marks a mnemonic."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&")


def _rename(qtbot, window, account_id: str, name: str) -> None:
    assert window.tree.select(account_id)
    window.workspace.show_tab("Overview")
    editor = window.workspace.tab("Overview").editors["name"].input
    editor.setFocus()
    editor.selectAll()
    qtbot.keyClicks(editor, name)
    qtbot.keyClick(editor, Qt.Key.Key_Return)


def _edit_menu_texts(qtbot, window) -> list[str]:
    """Open the Edit menu with a real click on the menu bar and read its entries."""
    bar = window.menuBar()
    edit = next(a for a in bar.actions() if shown(a.text()) == "Edit")
    listed: list[str] = []

    def read() -> None:
        menu = QApplication.activePopupWidget()
        if isinstance(menu, QMenu):
            listed.extend(a.text() for a in menu.actions() if not a.isSeparator())
            menu.close()
        else:
            QTimer.singleShot(10, read)

    QTimer.singleShot(0, read)
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.actionGeometry(edit).center())
    qtbot.waitUntil(lambda: bool(listed))
    return listed


@pytest.mark.parametrize("size", [(1366, 768), (1920, 1080)])
def test_undo_and_redo_keep_the_ampersand_of_a_name(qtbot, window, book: Book, size):
    window.resize(*size)
    _rename(qtbot, window, book.globex, "R&D Labs")
    _rename(qtbot, window, book.globex, "Research")
    undo, redo = window.actions_by_id["undo"], window.actions_by_id["redo"]
    assert shown(undo.text()) == "Undo rename R&D Labs"
    assert undo.toolTip() == "Undo rename R&D Labs"
    assert "Undo rename R&D Labs" in [shown(t) for t in _edit_menu_texts(qtbot, window)]
    undo.trigger()
    assert shown(redo.text()) == "Redo rename R&D Labs"
    assert "Redo rename R&D Labs" in [shown(t) for t in _edit_menu_texts(qtbot, window)]


def test_recent_workspaces_keep_the_ampersand(qtbot, window, tmp_path):
    other = tmp_path / "Sales & Success.fieldbook"
    window.settings.remember_workspace(str(other))
    window._fill_recent()
    texts = [shown(a.text()) for a in window.recent_menu.actions()]
    assert "Sales & Success.fieldbook" in texts


def test_literal_doubles_every_ampersand():
    assert literal("R&D & Ops") == "R&&D && Ops"
    assert shown(literal("R&D & Ops")) == "R&D & Ops"
