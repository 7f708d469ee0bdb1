"""The account tree's view: a table view that behaves like a tree (arrows, keys, drops)."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QModelIndex, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QFontMetrics, QKeyEvent, QMouseEvent, QResizeEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QMenu, QTableView, QWidget

from app.services import dates_text
from app.services.money import format_money
from app.services.names import initials
from app.views.tree.columns import (
    COL_ARR,
    COL_HEALTH,
    COL_NAME,
    COL_OWNER,
    COL_RENEWAL,
    ROLE_DEPTH,
    ROLE_ID,
)
from app.views.tree.delegates import ARROW, CellDelegate, HealthDelegate, NameDelegate, arrow_rect
from app.views.tree.model import AccountTreeModel

#: Room a cell's text needs beyond its own width (the delegate's margins and a little air).
CELL_PADDING = 14
#: A long account name (30 characters, bold as a parent's) the name column keeps room for
#: before the Owner column shows whole names instead of initials.
LONG_NAME = "Granite & van Dijk Trust Group"
#: Room in a top-level name cell besides its text: the arrow and the margins around it.
NAME_INSET = 4 + ARROW + 4 + 4


class AccountTreeView(QTableView):
    """Rows are accounts; Left/Right (or clicking the arrow) fold and unfold branches."""

    #: The account the user opened (Enter or double-click on a leaf).
    activated_account = Signal(str)

    def __init__(self, model: AccountTreeModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tree_model = model
        self.setModel(model)
        self.setObjectName("accountTree")
        self.setShowGrid(False)
        self.setWordWrap(False)
        self.setAlternatingRowColors(True)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.SelectedClicked
        )
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerItem)
        self.setTabKeyNavigation(False)
        self.setSortingEnabled(True)
        self.sortByColumn(COL_NAME, Qt.SortOrder.AscendingOrder)
        self.setDragEnabled(True)
        self.setAcceptDrops(True)
        self.setDropIndicatorShown(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setDragDropOverwriteMode(True)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        rows = self.verticalHeader()
        rows.setVisible(False)
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(max(24, self.fontMetrics().height() + 10))
        header = self.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionsMovable(True)
        header.setStretchLastSection(False)
        header.setSectionResizeMode(COL_NAME, QHeaderView.ResizeMode.Stretch)
        fm = self.fontMetrics()
        for column, sample in (
            (COL_HEALTH, "100 ▲▲"),
            (COL_ARR, "$3,766,000"),
            (COL_RENEWAL, "30 Dec 27 · 365 d"),
        ):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            self.setColumnWidth(column, fm.horizontalAdvance(sample) + CELL_PADDING)
        header.setSectionResizeMode(COL_OWNER, QHeaderView.ResizeMode.Interactive)
        self.setColumnWidth(COL_OWNER, self.owner_initials_width())
        # ARR and Next renewal grow to the widest text the book shows (¥12,000,000; a
        # renewal years away), once per load or edit, never clipping a figure.
        self._fit_timer = QTimer(self)
        self._fit_timer.setSingleShot(True)
        self._fit_timer.timeout.connect(self.fit_value_columns)
        model.modelReset.connect(self._fit_timer.start)
        model.dataChanged.connect(self._fit_timer.start)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._header_menu)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.setItemDelegateForColumn(COL_NAME, NameDelegate(self))
        self.setItemDelegateForColumn(COL_HEALTH, HealthDelegate(self))
        self.setItemDelegateForColumn(COL_ARR, CellDelegate(True, False, self))
        self.setItemDelegateForColumn(COL_RENEWAL, CellDelegate(False, False, self))
        self.setItemDelegateForColumn(COL_OWNER, CellDelegate(False, True, self, initials))
        # Owner: whole names where the tree has room, else initials (fit_owner_column), until
        # the user sizes the column or a saved header brings its width.
        self.owner_width_auto = True
        self._owner_full = 0  # the widest owner name's column width, once loaded
        self._fitting_owner = False
        header.sectionResized.connect(self._on_section_resized)

    def value_column_texts(self) -> dict[int, str]:
        """The widest ARR and Next renewal texts the model can show (from the format)."""
        model = self.tree_model
        largest: dict[str, int] = {}
        plus = False
        latest: date | None = None
        for row in model.rows.values():
            total = model.rollups.get(row.id)
            amount = abs(total.arr_in(row.currency) if total else row.arr_minor)
            if amount > largest.get(row.currency, -1):
                largest[row.currency] = amount
            plus = plus or bool(total and len(total.arr_minor) > 1)
            when = total.next_renewal if total else row.next_renewal
            if when is not None and (latest is None or when > latest):
                latest = when
        fm = self.fontMetrics()
        arr = max(
            (format_money(amount, currency) for currency, amount in largest.items()),
            key=fm.horizontalAdvance,
            default="",
        ) + (" +" if plus else "")
        renewal = ""
        if latest is not None:
            days = max(0, (latest - model.today).days)
            # The widest month name and day of the format, with the latest renewal's digits.
            month = max(
                range(1, 13),
                key=lambda m: fm.horizontalAdvance(dates_text.month_name(date(2000, m, 1))),
            )
            renewal = f"{dates_text.compact_day(date(latest.year, month, 28))} · {days} d"
        return {COL_ARR: arr, COL_RENEWAL: renewal}

    def fit_value_columns(self) -> None:
        """Widen ARR and Next renewal where their widest text (or title) would be clipped."""
        fm = self.fontMetrics()
        header = self.horizontalHeader()
        for column, text in self.value_column_texts().items():
            title = str(self.tree_model.headerData(column, Qt.Orientation.Horizontal) or "")
            # The title's room includes the sort arrow beside it.
            needed = max(
                fm.horizontalAdvance(text) + CELL_PADDING,
                header.fontMetrics().horizontalAdvance(title) + CELL_PADDING + 16,
            )
            if self.columnWidth(column) < needed:
                self.setColumnWidth(column, needed)
        owners = self.tree_model.owners()
        self._owner_full = max(map(fm.horizontalAdvance, owners), default=0) + CELL_PADDING
        self.fit_owner_column()

    def owner_initials_width(self) -> int:
        """The Owner column's width with initials: its title's (two letters are narrower)."""
        title = str(self.tree_model.headerData(COL_OWNER, Qt.Orientation.Horizontal) or "")
        return self.horizontalHeader().fontMetrics().horizontalAdvance(title) + CELL_PADDING

    def name_room(self) -> int:
        """Width of a name column that shows ``LONG_NAME`` whole at the top level."""
        bold = QFont(self.font())
        bold.setWeight(QFont.Weight.DemiBold)
        return QFontMetrics(bold).horizontalAdvance(LONG_NAME) + NAME_INSET

    def preferred_width(self) -> int:
        """The view's width with room for ``LONG_NAME`` beside the other columns (owner as
        initials): what the Accounts dock asks for by default."""
        header = self.horizontalHeader()
        others = sum(
            self.owner_initials_width() if c == COL_OWNER else self.columnWidth(c)
            for c in (COL_HEALTH, COL_ARR, COL_RENEWAL, COL_OWNER)
            if not header.isSectionHidden(c)
        )
        frame = 2 * self.frameWidth() + self.verticalScrollBar().sizeHint().width()
        return self.name_room() + others + frame

    def fit_owner_column(self) -> None:
        """Owner names whole when the name column keeps room for a long name, else initials."""
        header = self.horizontalHeader()
        full = self._owner_full
        if not self.owner_width_auto or not full or header.isSectionHidden(COL_OWNER):
            return
        others = sum(
            self.columnWidth(c)
            for c in (COL_HEALTH, COL_ARR, COL_RENEWAL)
            if not header.isSectionHidden(c)
        )
        room = self.viewport().width() - others - full
        self._fitting_owner = True
        wide = room >= self.name_room()
        short = self.owner_initials_width()
        self.setColumnWidth(COL_OWNER, max(full, short) if wide else short)
        self._fitting_owner = False

    def _on_section_resized(self, column: int, _old: int, _new: int) -> None:
        if column == COL_OWNER and not self._fitting_owner:
            self.owner_width_auto = False  # the user's (or a saved header's) width stays

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit_owner_column()

    def _header_menu(self, pos: QPoint) -> None:
        """Right-click on the header: show or hide columns (the name always stays)."""
        header = self.horizontalHeader()
        menu = QMenu(self)
        for column in range(1, self.tree_model.columnCount()):
            title = str(self.tree_model.headerData(column, Qt.Orientation.Horizontal))
            action = menu.addAction(title)
            action.setCheckable(True)
            action.setChecked(not header.isSectionHidden(column))
            action.toggled.connect(lambda on, c=column: header.setSectionHidden(c, not on))
        menu.exec(header.mapToGlobal(pos))

    def current_id(self) -> str | None:
        index = self.currentIndex()
        return str(index.data(ROLE_ID)) if index.isValid() else None

    def select_id(self, account_id: str | None) -> bool:
        """Make an account current (expanding its ancestors); False when it is filtered out."""
        if account_id is None:
            self.clearSelection()
            self.setCurrentIndex(QModelIndex())
            return True
        model = self.tree_model
        if account_id not in model.rows:
            return False
        model.expand_to(account_id)
        row = model.row_of(account_id)
        if row is None:
            return False
        index = model.index(row, COL_NAME)
        self.setCurrentIndex(index)
        self.scrollTo(index, QAbstractItemView.ScrollHint.EnsureVisible)
        return True

    def _toggle(self, index: QModelIndex) -> None:
        account_id = str(index.data(ROLE_ID))
        model = self.tree_model
        if model.has_children(account_id):
            model.set_expanded(account_id, not model.is_expanded(account_id))
            self.select_id(account_id)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        index = self.indexAt(event.position().toPoint())
        if index.isValid() and index.column() == COL_NAME:
            rect = arrow_rect(self.visualRect(index), int(index.data(ROLE_DEPTH) or 0))
            if rect.adjusted(-3, 0, 3, 0).contains(event.position().toPoint()):
                self._toggle(index)
                return
        super().mousePressEvent(event)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        index = self.indexAt(event.position().toPoint())
        if index.isValid():
            account_id = str(index.data(ROLE_ID))
            if self.tree_model.has_children(account_id):
                self._toggle(index)
            else:
                self.activated_account.emit(account_id)
            return
        super().mouseDoubleClickEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        index = self.currentIndex()
        key = event.key()
        model = self.tree_model
        if index.isValid() and self.state() != QAbstractItemView.State.EditingState:
            account_id = str(index.data(ROLE_ID))
            if key in (Qt.Key.Key_Left, Qt.Key.Key_Minus):
                if model.has_children(account_id) and model.is_expanded(account_id):
                    model.set_expanded(account_id, False)
                    self.select_id(account_id)
                else:
                    parent = model.rows[account_id].parent_id
                    if parent is not None and key == Qt.Key.Key_Left:
                        self.select_id(parent)
                return
            if key in (Qt.Key.Key_Right, Qt.Key.Key_Plus):
                if model.has_children(account_id) and not model.is_expanded(account_id):
                    model.set_expanded(account_id, True)
                    self.select_id(account_id)
                elif model.has_children(account_id) and key == Qt.Key.Key_Right:
                    row = model.row_of(account_id)
                    if row is not None and row + 1 < model.rowCount():
                        self.setCurrentIndex(model.index(row + 1, COL_NAME))
                return
            if key == Qt.Key.Key_Asterisk:
                for sub in model.subtree_ids(account_id):
                    if model.has_children(sub):
                        model.set_expanded(sub, True)
                self.select_id(account_id)
                return
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.activated_account.emit(account_id)
                return
        super().keyPressEvent(event)
