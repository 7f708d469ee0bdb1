"""Help: the keyboard shortcuts window is generated from the action registries; the guide."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QKeySequence
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from app.views.actions import REGISTRY
from app.views.help import GuideDialog, ShortcutsDialog, _keys, shortcut_rows
from app.views.main_window import MainWindow

pytestmark = pytest.mark.qt_log_ignore("does not support raise")


def table_rows(dialog: ShortcutsDialog) -> list[tuple[str, str, str]]:
    t = dialog.table
    return [
        tuple(t.item(r, c).text() for c in range(3))  # type: ignore[misc]
        for r in range(t.rowCount())
    ]


def test_every_registered_shortcut_is_listed(qapp: object) -> None:
    rows = shortcut_rows()
    commands = {command for _where, command, _keys in rows}
    for spec in REGISTRY:
        if _keys(spec):  # a standard key may have no binding on this platform
            assert spec.text.replace("&", "").rstrip("…") in commands, spec.id
    assert ("Stakeholder map", "Tidy layout", "Ctrl+L") in rows
    assert any(what == "Set who they report to (undo with Ctrl+Z)" for _w, what, _k in rows)


def test_the_shortcuts_window_opens_from_its_shortcut_and_the_guide_from_the_menu(
    window: MainWindow, qtbot: QtBot
) -> None:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    QTest.keySequence(window, QKeySequence("Ctrl+/"))
    dialog = window.findChild(ShortcutsDialog)
    assert dialog is not None and dialog.isVisible()
    rows = table_rows(dialog)
    undo_keys = QKeySequence(QKeySequence.StandardKey.Undo).toString(
        QKeySequence.SequenceFormat.NativeText
    )
    assert any(cmd == "Undo" and undo_keys in keys for _w, cmd, keys in rows)
    assert rows == shortcut_rows()
    window.actions_by_id["guide"].trigger()
    guide = window.findChild(GuideDialog)
    assert guide is not None and guide.isVisible()
    text = guide.browser.toPlainText()
    assert "+ handle" in text and "Drag a card onto its manager" in text
    help_menu = next(m for m in window.menuBar().actions() if m.text() == "&Help").menu()
    assert help_menu is not None
    texts = [a.text() for a in help_menu.actions() if not a.isSeparator()]
    assert texts[:2] == ["&Guide to Fieldbook", "&Keyboard Shortcuts"]
