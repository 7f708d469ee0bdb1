"""Where the main window opens: inside the available area of the screen it opens on."""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

#: The size the window prefers on a large screen.
PREFERRED = QSize(1600, 1000)
#: Room kept for the window manager's title bar above the client area.
TITLE_BAR = 32


def available_area(widget: QWidget) -> QRect:
    """The screen area free of task bars and docks, on the widget's screen."""
    screen = widget.screen() or QGuiApplication.primaryScreen()
    return screen.availableGeometry()


def opening_geometry(area: QRect) -> QRect:
    """The client rectangle for a window opening on ``area``: inside it, below a title bar.

    On a small screen (a 1366x768 laptop) that is the whole available area.
    """
    width = min(PREFERRED.width(), area.width())
    height = min(PREFERRED.height(), area.height() - TITLE_BAR)
    rect = QRect(0, 0, width, height)
    rect.moveCenter(area.center())
    rect.moveTop(max(area.top() + TITLE_BAR, rect.top()))
    return rect


def fit_into(window: QWidget, area: QRect) -> None:
    """Shrink and move a restored window so all of it is on ``area`` (screens change)."""
    frame = window.frameGeometry()
    extra_w = frame.width() - window.width()
    extra_h = frame.height() - window.height()
    width = min(window.width(), area.width() - extra_w)
    height = min(window.height(), area.height() - extra_h)
    if (width, height) != (window.width(), window.height()):
        window.resize(width, height)
    frame = window.frameGeometry()
    x = min(max(frame.left(), area.left()), area.right() - frame.width() + 1)
    y = min(max(frame.top(), area.top()), area.bottom() - frame.height() + 1)
    if (x, y) != (frame.left(), frame.top()):
        window.move(x, y)
