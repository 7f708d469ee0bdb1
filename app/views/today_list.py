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
from PySide6.QtWidgets import (
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeView,
    QWidget,
)

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


class AgendaTree(QTreeView):
    """The Today list: columns sized to what they hold; when the window is too narrow for
    every line, the columns share the width and long lines wrap rather than being cut."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.needs: list[int] = []  # each column's width unwrapped, measured once per load

    def viewportEvent(self, event: QEvent) -> bool:
        # The viewport, not the tree: it also narrows when wrapped rows grow tall enough to
        # bring in the vertical scroll bar, and the columns must then share less width.
        handled = super().viewportEvent(event)
        if event.type() == QEvent.Type.Resize:
            self.fit_columns()
        return handled

    def measure(self) -> None:
        """What each column needs to show its longest line on one row (after a load)."""
        delegate = self.itemDelegate()
        if isinstance(delegate, WrappingDelegate):
            delegate.wrap = False
        try:
            header = self.header()
            self.needs = [
                max(self.sizeHintForColumn(c), header.sectionSizeHint(c))
                for c in range(header.count())
            ]
        finally:
            if isinstance(delegate, WrappingDelegate):
                delegate.wrap = True
        self.fit_columns()

    def fit_columns(self) -> None:
        """Give each column the width its longest line needs, the spare to "What"; short of
        room, columns that need less than an equal share keep their need and the others
        split the rest (their lines wrap)."""
        header = self.header()
        count = len(self.needs)
        available = self.viewport().width()
        if count == 0 or count != header.count() or available <= 0:
            return
        needs = self.needs
        widths = list(needs)
        if sum(needs) <= available:
            widths[0] += available - sum(needs)
        else:
            squeezed = set(range(count))
            room = available
            while squeezed:
                share = room // len(squeezed)
                fits = {c for c in squeezed if needs[c] <= share}
                if not fits:
                    for c in squeezed:
                        widths[c] = share
                    break
                squeezed -= fits
                room -= sum(needs[c] for c in fits)
        for column, width in enumerate(widths):
            if header.sectionSize(column) != width:
                header.resizeSection(column, width)
        self.scheduleDelayedItemsLayout()  # wrapped lines change their row heights
