"""Flat tables: the model over a list of rows, its header text, and the read-only list look."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, ClassVar, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QAbstractItemView, QTableView

_Index = QModelIndex | QPersistentModelIndex
Row = TypeVar("Row")


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


def read_only_list(table: QTableView) -> None:
    """Make ``table`` a read-only list: a click selects one whole row; no row numbers."""
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().setVisible(False)


class RowTableModel(QAbstractTableModel, Generic[Row]):
    """A table over a list of plain rows, one per line, under the headers ``headers()`` gives.

    ``set_rows`` replaces the rows (views reset); a subclass says what a cell shows in
    ``cell`` and, when some cells can be edited or ticked, their extra flags in ``cell_flags``.
    """

    HEADERS: ClassVar[tuple[str, ...]] = ()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[Row] = []

    def set_rows(self, rows: Iterable[Row]) -> None:
        """Show these rows instead of the ones shown."""
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> Sequence[Row]:
        """The rows shown, in order."""
        return self._rows

    def row_at(self, row: int) -> Row:
        """The row shown on line ``row``."""
        return self._rows[row]

    def headers(self) -> Sequence[str]:
        """The column headers: ``HEADERS`` unless a subclass declares its columns otherwise."""
        return self.HEADERS

    def cell(self, row: Row, column: int, role: int) -> Any:
        """What ``column`` of ``row`` shows in ``role``; None for nothing."""
        raise NotImplementedError

    def cell_flags(self, row: Row, column: int) -> Qt.ItemFlag:
        """Flags a cell has beyond enabled and selectable (editable, checkable): none here."""
        return Qt.ItemFlag.NoItemFlags

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers())

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        return header_text(self.headers(), section, orientation, role)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        return self.cell(self._rows[index.row()], index.column(), role)

    def flags(self, index: _Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.isValid() and 0 <= index.row() < len(self._rows):
            flags |= self.cell_flags(self._rows[index.row()], index.column())
        return flags
