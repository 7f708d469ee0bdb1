"""The playbook and cadence editors round-trip through the database, one undo step a save."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QApplication, QComboBox, QLineEdit, QSpinBox

from app.models.enums import ActivityKind, Segment
from app.models.playbook import OwnerRole, StepAnchor, StepKind
from app.services.cadence import list_cadence
from app.services.playbooks import StepSpec, find_playbook, list_playbooks
from app.views.context import AppContext
from app.views.playbooks import PlaybooksView
from app.views.playbooks.step_model import COL_ANCHOR, COL_OWNER, COL_TITLE, StepTableModel

from .conftest import TODAY, Book


@pytest.fixture
def view(qtbot, store, book: Book) -> PlaybooksView:
    ctx = AppContext(store=store, today=TODAY)
    widget = PlaybooksView(ctx)
    qtbot.addWidget(widget)
    widget.resize(1366, 768)
    widget.show()
    return widget


def titles(model: StepTableModel) -> list[str]:
    return [s.title for s in model.rows()]


def test_step_model_passes_the_model_tester_and_drags_rows(qtmodeltester) -> None:
    model = StepTableModel()
    model.set_rows([StepSpec("A"), StepSpec("B", StepKind.CHECKLIST), StepSpec("C")])
    qtmodeltester.check(model)
    # Drag row A and drop it on row C: A goes before C.
    data = model.mimeData([model.index(0, 0)])
    model.dropMimeData(data, Qt.DropAction.MoveAction, -1, -1, model.index(2, 0))
    assert titles(model) == ["B", "A", "C"]
    # Drop B below the last row: it goes to the end.
    data = model.mimeData([model.index(0, 0)])
    model.dropMimeData(data, Qt.DropAction.MoveAction, 3, 0, QModelIndex())
    assert titles(model) == ["A", "C", "B"]
    # Closed choices only.
    assert not model.setData(model.index(0, COL_OWNER), "the intern")
    assert model.setData(model.index(0, COL_OWNER), "sales")
    assert model.row_at(0).owner_role == OwnerRole.SALES


def test_edit_reorder_save_and_undo_a_playbook(view, qtbot, store) -> None:
    editor = view.playbooks
    names = [editor.list.item(i).text() for i in range(editor.list.count())]
    editor.list.setCurrentRow(names.index("QBR preparation"))
    assert titles(editor.model)[:2] == [
        "Health, adoption and support figures pulled",
        "Deck drafted",
    ]

    # Rename the first step in place, with the keyboard.
    table = editor.table
    table.setFocus()
    table.setCurrentIndex(editor.model.index(0, COL_TITLE))
    qtbot.keyClick(table, Qt.Key.Key_F2)
    line = QApplication.focusWidget()
    assert isinstance(line, QLineEdit)
    line.selectAll()
    qtbot.keyClicks(line, "Figures pulled from Fieldbook")
    qtbot.keyClick(line, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: table.state() != table.State.EditingState)
    # Move it below "Deck drafted" with the button.
    table.setCurrentIndex(editor.model.index(0, COL_TITLE))
    move_down = next(
        b for b in editor.findChildren(type(editor.save_button)) if b.text() == "Move down"
    )
    qtbot.mouseClick(move_down, Qt.MouseButton.LeftButton)
    assert titles(editor.model)[:2] == ["Deck drafted", "Figures pulled from Fieldbook"]
    # The preview dates the edited steps for the chosen account.
    assert editor.preview.topLevelItemCount() == 6
    assert editor.preview.topLevelItem(1).text(1) == "Figures pulled from Fieldbook"

    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    with store.read() as session:
        saved = find_playbook(session, "QBR preparation")
    assert [s.title for s in saved.steps][:2] == ["Deck drafted", "Figures pulled from Fieldbook"]
    view.ctx.undo_stack.undo()
    with store.read() as session:
        restored = find_playbook(session, "QBR preparation")
    assert restored.steps[0].title == "Health, adoption and support figures pulled"


def test_new_playbook_refuses_a_taken_name_beside_the_button(view, qtbot, store) -> None:
    editor = view.playbooks
    new = next(
        b for b in editor.findChildren(type(editor.save_button)) if b.text() == "New playbook"
    )
    qtbot.mouseClick(new, Qt.MouseButton.LeftButton)
    editor.name.selectAll()
    qtbot.keyClicks(editor.name, "Renewal")
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert editor.message.text() == "There is already a playbook called “Renewal”."
    with store.read() as session:
        assert len(list_playbooks(session)) == 7
    editor.name.selectAll()
    qtbot.keyClicks(editor.name, "Site visit")
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert editor.message.text() == ""
    with store.read() as session:
        site = find_playbook(session, "Site visit")
    assert [s.title for s in site.steps] == ["First step"]
    assert editor.list.currentItem().text() == "Site visit"
    view.ctx.undo_stack.undo()
    with store.read() as session:
        assert [p.name for p in list_playbooks(session)][-1] == "QBR preparation"


def test_renewal_preview_needs_a_contract(view, book: Book) -> None:
    editor = view.playbooks
    names = [editor.list.item(i).text() for i in range(editor.list.count())]
    editor.list.setCurrentRow(names.index("Renewal"))
    editor.preview_account.setCurrentIndex(editor.preview_account.findText("Initech"))
    assert "no running contract" in editor.preview_note.text()
    editor.preview_account.setCurrentIndex(editor.preview_account.findText("Globex"))
    # Globex renews 200 days after 4 May (20 Nov 2026): the review is 120 days before.
    assert editor.preview.topLevelItem(0).text(0) == "Thu, Jul 23, 2026"


def test_cadence_editor_round_trips(view, qtbot, store) -> None:
    editor = view.cadence
    view.tabs.setCurrentWidget(editor)
    rows = editor.specs()
    mid = next(i for i, s in enumerate(rows) if s.segment == Segment.MID_MARKET)
    spin = editor.table.cellWidget(mid, 3)
    assert isinstance(spin, QSpinBox) and spin.value() == 91
    spin.setValue(60)
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    with store.read() as session:
        saved = {(s.segment, s.kind): s.every_days for s in list_cadence(session)}
    assert saved[(Segment.MID_MARKET, ActivityKind.QBR)] == 60
    # A second mid-market QBR row is refused beside the button, nothing saved.
    editor.add_row(rows[mid])
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert "repeats the QBR for mid-market accounts" in editor.message.text()
    view.ctx.undo_stack.undo()
    with store.read() as session:
        saved = {(s.segment, s.kind): s.every_days for s in list_cadence(session)}
    assert saved[(Segment.MID_MARKET, ActivityKind.QBR)] == 91
    qtbot.waitUntil(lambda: editor.table.rowCount() == len(saved))


def test_steps_table_names_owners_and_anchors_in_words(view, qtbot) -> None:
    """The table says "Account owner" and "Renewal date", not account_owner or start; the
    keyboard picks a word and the step gets the role."""
    editor = view.playbooks
    names = [editor.list.item(i).text() for i in range(editor.list.count())]
    editor.list.setCurrentRow(names.index("Renewal"))
    model, table = editor.model, editor.table
    owners = {model.index(r, COL_OWNER).data() for r in range(model.rowCount())}
    assert owners <= {"Account owner", "Executive sponsor", "Support", "Sales"}
    assert "Executive sponsor" in owners
    anchors = {model.index(r, COL_ANCHOR).data() for r in range(model.rowCount())}
    assert anchors <= {"Start", "Renewal date", "Notice deadline"} and "Renewal date" in anchors
    # Each anchor capitalised like the kinds and owners beside it ("start" read as the stored
    # value), the stored value kept as the edit value.
    every = StepTableModel()
    every.set_rows(StepSpec("Step", anchor=anchor) for anchor in StepAnchor)
    cells = [every.index(r, COL_ANCHOR) for r in range(every.rowCount())]
    assert [cell.data() for cell in cells] == ["Start", "Renewal date", "Notice deadline"]
    assert [cell.data(Qt.ItemDataRole.EditRole) for cell in cells] == [a.value for a in StepAnchor]

    table.setFocus()
    table.setCurrentIndex(model.index(0, COL_OWNER))
    qtbot.keyClick(table, Qt.Key.Key_F2)
    combo = QApplication.focusWidget()
    assert isinstance(combo, QComboBox)
    assert [combo.itemText(i) for i in range(combo.count())] == [
        "Account owner",
        "Executive sponsor",
        "Support",
        "Sales",
    ]
    while combo.currentText() != "Sales":
        qtbot.keyClick(combo, Qt.Key.Key_Down)
    qtbot.keyClick(combo, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: table.state() != table.State.EditingState)
    assert model.row_at(0).owner_role == OwnerRole.SALES
    assert model.index(0, COL_OWNER).data() == "Sales"
