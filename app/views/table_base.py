"""Flat table models over a list of rows with fixed column headers, and their header text."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

_Index = QModelIndex | QPersistentModelIndex


def header_text(
    headers: Sequence[str], section: int, orientation: Qt.Orientation, role: int
) -> str | None:
    """The text of horizontal header ``section`` from ``headers``; None for anything else."""
    if (
        orientation == Qt.Orientation.Horizontal
        and role == Qt.ItemDataRole.DisplayRole
        and 0 <= section < len(headers)
    ):
        return headers[section]
    return None


class HeaderedTableModel(QAbstractTableModel):
    """Row count from ``rows()``, columns and horizontal headers from ``HEADERS``."""

    HEADERS: ClassVar[tuple[str, ...]] = ()

    def rows(self) -> Sequence[Any]:
        """The rows shown; subclasses return their list."""
        raise NotImplementedError

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows())

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        return header_text(self.HEADERS, section, orientation, role)
