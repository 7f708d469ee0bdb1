"""An amount's box with its currency code inside it, after the figure: "271,400.00 USD"."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QLabel, QLineEdit, QStyle, QStyleOptionFrame, QWidget

#: Pixels between the figure and the code.
GAP = 4


class AmountEdit(QLineEdit):
    """A line edit for an amount whose currency code reads inside the box, right of the
    figure: the box is as wide as the fields beside it (the code beside the box made a
    "Company revenue (annual)" box shorter than its neighbours')."""

    def __init__(self, code: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.unit = QLabel(code, self)
        # Clicks on the code reach the box (its cursor, its focus), as if the code were text.
        self.unit.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.unit.setAlignment(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft)
        self.place_unit()

    def set_code(self, code: str) -> None:
        """Show ``code`` after the figure."""
        self.unit.setText(code)
        self.place_unit()

    def place_unit(self) -> None:
        """The code at the right of the text area, the figure's text ending a gap before it."""
        width = self.unit.fontMetrics().horizontalAdvance(self.unit.text())
        option = QStyleOptionFrame()
        self.initStyleOption(option)
        self.setTextMargins(0, 0, 0, 0)
        area = self.style().subElementRect(QStyle.SubElement.SE_LineEditContents, option, self)
        self.unit.setGeometry(area.right() - width - 1, area.top(), width + 2, area.height())
        self.setTextMargins(0, 0, width + GAP, 0)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.place_unit()
