"""The Today list: its Qt model (sections and their lines) and the tree that wraps long lines."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QTreeView, QWidget

from app.services.today import SECTIONS, AgendaItem
from app.views import theme
from app.views.table_base import header_text

Index = QModelIndex | QPersistentModelIndex

COLUMNS = ("What", "Account", "Details")
#: internalId of section rows; line rows carry their section row + 1.
_NO_PARENT = 0


class AgendaModel(QAbstractItemModel):
    """Sections (tasks, renewals, ...) with their lines below; task lines can be ticked."""

    #: (AgendaItem, checked)
    task_toggled = Signal(object, bool)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.sections: list[tuple[str, str, list[AgendaItem]]] = []

    def set_items(self, items: list[AgendaItem]) -> None:
        grouped: dict[str, list[AgendaItem]] = {key: [] for key, _ in SECTIONS}
        for item in items:
            grouped.setdefault(item.section, []).append(item)
        self.beginResetModel()
        self.sections = [(key, title, grouped[key]) for key, title in SECTIONS if grouped[key]]
        self.endResetModel()

    def item(self, index: Index) -> AgendaItem | None:
        if not index.isValid() or index.internalId() == _NO_PARENT:
            return None
        return self.sections[index.internalId() - 1][2][index.row()]

    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        if not (0 <= column < len(COLUMNS)):
            return QModelIndex()
        if not parent.isValid():
            if 0 <= row < len(self.sections):
                return self.createIndex(row, column, _NO_PARENT)
            return QModelIndex()
        if parent.internalId() != _NO_PARENT or parent.column() != 0:
            return QModelIndex()
        lines = self.sections[parent.row()][2]
        if 0 <= row < len(lines):
            return self.createIndex(row, column, parent.row() + 1)
        return QModelIndex()

    def parent(self, index: Index | None = None) -> QModelIndex:  # type: ignore[override]
        if index is None or not index.isValid() or index.internalId() == _NO_PARENT:
            return QModelIndex()
        return self.createIndex(index.internalId() - 1, 0, _NO_PARENT)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        if not parent.isValid():
            return len(self.sections)
        if parent.internalId() == _NO_PARENT and parent.column() == 0:
            return len(self.sections[parent.row()][2])
        return 0

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        return header_text(COLUMNS, section, orientation, role)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        item = self.item(index)
        if item is not None:
            flags |= Qt.ItemFlag.ItemNeverHasChildren
            if (item.task_id or item.step_id) and index.column() == 0:
                flags |= Qt.ItemFlag.ItemIsUserCheckable
        return flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        column = index.column()
        if index.internalId() == _NO_PARENT:
            _key, title, lines = self.sections[index.row()]
            if role == Qt.ItemDataRole.DisplayRole and column == 0:
                return f"{title}  ({len(lines)})"
            if role == Qt.ItemDataRole.FontRole and column == 0:
                font = QFont()
                font.setBold(True)
                return font
            return None
        item = self.item(index)
        if item is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return (item.title, item.account_name, item.detail)[column]
        if (
            role == Qt.ItemDataRole.CheckStateRole
            and column == 0
            and (item.task_id or item.step_id)
        ):
            return Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.ForegroundRole and column == 2 and item.overdue:
            return QBrush(QColor(theme.RENEWAL_SOON))
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{item.title}\n{item.account_name}: {item.detail}\nEnter opens the account."
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        item = self.item(index)
        checkable = item is not None and (item.task_id or item.step_id)
        if item is not None and checkable and role == Qt.ItemDataRole.CheckStateRole:
            self.task_toggled.emit(item, Qt.CheckState(value) == Qt.CheckState.Checked)
            return True
        return False


class WrappingDelegate(QStyledItemDelegate):
    """Row heights for wrapped lines: the style wraps only to a width it is given, and the
    tree asks for size hints without one."""

    def __init__(self, tree: QTreeView) -> None:
        super().__init__(tree)
        self.tree = tree
        self.wrap = True  # False while the tree measures what its lines need unwrapped

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        if not self.wrap:
            return super().sizeHint(option, index)
        tree, style = self.tree, self.tree.style()
        width = tree.columnWidth(index.column())
        if index.column() == 0:  # the tree column: its indentation is not the cell's
            depth = 1 if index.parent().isValid() else 0
            width -= tree.indentation() * (depth + int(tree.rootIsDecorated()))
        one_line = QStyleOptionViewItem(option)
        one_line.rect = QRect()
        hint = super().sizeHint(one_line, index)
        # The text's room as the style paints it in a cell this wide (check box, icon and the
        # theme's item padding taken off), and the height of the text wrapped to it.
        cell = QStyleOptionViewItem(option)
        self.initStyleOption(cell, index)
        cell.rect = QRect(0, 0, max(width, 1), hint.height())
        room = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, cell, tree)
        margin = style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, tree) + 1
        wrapped = cell.fontMetrics.boundingRect(
            QRect(0, 0, max(room.width() - 2 * margin, 1), 1_000_000),
            Qt.TextFlag.TextWordWrap,
            cell.text,
        )
        padding = hint.height() - room.height()
        return QSize(width, max(hint.height(), wrapped.height() + padding))


def share_width(lines: list[list[int]], available: int) -> list[int]:
    """Column widths summing to ``available`` at most, from each column's lines' widths
    (unwrapped): each column its longest line when they all fit; else the widths that wrap
    the fewest lines (a column with a few long lines gives before one whose lines are all
    long), in the fewest columns, the shortfall spread evenly between equals. One rule on
    any screen: no column gets less than half its longest line (a line wraps onto two rows,
    not five), nor, when even that does not fit, less than an equal share."""
    count = len(lines)
    needs = [max(column, default=0) for column in lines]
    if sum(needs) <= available or count == 0:
        return needs
    if count == 1:
        return [available]
    # Not "an equal share to each column that needs one": on a laptop every column needed
    # one, so the widths were equal thirds whatever the lines (100 wrapped where 85 could).
    floors = [min((need + 1) // 2, available // count) for need in needs]
    wraps = [_wrap_table(column, need) for column, need in zip(lines, needs, strict=True)]
    # Each column's widths worth trying, widest first: one of its lines' widths, or its floor.
    choices = [
        sorted({floor, *(w for w in column if floor <= w <= need)}, reverse=True)
        for column, floor, need in zip(lines, floors, needs, strict=True)
    ]
    rests = [sum(floors[c + 1 :]) for c in range(count)]

    #: The best found: (lines wrapped, columns wrapping, shortfall squared), its widths.
    best: tuple[tuple[int, int, int], tuple[int, ...]] | None = None
    last = count - 1
    last_need, last_floor, last_wraps = needs[last], floors[last], wraps[last]

    def pick(c: int, room: int, cost: tuple[int, int, int], widths: tuple[int, ...]) -> None:
        nonlocal best
        need, table, rest = needs[c], wraps[c], rests[c]
        for width in choices[c]:
            wrapped = table[width]
            if best is not None and cost[0] + wrapped > best[0][0]:
                break  # narrower still wraps as many lines or more: none can do better
            if width + rest > room:
                continue
            step = (cost[0] + wrapped, cost[1] + bool(wrapped), cost[2] + (need - width) ** 2)
            if c + 1 < last:
                pick(c + 1, room - width, step, (*widths, width))
                continue
            # The last column inline (the loop runs for every pair of widths).
            end = min(last_need, room - width)
            if end < last_floor:
                continue
            more = last_wraps[end]
            if best is not None and step[0] + more > best[0][0]:
                continue
            total = (step[0] + more, step[1] + bool(more), step[2] + (last_need - end) ** 2)
            if best is None or total < best[0]:
                best = (total, (*widths, width, end))

    pick(0, available, (0, 0, 0), ())
    if best is None:
        return floors
    widths = list(best[1])
    widths[0] += available - sum(widths)  # the spare pixels, if any, to the first column
    return widths


def _wrap_table(column: list[int], need: int) -> list[int]:
    """For each width from 0 to ``need``, how many of the column's lines are wider."""
    at = [0] * (need + 1)
    for width in column:
        at[width] += 1
    table = [0] * (need + 1)
    wider = 0
    for width in range(need, -1, -1):
        table[width] = wider
        wider += at[width]
    return table


class AgendaTree(QTreeView):
    """The Today list: columns sized to what they hold; when the window is too narrow for
    every line, the columns share the width and long lines wrap rather than being cut."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.needs: list[int] = []  # each column's width unwrapped, measured once per load
        #: Each column's lines' widths unwrapped (its header's among them), the longest first.
        self.lines: list[list[int]] = []

    def viewportEvent(self, event: QEvent) -> bool:
        # The viewport, not the tree: it also narrows when wrapped rows grow tall enough to
        # bring in the vertical scroll bar, and the columns must then share less width.
        handled = super().viewportEvent(event)
        if event.type() == QEvent.Type.Resize:
            self.fit_columns()
        return handled

    def measure(self) -> None:
        """What each line of each column needs to show on one row (after a load)."""
        delegate = self.itemDelegate()
        if isinstance(delegate, WrappingDelegate):
            delegate.wrap = False
        try:
            header = self.header()
            self.lines = [[header.sectionSizeHint(c)] for c in range(header.count())]
            option = QStyleOptionViewItem()
            self.initViewItemOption(option)
            self._measure_rows(QModelIndex(), 0, option)
            # As the tree measures a column (its margins), the longest line its whole need.
            for c, column in enumerate(self.lines):
                extra = max(self.sizeHintForColumn(c) - max(column[1:], default=0), 0)
                column[1:] = [w + extra for w in column[1:]]
                column.sort(reverse=True)
            self.needs = [column[0] for column in self.lines]
        finally:
            if isinstance(delegate, WrappingDelegate):
                delegate.wrap = True
        self.fit_columns()

    def _measure_rows(self, parent: QModelIndex, depth: int, option: QStyleOptionViewItem) -> None:
        model = self.model()
        if parent.isValid() and not self.isExpanded(parent):
            return
        indent = self.indentation() * (depth + int(self.rootIsDecorated()))
        for row in range(model.rowCount(parent)):
            for c, column in enumerate(self.lines):
                index = model.index(row, c, parent)
                width = self.itemDelegateForIndex(index).sizeHint(option, index).width()
                column.append(width + (indent if c == 0 else 0))
            self._measure_rows(model.index(row, 0, parent), depth + 1, option)

    def fit_columns(self) -> None:
        """Give each column the width its longest line needs, the spare to "What"; short of
        room, split the width by what the columns' lines need (``share_width``)."""
        header = self.header()
        count = len(self.needs)
        available = self.viewport().width()
        if count == 0 or count != header.count() or available <= 0:
            return
        widths = list(self.needs)
        if sum(widths) <= available:
            widths[0] += available - sum(widths)
        else:
            widths = share_width(self.lines, available)
        for column, width in enumerate(widths):
            if header.sectionSize(column) != width:
                header.resizeSection(column, width)
        self.scheduleDelayedItemsLayout()  # wrapped lines change their row heights
