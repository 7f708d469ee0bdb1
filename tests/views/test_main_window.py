"""The main window driven as a user would: filter, drag to re-parent, edit, undo, delete."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, Qt
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QApplication
from sqlalchemy import func, select

from app.models import Account, Contract, Stakeholder
from app.views import dialogs
from app.views.tree.columns import COL_NAME, MIME_TYPE

from .conftest import Book


def parent_of(store, account_id: str) -> str | None:
    with store.read() as session:
        return session.get(Account, account_id).parent_id


def name_of(store, account_id: str) -> str:
    with store.read() as session:
        return session.get(Account, account_id).name


def visible_names(window) -> list[str]:
    model = window.tree.model
    return [model.rows[i].name for i in model.visible_ids()]


def test_typing_in_the_filter_shows_matches_with_their_ancestors(window, qtbot):
    qtbot.keyClicks(window.tree.filter_edit, "berlin")
    assert visible_names(window) == ["Acme", "Acme Germany", "Acme Berlin"]
    assert "1 of 6 accounts match" in window.tree.count_label.text()
    window.tree.filter_edit.clear()
    assert visible_names(window) == ["Acme", "Globex", "Initech"]


def test_quick_filter_buttons(window, qtbot, book: Book):
    qtbot.mouseClick(window.tree.quick_buttons["at_risk"], Qt.MouseButton.LeftButton)
    assert visible_names(window) == ["Initech"]
    qtbot.mouseClick(window.tree.quick_buttons["at_risk"], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(window.tree.quick_buttons["no_champion"], Qt.MouseButton.LeftButton)
    assert "Acme" in visible_names(window)  # ancestors of matches stay
    model = window.tree.model
    assert model.is_match(book.germany) and not model.is_match(book.acme)


def _drop(window, source_id: str, target_id: str) -> None:
    """Drag ``source`` and drop it on ``target`` through the view's real drop handling."""
    view = window.tree.view
    model = window.tree.model
    target = model.index(model.row_of(target_id), COL_NAME)
    mime = model.mimeData([model.index(model.row_of(source_id), COL_NAME)])
    assert isinstance(mime, QMimeData) and mime.hasFormat(MIME_TYPE)
    pos = view.visualRect(target).center()
    actions = Qt.DropAction.MoveAction
    buttons, mods = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    viewport = view.viewport()
    enter = QDragEnterEvent(pos, actions, mime, buttons, mods)
    QApplication.sendEvent(viewport, enter)
    move = QDragMoveEvent(pos, actions, mime, buttons, mods)
    QApplication.sendEvent(viewport, move)
    drop = QDropEvent(pos.toPointF(), actions, mime, buttons, mods)
    QApplication.sendEvent(viewport, drop)


def test_drag_an_account_onto_another_reparents_it(window, qtbot, store, book: Book):
    _drop(window, book.initech, book.globex)
    qtbot.waitUntil(lambda: parent_of(store, book.initech) == book.globex)
    assert window.tree.model.rows[book.initech].parent_id == book.globex
    assert window.actions_by_id["undo"].text() == "&Undo move Initech to Globex"
    window.actions_by_id["undo"].trigger()
    assert parent_of(store, book.initech) is None
    assert window.tree.model.rows[book.initech].parent_id is None


def test_a_drop_that_makes_a_cycle_is_refused(window, qtbot, store, book: Book, monkeypatch):
    told: list[str] = []
    monkeypatch.setattr(dialogs, "tell", lambda _p, _t, text: told.append(text))
    window.tree.model.set_expanded(book.acme, True)
    window.tree.model.set_expanded(book.germany, True)
    _drop(window, book.acme, book.berlin)
    qtbot.waitUntil(lambda: bool(told))
    assert told == ["Acme cannot sit under one of its own sub-accounts."]
    assert parent_of(store, book.acme) is None
    assert window.ctx.undo_stack.count() == 0


def test_edit_a_field_then_undo_and_redo(window, qtbot, store, book: Book):
    assert window.tree.select(book.globex)
    window.workspace.show_tab("Overview")
    editor = window.workspace.tab("Overview").editors["name"].input
    editor.setFocus()
    editor.selectAll()
    qtbot.keyClicks(editor, "Globex Corp")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert name_of(store, book.globex) == "Globex Corp"
    assert window.tree.model.rows[book.globex].name == "Globex Corp"
    undo = window.actions_by_id["undo"]
    assert undo.text() == "&Undo rename Globex"
    undo.trigger()
    assert name_of(store, book.globex) == "Globex"
    assert editor.text() == "Globex"
    window.actions_by_id["redo"].trigger()
    assert name_of(store, book.globex) == "Globex Corp"
    assert window.workspace.name_label.text() == "Globex Corp"


def test_invalid_amount_is_explained_and_not_saved(window, qtbot, store, book: Book):
    window.tree.select(book.globex)
    tab = window.workspace.tab("Overview")
    field = tab.editors["arr_minor"]
    field.input.setFocus()
    field.input.selectAll()
    qtbot.keyClicks(field.input, "12,34x")
    qtbot.keyClick(field.input, Qt.Key.Key_Return)
    assert field.error.isVisible()
    assert "1,234.50" in field.error.text()
    with store.read() as session:
        assert session.get(Account, book.globex).arr_minor == 70_000_00
    field.input.selectAll()
    qtbot.keyClicks(field.input, "81,234.50")
    qtbot.keyClick(field.input, Qt.Key.Key_Return)
    assert not field.error.isVisible()
    with store.read() as session:
        assert session.get(Account, book.globex).arr_minor == 81_234_50


def test_undo_survives_switching_accounts(window, store, book: Book):
    window.tree.select(book.globex)
    window.tree.rename(book.globex, "Globex AG")
    window.tree.select(book.initech)
    window.tree.rename(book.initech, "Initrode")
    window.tree.select(book.acme)
    window.ctx.undo_stack.undo()
    window.ctx.undo_stack.undo()
    assert name_of(store, book.globex) == "Globex"
    assert name_of(store, book.initech) == "Initech"


def count(store, model, account_ids: list[str]) -> int:
    with store.read() as session:
        query = select(func.count()).select_from(model).where(model.account_id.in_(account_ids))
        return int(session.execute(query).scalar_one())


def test_delete_asks_naming_what_goes_and_undo_restores_everything(
    window, store, book: Book, monkeypatch
):
    asked: list[str] = []
    monkeypatch.setattr(dialogs, "ask", lambda _p, _t, text, _c="OK": asked.append(text) or True)
    subtree = [book.acme, book.germany, book.berlin, book.france]
    window.tree.select(book.acme)
    window.actions_by_id["delete_account"].trigger()
    assert asked == [
        "Delete Acme with 3 sub-accounts, 2 stakeholders, 1 contract, 1 touchpoint and 1 risk?"
    ]
    with store.read() as session:
        assert session.get(Account, book.berlin) is None
    assert count(store, Stakeholder, subtree) == 0
    assert book.acme not in window.tree.model.rows
    assert window.workspace.account_id != book.acme
    window.actions_by_id["undo"].trigger()
    with store.read() as session:
        assert session.get(Account, book.berlin).parent_id == book.germany
    assert count(store, Stakeholder, subtree) == 2
    assert count(store, Contract, subtree) == 1
    assert window.tree.model.rows[book.berlin].parent_id == book.germany
    assert visible_names(window)[0] == "Acme"


def test_delete_cancelled_keeps_the_account(window, qtbot, store, book: Book, monkeypatch):
    asked: list[str] = []
    monkeypatch.setattr(dialogs, "ask", lambda _p, _t, text, _c="OK": asked.append(text) and False)
    window.tree.select(book.initech)
    window.tree.view.setFocus()
    qtbot.keyClick(window.tree.view, Qt.Key.Key_Delete)
    assert asked == ["Delete Initech?"]
    with store.read() as session:
        assert session.get(Account, book.initech) is not None
    assert window.ctx.undo_stack.count() == 0


def test_new_child_account_from_the_context_actions(window, store, book: Book, monkeypatch):
    monkeypatch.setattr(dialogs, "ask_text", lambda *_a, **_k: "Acme Spain")
    window.tree.select(book.acme)
    window.actions_by_id["new_child"].trigger()
    with store.read() as session:
        spain = session.execute(select(Account).where(Account.name == "Acme Spain")).scalar_one()
        assert spain.parent_id == book.acme
        assert spain.currency == "USD"
        spain_id = spain.id
    assert window.tree.current_id() == spain_id
    window.ctx.undo_stack.undo()
    assert spain_id not in window.tree.model.rows


def test_keyboard_folds_and_unfolds_the_tree(window, qtbot, book: Book):
    view = window.tree.view
    window.tree.select(book.acme)
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Right)
    assert window.tree.model.is_expanded(book.acme)
    qtbot.keyClick(view, Qt.Key.Key_Right)
    assert window.tree.current_id() == book.france
    qtbot.keyClick(view, Qt.Key.Key_Left)
    assert window.tree.current_id() == book.acme
    qtbot.keyClick(view, Qt.Key.Key_Left)
    assert not window.tree.model.is_expanded(book.acme)


def test_settings_restored_by_a_second_window(qtbot, store, book: Book, _settings_folder: Path):
    from app.views.main_window import MainWindow

    from .conftest import TODAY

    first = MainWindow(store, today=TODAY)
    qtbot.addWidget(first)
    first.resize(780, 560)  # within the offscreen screen, so restoring does not clamp it
    first.show()
    first.tree.model.set_expanded(book.acme, True)
    first.tree.select(book.globex)
    first.workspace.show_tab("Risks & escalations")
    first.close()
    assert (_settings_folder / "fieldbook.ini").is_file()

    second = MainWindow(store, today=TODAY)
    qtbot.addWidget(second)
    second.show()
    assert second.size() == first.size()
    assert second.tree.model.is_expanded(book.acme)
    assert second.tree.current_id() == book.globex
    assert second.workspace.account_id == book.globex
    assert second.workspace.tabs.tabText(second.workspace.tabs.currentIndex()) == (
        "Risks && escalations"
    )
    second.close()


def test_settings_never_touch_the_real_config_folder(window, _settings_folder: Path):
    assert Path(window.settings.path).parent == _settings_folder
    assert str(Path.home() / ".config") not in str(window.settings.path)


def test_open_account_event_clears_a_hiding_filter(window, qtbot, book: Book):
    qtbot.keyClicks(window.tree.filter_edit, "globex")
    window.ctx.events.open_account.emit(book.initech, "Risks & escalations")
    assert window.tree.current_id() == book.initech
    assert window.tree.filter_edit.text() == ""
    assert window.workspace.current_tab().title == "Risks & escalations"


def test_account_tabs_come_from_the_registry(window):
    from app.views.account.tabs import ACCOUNT_TABS
    from app.views.home import HOME_VIEWS
    from app.views.lazy import LazyView

    assert window.workspace.tab_titles() == [cls.title for cls in ACCOUNT_TABS]
    assert [window.home.tabText(i) for i in range(window.home.count())] == [
        cls.title for cls in HOME_VIEWS
    ]
    # Every lazily named view exists, keeps its title and follows the tab protocol.
    for entry in [*ACCOUNT_TABS, *HOME_VIEWS]:
        cls = entry.resolve() if isinstance(entry, LazyView) else entry
        assert cls.title == entry.title
    for entry in ACCOUNT_TABS:
        cls = entry.resolve() if isinstance(entry, LazyView) else entry
        assert callable(getattr(cls, "set_account", None))


def test_point_helper_is_inside_the_view(window):
    assert window.tree.view.viewport().rect().contains(QPoint(5, 5))


@pytest.mark.parametrize("size", [(1366, 768), (1920, 1080)])
def test_the_collector_comes_back_after_the_trees_first_paint(qtbot, store, book: Book, size):
    """``fieldbook gui`` starts with the garbage collector off; the tree's paint turns it on."""
    import gc

    from app.views.app import collect_after_first_paint
    from app.views.main_window import MainWindow

    from .conftest import TODAY

    gc.disable()
    win = None
    try:
        win = MainWindow(store, today=TODAY)
        qtbot.addWidget(win)
        win.resize(*size)
        collect_after_first_paint(win.tree.view.viewport())
        QApplication.processEvents()
        assert not gc.isenabled()  # built, not yet shown: still off
        win.show()
        qtbot.waitUntil(gc.isenabled)
        assert win.tree.model.rowCount() == 3  # the top-level accounts, painted
        # Start-up's objects, the window among them, are out of the collector's rounds.
        assert gc.get_freeze_count() > 0
        assert not any(found is win for found in gc.get_objects())
    finally:
        gc.unfreeze()
        gc.enable()
        if win is not None:
            win.close()


def test_the_collector_comes_back_when_the_tree_is_not_painted(qtbot, store, book: Book):
    """A window whose Accounts dock stays closed still gets its collector back."""
    import gc

    from app.views.app import collect_after_first_paint
    from app.views.main_window import MainWindow

    from .conftest import TODAY

    gc.disable()
    try:
        win = MainWindow(store, today=TODAY)
        qtbot.addWidget(win)
        win.resize(1366, 768)
        win.dock.hide()
        collect_after_first_paint(win.tree.view.viewport(), fallback_ms=200)
        win.show()
        qtbot.waitUntil(gc.isenabled, timeout=5000)
        assert not win.tree.view.viewport().isVisible()
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
        gc.enable()
        win.close()
