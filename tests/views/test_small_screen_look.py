"""Small defects a CSM sees on a 1366x768 laptop: nothing widens the window past the screen,
nothing is clipped without an ellipsis, no raw values."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication, QLabel, QWidget
from pytestqt.qtbot import QtBot

from app.models.store import Store
from tests.views.conftest import Book, main_window_as


def _home_tab(window: QWidget, title: str) -> QWidget:
    home = window.home  # type: ignore[attr-defined]
    for index in range(home.count()):
        if home.tabText(index) == title:
            home.setCurrentIndex(index)
            QApplication.processEvents()
            return home.currentWidget()
    raise AssertionError(f"no home tab {title!r}")


def test_the_calendar_tab_keeps_the_window_on_a_1366_screen(
    qtbot: QtBot, store: Store, book: Book
) -> None:
    window = main_window_as(qtbot, store)
    _home_tab(window, "Calendar")
    # The legend (1,140 pixels on one line) and the week's summary used to push the window
    # to 1,569 pixels, its right edge off the screen.
    assert window.minimumSizeHint().width() <= 1366  # type: ignore[attr-defined]
    assert window.width() == 1366  # type: ignore[attr-defined]


def _painted(label: QLabel) -> str:
    """The text a label paints (an ElidedLabel's elided text, else all of it)."""
    shown = getattr(label, "shown_text", None)
    return shown() if shown is not None else label.text()


def test_the_map_hint_is_elided_with_the_whole_hint_in_its_tooltip(
    qtbot: QtBot, store: Store, book: Book
) -> None:
    from app.views.map import StakeholderMapTab
    from app.views.map.tab import HINT

    window = main_window_as(qtbot, store)
    window.open_account(book.acme, "Stakeholders")  # type: ignore[attr-defined]
    tab = window.findChild(StakeholderMapTab)  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: tab.isVisible() and tab.hint.width() > 100)
    hint = tab.hint
    painted = _painted(hint)
    # It was cut mid-word at the window's edge ("… F2 rer"), with no ellipsis.
    assert hint.fontMetrics().horizontalAdvance(painted) <= hint.contentsRect().width()
    assert painted.endswith("…") and HINT.startswith(painted[:-1])
    assert hint.toolTip() == HINT
