"""A read-only table model over a list of plain snapshots, with its columns declared once."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from app.services.money import format_money
from app.services.renewal_rows import ContractRow
from app.views.table_base import header_text

Row = TypeVar("Row")
Index = QModelIndex | QPersistentModelIndex

#: The snapshot behind a row.
RowRole = Qt.ItemDataRole.UserRole + 1
#: A value to sort by (dates, money as numbers) when the text would sort wrongly.
SortRole = Qt.ItemDataRole.UserRole + 2


@dataclass(frozen=True)
class Column(Generic[Row]):
    """One column: header, text, and optionally a sort key, a colour and alignment."""

    header: str
    text: Callable[[Row], str]
    sort_key: Callable[[Row], Any] | None = None
    colour: Callable[[Row], str | None] | None = None
    tooltip: Callable[[Row], str] | None = None
    right: bool = False


def arr_column(contract: Callable[[Row], ContractRow]) -> Column[Row]:
    """The ARR of a row's contract in its own currency, sorted by amount, right-aligned."""
    return Column(
        "ARR",
        lambda row: format_money(contract(row).value_minor, contract(row).currency),
        sort_key=lambda row: contract(row).value_minor,
        right=True,
    )


class SnapshotTableModel(QAbstractTableModel, Generic[Row]):
    """Rows are frozen snapshots; ``set_rows`` replaces them (a view reloads as a whole)."""

    def __init__(self, columns: Sequence[Column[Row]], parent: Any = None) -> None:
        super().__init__(parent)
        self._columns = list(columns)
        self._rows: list[Row] = []

    def set_rows(self, rows: Sequence[Row]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> Row:
        return self._rows[row]

    def rows(self) -> list[Row]:
        return list(self._rows)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        row = self._rows[index.row()]
        column = self._columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.text(row)
        if role == RowRole:
            return row
        if role == SortRole:
            return column.sort_key(row) if column.sort_key else column.text(row)
        if role == Qt.ItemDataRole.ForegroundRole and column.colour is not None:
            colour = column.colour(row)
            return QBrush(QColor(colour)) if colour else None
        if role == Qt.ItemDataRole.ToolTipRole and column.tooltip is not None:
            return column.tooltip(row)
        if role == Qt.ItemDataRole.TextAlignmentRole and column.right:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        headers = [column.header for column in self._columns]
        return header_text(headers, section, orientation, role)
