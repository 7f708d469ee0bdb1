"""The main window at real screen sizes: it fits the screen, keeps every action reachable,
and long names or undo texts never widen it."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMenu, QToolBar, QToolButton
from pytestqt.qtbot import QtBot

from app.models.store import Store
from app.views import window_fit
from app.views.main_window import MainWindow
from app.views.map import StakeholderMapTab
from tests.views.conftest import TODAY, Book
from tests.views.map_window import SIZES

pytestmark = pytest.mark.qt_log_ignore("does not support raise", "grabbing the keyboard")
# Starts with "Globex" so the tree keeps it in place (a rename that re-sorts the tree loses
# the selection today: a separate bug, noted in the branch report).
LONG_NAME = ("Globex Robotics and Autonomous Logistics Holdings International " * 4)[:200]


@pytest.mark.parametrize(
    "screen", [QRect(0, 0, 1366, 728), QRect(0, 0, 1920, 1040), QRect(1920, 0, 1280, 984)]
)
def test_the_window_opens_inside_the_available_area(
    qtbot: QtBot, store: Store, monkeypatch: pytest.MonkeyPatch, screen: QRect
) -> None:
    rect = window_fit.opening_geometry(screen)
    assert screen.contains(rect) and rect.top() >= screen.top() + window_fit.TITLE_BAR
    monkeypatch.setattr(window_fit, "available_area", lambda _widget: screen)
    window = MainWindow(store, today=TODAY)
    qtbot.addWidget(window)
    assert window.geometry() == rect
    # A small laptop screen gets all of its height (never 1366x800 on a 768-pixel screen).
    if screen.height() < 800:
        assert window.height() == screen.height() - window_fit.TITLE_BAR


def test_a_restored_window_larger_than_the_screen_is_brought_inside(
    qtbot: QtBot, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = MainWindow(store, today=TODAY)
    qtbot.addWidget(first)
    first.setGeometry(0, 0, 1900, 1050)
    first.close()  # remembers the geometry
    screen = QRect(0, 0, 1366, 728)
    monkeypatch.setattr(window_fit, "available_area", lambda _widget: screen)
    again = MainWindow(store, today=TODAY)
    qtbot.addWidget(again)
    assert again.width() <= 1366 and again.height() <= 728


def _open(qtbot: QtBot, store: Store, size: tuple[int, int]) -> MainWindow:
    window = MainWindow(store, today=TODAY)
    qtbot.addWidget(window)
    window.resize(*size)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    return window


def _reachable(qtbot: QtBot, window: MainWindow, bar: QToolBar) -> set[str]:
    """Texts of the toolbar's actions a user can reach: shown whole inside the window, or
    listed by the toolbar's overflow (») menu."""
    win_rect = window.rect()
    found: set[str] = set()
    for action in bar.actions():
        widget = bar.widgetForAction(action)
        if action.isSeparator() or widget is None or not widget.isVisible():
            continue
        top_left = widget.mapTo(window, widget.rect().topLeft())
        if win_rect.contains(QRect(top_left, widget.size())) and bar.rect().contains(
            widget.geometry()
        ):
            found.add(action.text())
    extension = bar.findChild(QToolButton, "qt_toolbar_ext_button")
    if extension is not None and extension.isVisible():
        # A toolbar outside a main window overflows into a popup menu (opened modally:
        # read it from a timer), a main window's toolbar expands in place.
        listed: list[str] = []

        def read_menu() -> None:
            menu = QApplication.activePopupWidget()
            if isinstance(menu, QMenu):
                listed.extend(a.text() for a in menu.actions() if not a.isSeparator())
                menu.close()
            else:
                QTimer.singleShot(10, read_menu)

        QTimer.singleShot(0, read_menu)
        QTest.mouseClick(extension, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: bool(listed) or QApplication.activePopupWidget() is None)
        found |= set(listed)
    return found
    return found


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_every_toolbar_action_is_reachable(
    qtbot: QtBot, store: Store, book: Book, size: tuple[int, int]
) -> None:
    window = _open(qtbot, store, size)
    window.open_account(book.globex, "Stakeholders")
    tab = window.findChild(StakeholderMapTab)
    assert tab is not None
    qtbot.waitUntil(tab.isVisible)
    map_bar = tab.findChild(QToolBar)
    assert map_bar is not None
    wanted = {a.text() for a in map_bar.actions() if not a.isSeparator()}
    assert {"Customer view", "Export…", "Print…"} <= wanted
    assert _reachable(qtbot, window, map_bar) == wanted
    main_wanted = {a.text() for a in window.toolbar.actions() if not a.isSeparator()}
    assert _reachable(qtbot, window, window.toolbar) == main_wanted
    # Every account tab is listed in the corner menu, whatever fits in the tab row.
    corner = window.workspace.tab_menu_button
    assert corner.isVisible()
    titles = [a.text() for a in corner.menu().actions()]
    assert titles == window.workspace.tab_titles()
    corner.menu().actions()[-1].trigger()
    assert window.workspace.tabs.currentIndex() == len(titles) - 1
    window.workspace.show_tab("Stakeholders")
    # The tab itself is not wider than the space it has (no sideways scrolling).
    holder = tab.parentWidget()
    assert holder is not None and tab.width() <= holder.width()


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_a_200_character_name_does_not_widen_the_window(
    qtbot: QtBot, store: Store, book: Book, size: tuple[int, int]
) -> None:
    window = _open(qtbot, store, size)
    window.open_account(book.globex, "Overview")
    editor = window.workspace.tab("Overview").editors["name"].input  # type: ignore[attr-defined]
    editor.setFocus()
    editor.selectAll()
    qtbot.keyClicks(editor, LONG_NAME)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    QApplication.processEvents()
    assert window.workspace.name_label.text() == LONG_NAME
    assert window.width() == size[0]
    assert window.minimumSizeHint().width() <= size[0]
    label = window.workspace.name_label
    assert label.mapTo(window, label.rect().topRight()).x() <= window.width()
    assert label.toolTip() == LONG_NAME
    # The toolbar's Undo keeps its one word; the whole story is in its tooltip and menu.
    undo = window.actions_by_id["undo"]
    button = window.toolbar.widgetForAction(undo)
    assert button is not None and button.text() == "Undo"
    assert undo.toolTip() == "Undo rename Globex" == undo.text().replace("&", "")
    tree_width = window.dock.width()
    undo.trigger()
    QApplication.processEvents()
    assert window.width() == size[0] and window.dock.width() == tree_width
