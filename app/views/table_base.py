"""Flat tables: the model over a list of rows, its header text, the read-only list look and
columns sized to their contents."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, ClassVar, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
)

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


def fit_columns(header: QHeaderView, stretch: int) -> None:
    """Column ``stretch`` of a table's or tree's ``header`` takes the room left; the others
    fit their contents."""
    header.setStretchLastSection(False)
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)


#: The least width a name column gives up to (its cells elide; the tooltip has the name).
NAME_LEAST = 120
#: Names narrower than this read poorly: optional columns hide first to keep them this wide.
NAME_COMFORT = 200


class _MiddleElided(QStyledItemDelegate):
    def initStyleOption(self, option: QStyleOptionViewItem, index: _Index) -> None:
        super().initStyleOption(option, index)
        option.textElideMode = Qt.TextElideMode.ElideMiddle


class ColumnFit(QObject):
    """Keeps a table's columns as wide as their widest text, each whole, within the table's
    width: the ``names`` columns give up width (their cells elide, the full name in the
    cell's tooltip), down to ``NAME_LEAST``; the ``optional`` columns hide, in order, where
    the names would otherwise be narrower than ``NAME_COMFORT`` (what an optional column
    shows must be in a tooltip or beside the table too). The last column takes any spare
    width.
    The ``middle`` columns elide in the middle: a family's account names share their start
    ("Forestdyn Engineering …") and differ at their end.

    On a 1366-pixel laptop the Renewals tab's last four columns lay past the table's edge
    and Needs action showed its Owner as "Ow".
    """

    def __init__(
        self,
        table: QTableView,
        names: Sequence[int],
        optional: Sequence[int] = (),
        middle: Sequence[int] = (),
    ) -> None:
        super().__init__(table)
        self.table, self.names, self.optional = table, tuple(names), tuple(optional)
        self._fitting = False
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        table.setWordWrap(False)
        table.setTextElideMode(Qt.TextElideMode.ElideRight)
        for column in middle:
            table.setItemDelegateForColumn(column, _MiddleElided(table))
        table.viewport().installEventFilter(self)
        model = table.model()
        for signal in (model.modelReset, model.layoutChanged, model.dataChanged):
            signal.connect(self.fit)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            self.fit()
        return False

    def fit(self) -> None:
        """Size the columns again for the rows shown and the table's width now."""
        if self._fitting:
            return
        self._fitting = True
        try:
            self._fit()
        finally:
            self._fitting = False

    def _fit(self) -> None:
        table, header = self.table, self.table.horizontalHeader()
        room = table.viewport().width()
        wanted = {
            c: max(table.sizeHintForColumn(c), header.sectionSizeHint(c))
            for c in range(header.count())
            if c in self.optional or not table.isColumnHidden(c)
        }

        def name_width(shown: list[int]) -> tuple[int, bool]:
            """The width the longest names give up to, and whether all then fit."""
            names = [wanted[c] for c in shown if c in self.names]
            budget = room - sum(wanted[c] for c in shown if c not in self.names)
            level = max(names, default=0)
            while level > NAME_LEAST and sum(min(w, level) for w in names) > budget:
                level -= 1
            return level, sum(min(w, level) for w in names) <= budget

        shown = list(wanted)
        comfortable = min(
            NAME_COMFORT, max((wanted[c] for c in self.names if c in wanted), default=0)
        )
        for column in self.optional:
            level, fits = name_width(shown)
            hide = not fits or level < comfortable
            table.setColumnHidden(column, hide)
            if hide:
                shown.remove(column)
        level, _ = name_width(shown)
        for column in shown:
            width = min(wanted[column], level) if column in self.names else wanted[column]
            table.setColumnWidth(column, width)


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
