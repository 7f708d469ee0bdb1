"""No key is bound twice wherever the focus can be in the real main window.

Qt does nothing for a key two enabled shortcuts share in the focused place ("Ambiguous
shortcut overload"): F2 and Ctrl+Shift+N once did nothing on the map for that reason.
"""

from __future__ import annotations

from collections import Counter

import pytest
from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMenu, QWidget

from app.models.enums import BuyingRole
from app.models.store import Store
from app.services import map_edits
from app.views.actions import MAP_ACTIONS, REGISTRY, SCOPES
from tests.map_helpers import in_unit

from .conftest import Book

Context = Qt.ShortcutContext


def _menu_in_window(menu: QMenu, window: QWidget) -> bool:
    """Whether a menu hangs (directly or through parent menus) off the window's menus."""
    for owner in menu.menuAction().associatedObjects():
        if isinstance(owner, QMenu):
            if _menu_in_window(owner, window):
                return True
        elif isinstance(owner, QWidget) and owner.window() is window:
            return True
    return False


def _active(context: Context, owners: list[QObject], focus: QWidget, window: QWidget) -> bool:
    """Qt's rule for whether a shortcut of ``context`` on ``owners`` reacts at ``focus``."""
    if context == Context.ApplicationShortcut:
        return True
    for owner in owners:
        if not isinstance(owner, QWidget):
            continue
        if isinstance(owner, QMenu):
            if context == Context.WindowShortcut and _menu_in_window(owner, window):
                return True
            continue
        if context == Context.WindowShortcut and owner.window() is window:
            return True
        if context == Context.WidgetWithChildrenShortcut and (
            owner is focus or owner.isAncestorOf(focus)
        ):
            return True
        if context == Context.WidgetShortcut and owner is focus:
            return True
    return False


def keys_at(window: QWidget, focus: QWidget) -> Counter[str]:
    """How many shortcuts (actions and QShortcuts, enabled or not) react to each key there."""
    found: Counter[str] = Counter()
    for action in window.findChildren(QAction):
        owners = list(action.associatedObjects())
        for key in {k.toString() for k in action.shortcuts() if not k.isEmpty()}:
            if _active(action.shortcutContext(), owners, focus, window):
                found[key] += 1
    for shortcut in window.findChildren(QShortcut):
        key = shortcut.key().toString()
        parent = shortcut.parent()
        if (
            key
            and isinstance(parent, QWidget)
            and _active(shortcut.context(), [parent], focus, window)
        ):
            found[key] += 1
    return found


def _places(window: object) -> dict[str, QWidget]:
    """A widget to stand for each place the focus can be."""
    win = window  # type: ignore[assignment]
    overview = win.workspace.tab("Overview")  # type: ignore[attr-defined]
    contracts = win.workspace.tab("Renewals")  # type: ignore[attr-defined]
    stakeholders = win.workspace.tab("Stakeholders")  # type: ignore[attr-defined]
    return {
        "tree": win.tree.view,  # type: ignore[attr-defined]
        "filter": win.tree.filter_edit,  # type: ignore[attr-defined]
        "overview": overview,
        "contracts table": contracts.table,
        "map": stakeholders.view.viewport(),
        "map panel": stakeholders.edit_panel,
        "today": win._home_view(0),  # type: ignore[attr-defined]
        "calendar": win._home_view(1),  # type: ignore[attr-defined]
    }


def test_no_key_is_ambiguous_anywhere_in_the_main_window(window: object, book: Book) -> None:
    window.open_account(book.acme, "Stakeholders")  # type: ignore[attr-defined]
    places = _places(window)
    clashes = {
        name: sorted(key for key, count in keys_at(window, widget).items() if count > 1)  # type: ignore[arg-type]
        for name, widget in places.items()
    }
    assert {name: keys for name, keys in clashes.items() if keys} == {}
    # The check sees the window's keys at all (it would pass vacuously otherwise).
    assert keys_at(window, places["tree"])["F2"] == 1  # type: ignore[arg-type]
    assert keys_at(window, places["map"])["F2"] == 1  # type: ignore[arg-type]
    assert keys_at(window, places["map"])["Ctrl+Shift+N"] == 1  # type: ignore[arg-type]


def test_every_action_has_a_known_scope() -> None:
    assert {spec.scope for spec in REGISTRY} <= set(SCOPES)
    assert {spec.scope for spec in MAP_ACTIONS} == {"map"}
    assert len({spec.id for spec in REGISTRY}) == len(REGISTRY)


def test_f2_on_the_map_renames_the_person_and_in_the_tree_the_account(
    qtbot: object, window: object, store: Store, book: Book, monkeypatch: pytest.MonkeyPatch
) -> None:
    person = in_unit(
        store,
        map_edits.create_stakeholder,
        book.acme,
        "Dana Sponsor",
        position=(0, 0),
        role=BuyingRole.CHAMPION,
    )
    window.open_account(book.acme, "Stakeholders")  # type: ignore[attr-defined]
    tab = window.workspace.tab("Stakeholders")  # type: ignore[attr-defined]
    tab.scene.cards[person].setSelected(True)
    tab.view.viewport().setFocus()
    QTest.keyClick(tab.view.viewport(), Qt.Key.Key_F2)
    assert tab._editor is not None and tab._editor.text() == "Dana Sponsor"
    QTest.keyClick(tab._editor, Qt.Key.Key_Escape)

    renamed: list[str] = []
    monkeypatch.setattr(window.tree, "rename", renamed.append)  # type: ignore[attr-defined]
    window.tree.view.setFocus()  # type: ignore[attr-defined]
    QTest.keyClick(window.tree.view, Qt.Key.Key_F2)  # type: ignore[attr-defined]
    assert renamed == [book.acme]


def test_the_menus_still_show_the_tree_keys(window: object) -> None:
    action = window.actions_by_id["rename_account"]  # type: ignore[attr-defined]
    assert action.shortcut() == QKeySequence("F2")
    assert any(isinstance(owner, QMenu) for owner in action.associatedObjects())
