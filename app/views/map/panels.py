"""Side panels of the map: the people not on it and the analysis warnings (the person form is
``person_form``)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QMimeData, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QWidget

from app.services.map_analysis import MapWarning, Severity
from app.services.stakeholder_graph import MapPerson
from app.views.map.style import DEPARTED
from app.views.map.view import stakeholder_mime

ID_ROLE = Qt.ItemDataRole.UserRole + 1
SEVERITY_COLOURS = {
    Severity.CRITICAL: "#dc2626",
    Severity.WARNING: "#e69100",
    Severity.INFO: "#2563eb",
}


def dot_icon(colour: str, size: int = 12) -> QIcon:
    """A small round icon of one colour (severity markers)."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(colour))
    painter.drawEllipse(1, 1, size - 2, size - 2)
    painter.end()
    return QIcon(pixmap)


class OffMapList(QListWidget):
    """People of the account without a card; drag them onto the map (or double-click)."""

    add_requested = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setDragEnabled(True)
        self.setSelectionMode(QListWidget.SelectionMode.ExtendedSelection)
        self.setDragDropMode(QListWidget.DragDropMode.DragOnly)
        self.setSpacing(3)
        self.itemDoubleClicked.connect(lambda item: self.add_requested.emit([item.data(ID_ROLE)]))

    def show_people(self, people: list[MapPerson]) -> None:
        self.clear()
        for person in people:
            detail = " · ".join(x for x in (person.title, person.department) if x)
            item = QListWidgetItem(person.name + (f"\n{detail}" if detail else ""))
            item.setData(ID_ROLE, person.id)
            if person.departed:
                item.setForeground(QColor(DEPARTED))  # as their card
            self.addItem(item)

    def mimeTypes(self) -> list[str]:
        from app.views.map.view import STAKEHOLDER_MIME

        return [STAKEHOLDER_MIME]

    def mimeData(self, items: Any) -> QMimeData:
        return stakeholder_mime([item.data(ID_ROLE) for item in items])


class WarningsPanel(QListWidget):
    """The analysis findings; clicking one selects the cards it concerns."""

    people_chosen = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setSpacing(2)
        self.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.itemClicked.connect(self._chosen)

    def show_warnings(self, warnings: list[MapWarning], *, hidden: bool = False) -> None:
        self.clear()
        if hidden:
            item = QListWidgetItem("Warnings are hidden in the customer view.")
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            self.addItem(item)
            return
        if not warnings:
            item = QListWidgetItem("No warnings: the map looks well covered.")
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            self.addItem(item)
            return
        order = {Severity.CRITICAL: 0, Severity.WARNING: 1, Severity.INFO: 2}
        for warning in sorted(warnings, key=lambda w: order[w.severity]):
            item = QListWidgetItem(dot_icon(SEVERITY_COLOURS[warning.severity]), warning.message)
            item.setData(ID_ROLE, list(warning.stakeholder_ids))
            item.setToolTip(warning.message)
            self.addItem(item)

    def _chosen(self, item: QListWidgetItem) -> None:
        ids = item.data(ID_ROLE)
        if ids:
            self.people_chosen.emit(list(ids))
