"""The account tree's item model: the hierarchy flattened to the rows currently visible.

Qt's tree view lays out every row of a model in Python calls (about 1 s at 100,000 accounts)
and ``QSortFilterProxyModel`` over a Python model is as slow, so this model keeps the whole
hierarchy as plain snapshots, filters and sorts it itself, and exposes only the visible rows,
in display order, with their depth. The view draws indentation and branch arrows. Every
change (expand, collapse, filter, sort, edit, move) becomes the smallest block of row
removals and inserts, or ``dataChanged`` for edited rows, never a model reset.

The jobs are layered, each module subclassing the one before: ``hierarchy`` (state, children
in sort order, roll-ups), ``visible_rows`` (filter, flattening, expansion), ``cells``
(display texts); this module adds loading, targeted updates, Qt's model API and drag and
drop.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import QByteArray, QMimeData, QModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor

from app.services.tree_rows import AccountRow, rollup
from app.views.tree.cells import AccountCells
from app.views.tree.columns import (
    COL_ARR,
    COL_HEALTH,
    COL_NAME,
    HEADERS,
    MIME_TYPE,
    ROLE_BAND,
    ROLE_CELL,
    ROLE_DEPTH,
    ROLE_EXPANDED,
    ROLE_HAS_CHILDREN,
    ROLE_ID,
    ROLE_MATCH,
    ROLE_TREND,
    Index,
)

# Plain ints: comparing the role (an int) with enum members costs far more per call.
_DISPLAY = int(Qt.ItemDataRole.DisplayRole.value)
_EDIT = int(Qt.ItemDataRole.EditRole.value)
_ALIGN = int(Qt.ItemDataRole.TextAlignmentRole.value)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole.value)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole.value)
_ACCESSIBLE = int(Qt.ItemDataRole.AccessibleTextRole.value)
_RIGHT = int((Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter).value)
_ROLE_ID = int(ROLE_ID)
_ROLE_DEPTH = int(ROLE_DEPTH)
_ROLE_CELL = int(ROLE_CELL)
_ITEM_FLAGS = (
    Qt.ItemFlag.ItemIsEnabled
    | Qt.ItemFlag.ItemIsSelectable
    | Qt.ItemFlag.ItemIsDragEnabled
    | Qt.ItemFlag.ItemIsDropEnabled
    | Qt.ItemFlag.ItemNeverHasChildren
)
_NAME_FLAGS = _ITEM_FLAGS | Qt.ItemFlag.ItemIsEditable


class AccountTreeModel(AccountCells):
    """Visible accounts in display order; call ``set_rows`` once, then targeted updates.

    Renames and drops are not applied here: the model asks for them with ``rename_requested``
    and ``move_requested`` and the panel turns them into undo commands.
    """

    #: (account_id, new name)
    rename_requested = Signal(str, str)
    #: (account_id, new parent id or None for the top level)
    move_requested = Signal(str, object)

    # ------------------------------------------------------------------ loading
    def set_rows(
        self,
        rows: Iterable[AccountRow],
        trends: dict[str, float] | None = None,
        expanded: Iterable[str] = (),
    ) -> None:
        """Load the whole book (the only reset: on opening a workspace)."""
        self.beginResetModel()
        self.rows = {r.id: r for r in rows}
        self._folded = {i: r.name.casefold() for i, r in self.rows.items()}
        self.trends = dict(trends or {})
        self.rollups = rollup(self.rows.values())
        self._expanded = {i for i in expanded if i in self.rows}
        self._rebuild_children()
        self._invalidate()
        self._recompute_filter()
        self._visible, self._depth = self._flatten()
        self._pos = None
        self.endResetModel()

    def set_trends(self, trends: dict[str, float]) -> None:
        """Health trends arrive after the first paint; repaint the health column."""
        self.trends = dict(trends)
        self._cell_cache.clear()
        if self._visible:
            self.dataChanged.emit(
                self.index(0, COL_HEALTH), self.index(len(self._visible) - 1, COL_HEALTH)
            )

    # ------------------------------------------------------------------ targeted updates
    def update_rows(self, rows: Iterable[AccountRow], trends: dict[str, float]) -> None:
        """Fresh snapshots of some accounts (edited fields, moved, new or restored ones)."""
        changed: list[str] = []
        touched_parents: list[str] = []
        for row in rows:
            old = self.rows.get(row.id)
            if old is not None:
                touched_parents.extend(p for p in [old.parent_id] if p)
                if self._parent_key(old) != (row.parent_id if row.parent_id in self.rows else None):
                    old_siblings = self._children.get(self._parent_key(old), [])
                    if row.id in old_siblings:
                        old_siblings.remove(row.id)
            self.rows[row.id] = row
            self._folded[row.id] = row.name.casefold()
            if row.id in trends:
                self.trends[row.id] = trends[row.id]
            else:
                self.trends.pop(row.id, None)
            changed.append(row.id)
        # Children may arrive before parents: place each once every row is known.
        for account_id in changed:
            self._insert_sorted(self._parent_key(self.rows[account_id]), account_id)
        self._rollup_full_subtrees(changed)
        self._recompute_rollup([*changed, *touched_parents])
        self._invalidate()
        self._recompute_filter()
        affected = set(changed)
        for account_id in [*changed, *touched_parents]:
            affected.update(self._ancestors(account_id))
        self._apply_visible(affected)

    def remove_accounts(self, account_ids: Iterable[str]) -> None:
        """Drop accounts and everything below them (deleted)."""
        gone: set[str] = set()
        parents: list[str] = []
        for account_id in account_ids:
            if account_id not in self.rows:
                continue
            parent = self.rows[account_id].parent_id
            if parent:
                parents.append(parent)
            siblings = self._children.get(self._parent_key(self.rows[account_id]), [])
            if account_id in siblings:
                siblings.remove(account_id)
            gone.update(self._subtree(account_id))
        for account_id in gone:
            self.rows.pop(account_id, None)
            self.rollups.pop(account_id, None)
            self.trends.pop(account_id, None)
            self._folded.pop(account_id, None)
            self._children.pop(account_id, None)
            self._expanded.discard(account_id)
            self._filter_expanded.discard(account_id)
            self._matches.discard(account_id)
        self._recompute_rollup(parents)
        self._invalidate()
        self._recompute_filter()
        affected: set[str] = set()
        for parent in parents:
            affected.update(self._ancestors(parent))
        self._apply_visible(affected)

    def set_champions(self, ids: set[str]) -> None:
        self.champion_ids = ids
        if any(q.key == "no_champion" for q in self._quick):
            self._recompute_filter()
            self._apply_visible()

    # ------------------------------------------------------------------ Qt model API
    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        if parent.isValid() or not (0 <= row < len(self._visible)):
            return QModelIndex()
        if not (0 <= column < len(HEADERS)):
            return QModelIndex()
        return self.createIndex(row, column)

    def parent(self, index: Index | None = None) -> QModelIndex:  # type: ignore[override]
        return QModelIndex()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._visible)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def hasChildren(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and bool(self._visible)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(HEADERS):
            if role == Qt.ItemDataRole.DisplayRole:
                return HEADERS[section]
            if role == Qt.ItemDataRole.TextAlignmentRole and section in (COL_ARR, COL_HEALTH):
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.ItemIsDropEnabled
        return _NAME_FLAGS if index.column() == COL_NAME else _ITEM_FLAGS

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        r = index.row()
        if r >= len(self._visible):
            return None
        account_id = self._visible[r]
        column = index.column()
        if role == _ROLE_CELL:
            return self._cell(r, account_id, column)
        if role in (_DISPLAY, _ACCESSIBLE):
            return self._cells(account_id)[column][0]
        if role == _ROLE_ID:
            return account_id
        if role == _ROLE_DEPTH:
            return self._depth[r]
        if role == _ALIGN:
            return _RIGHT if column in (COL_ARR, COL_HEALTH) else None
        if role == _FOREGROUND:
            colour = self._cells(account_id)[column][1]
            return QBrush(QColor(colour)) if colour else None
        if role == _EDIT:
            return self.rows[account_id].name if column == COL_NAME else None
        if role == _TOOLTIP:
            return self._tooltip(self.rows[account_id], column)
        if role == ROLE_HAS_CHILDREN:
            return self.has_children(account_id)
        if role == ROLE_EXPANDED:
            return self.is_expanded(account_id)
        if role == ROLE_BAND:
            band = self.rows[account_id].health_band
            return band.value if band else None
        if role == ROLE_TREND:
            return self.trends.get(account_id)
        if role == ROLE_MATCH:
            return self.is_match(account_id)
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        # Renames go through the undo stack: the panel listens and pushes the command.
        if index.isValid() and index.column() == COL_NAME and role == Qt.ItemDataRole.EditRole:
            name = str(value).strip()
            if name and name != self.rows[self._visible[index.row()]].name:
                self.rename_requested.emit(self._visible[index.row()], name)
            return False
        return False

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not (0 <= column < len(HEADERS)):
            return
        self._sort_column = column
        self._sort_order = order
        self._rebuild_children()
        self._preorder = None
        self._apply_visible()

    # ------------------------------------------------------------------ drag and drop
    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:
        return [MIME_TYPE]

    def mimeData(self, indexes: Iterable[QModelIndex]) -> QMimeData:
        ids = []
        for index in indexes:
            if index.isValid():
                account_id = self._visible[index.row()]
                if account_id not in ids:
                    ids.append(account_id)
        mime = QMimeData()
        mime.setData(MIME_TYPE, QByteArray("\n".join(ids).encode("ascii")))
        return mime

    def canDropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: Index
    ) -> bool:
        return data.hasFormat(MIME_TYPE)

    def dropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: Index
    ) -> bool:
        if not self.canDropMimeData(data, action, row, column, parent):
            return False
        ids = bytes(data.data(MIME_TYPE).data()).decode("ascii").split()
        target = self._visible[parent.row()] if parent.isValid() else None
        for account_id in ids:
            self.move_requested.emit(account_id, target)
        # The move happens through the undo stack; Qt must not remove the dragged rows.
        return False
