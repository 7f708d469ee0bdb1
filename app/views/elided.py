"""A label that elides its text to the width it is given (full text in the tooltip)."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget


class ElidedLabel(QLabel):
    """Shows as much of its text as fits, ending in "…"; never widens its window.

    A plain QLabel asks for its whole text's width, so a 200-character account name
    pushed the window wider than the screen.
    """

    def __init__(self, text: str = "", parent: QWidget | None = None, *, min_chars: int = 6):
        super().__init__(parent)
        self._full = ""
        self._min_chars = min_chars
        #: A fixed tooltip (else the full text when it is elided).
        self.tip: str | None = None
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.set_full_text(text)

    def full_text(self) -> str:
        return self._full

    def set_full_text(self, text: str) -> None:
        """Show ``text`` (elided when it does not fit); the tooltip holds all of it."""
        self._full = text
        self._elide()

    def setText(self, text: str) -> None:
        self.set_full_text(text)

    def text(self) -> str:
        """The whole text (what is painted may be elided: see ``shown_text``)."""
        return self._full

    def shown_text(self) -> str:
        return super().text()

    def _elide(self) -> None:
        metrics = self.fontMetrics()
        room = max(1, self.contentsRect().width())
        shown = metrics.elidedText(self._full, Qt.TextElideMode.ElideRight, room)
        super().setText(shown)
        if self.tip is not None:
            self.setToolTip(self.tip)
        else:
            self.setToolTip(self._full if shown != self._full else "")

    def _chrome(self) -> int:
        """Width the style adds around the text (padding, borders of a pill)."""
        margins = self.contentsMargins()
        return margins.left() + margins.right() + 2 * self.margin() + 4

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        metrics = self.fontMetrics()
        full = metrics.horizontalAdvance(self._full) + self._chrome()
        return QSize(min(full, 60 * metrics.averageCharWidth()), hint.height())

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        width = self.fontMetrics().averageCharWidth() * self._min_chars + self._chrome()
        return QSize(width, hint.height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._elide()
