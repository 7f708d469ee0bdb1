"""The playbook editor on the real main window: the steps table fits a laptop window (no
sideways scroll, every column sized to its content, the title taking the rest) and
conditions read in words, their stored value kept as the edit value."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox, QTableView

from app.services.playbook_catalog import ONBOARDING
from app.services.playbooks import find_playbook
from app.views.playbooks import PlaybooksView
from app.views.playbooks.step_model import COL_CONDITION, COL_TITLE


def open_playbook(qtbot, window, name: str) -> PlaybooksView:
    """Click the Playbooks tab, then the playbook in the list."""
    bar = window.home.tabBar()
    index = next(i for i in range(bar.count()) if bar.tabText(i) == "Playbooks")
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(index).center())
    view = window.findChild(PlaybooksView)
    assert view is not None
    qtbot.waitUntil(view.isVisible)
    editor = view.playbooks
    item = editor.list.findItems(name, Qt.MatchFlag.MatchExactly)[0]
    rect = editor.list.visualItemRect(item)
    qtbot.mouseClick(editor.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: editor.name.text() == name)
    return view


@pytest.mark.parametrize("size", [(1366, 768), (1920, 1080)])
def test_steps_table_fits_the_window_without_a_sideways_scroll(qtbot, window, size) -> None:
    window.resize(*size)
    view = open_playbook(qtbot, window, ONBOARDING)
    table: QTableView = view.playbooks.table
    qtbot.waitUntil(lambda: table.horizontalHeader().length() <= table.viewport().width())
    header = table.horizontalHeader()
    assert table.horizontalScrollBar().maximum() == 0
    # Every column but the title shows its longest value whole; the title takes the rest.
    for column in range(1, header.count()):
        assert header.sectionSize(column) >= table.sizeHintForColumn(column) - 1, column
        assert table.columnViewportPosition(column) + header.sectionSize(column) <= (
            table.viewport().width()
        )
    assert header.sectionSize(COL_TITLE) >= (160 if size[0] == 1366 else 500)
    # A title too long for its column is elided; its tooltip says it whole.
    model = table.model()
    first = model.index(0, COL_TITLE)
    assert model.data(first, Qt.ItemDataRole.ToolTipRole) == model.data(first)


def test_conditions_read_in_words_and_still_edit(qtbot, window, store) -> None:
    view = open_playbook(qtbot, window, ONBOARDING)
    editor = view.playbooks
    model, table = editor.model, editor.table
    rows = [r for r in range(model.rowCount()) if model.row_at(r).condition]
    assert rows
    row = rows[0]
    cell = model.index(row, COL_CONDITION)
    assert model.data(cell) == "Segment is Strategic"
    assert model.data(cell, Qt.ItemDataRole.EditRole) == "segment:strategic"
    assert model.data(cell, Qt.ItemDataRole.ToolTipRole) == "Applies when segment is strategic"
    # The preview says which condition left a step out, in words.
    assert "left out by their conditions (Segment is Strategic)" in editor.preview_note.text()

    # Edit with the keyboard: F2 opens a combo of conditions in words.
    table.setFocus()
    table.setCurrentIndex(cell)
    qtbot.keyClick(table, Qt.Key.Key_F2)
    combo = QApplication.focusWidget()
    assert isinstance(combo, QComboBox)
    texts = [combo.itemText(i) for i in range(combo.count())]
    assert "Segment is not SMB" in texts and "Has a champion" in texts
    assert not any(":" in text or "_" in text for text in texts)
    combo.setCurrentIndex(texts.index("Segment is not SMB"))
    qtbot.keyClick(combo, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: table.state() != table.State.EditingState)
    assert model.data(cell) == "Segment is not SMB"
    assert model.row_at(row).condition == "not_segment:smb"
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    with store.read() as session:
        saved = find_playbook(session, ONBOARDING)
    assert saved.steps[row].condition == "not_segment:smb"
