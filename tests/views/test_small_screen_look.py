"""Small defects a CSM sees on a 1366x768 laptop: nothing widens the window past the screen,
nothing is clipped without an ellipsis, no raw values."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication, QWidget
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
