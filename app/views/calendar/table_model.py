"""A read-only table model over a list of plain snapshots, with its columns declared once."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor

from app.services.money import format_money
from app.services.renewal_rows import ContractRow
from app.views.table_base import Row, RowTableModel

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


class SnapshotTableModel(RowTableModel[Row]):
    """Rows are frozen snapshots; ``set_rows`` replaces them (a view reloads as a whole)."""

    def __init__(self, columns: Sequence[Column[Row]], parent: Any = None) -> None:
        super().__init__(parent)
        self._columns = list(columns)
        self._headers = [column.header for column in self._columns]

    def headers(self) -> Sequence[str]:
        return self._headers

    def cell(self, row: Row, col: int, role: int) -> Any:
        column = self._columns[col]
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
