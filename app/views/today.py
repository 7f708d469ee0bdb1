"""The Today view: the book's headline figures, then everything due or needing a look."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QRectF,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSizePolicy,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from app.models.changes import ChangeKind, ChangeSet
from app.services import glossary
from app.services.exchange import Converter, converter
from app.services.my_book import my_figures
from app.services.today import SECTIONS, AgendaItem, PortfolioFigures, agenda
from app.views import theme
from app.views.account_edits import UpdateItemCommand
from app.views.cards import converted_figure, figure_cards
from app.views.context import AppContext
from app.views.playbooks.commands import StepDoneCommand
from app.views.playbooks.my_book import BookScope
from app.views.table_base import header_text
from app.views.undo import push_edit

Index = QModelIndex | QPersistentModelIndex

#: What the Today list and the figures are made of.
SHOWS = (
    ChangeKind.ACCOUNT,
    ChangeKind.TASK,
    ChangeKind.CONTRACT,
    ChangeKind.RENEWAL,
    ChangeKind.SUCCESS_PLAN,
    ChangeKind.HEALTH,
    ChangeKind.STAKEHOLDER,
    ChangeKind.ACTIVITY,
    ChangeKind.PLAY,
)

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


class BandBar(QWidget):
    """Accounts per health band as one stacked bar with a legend."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.counts: Mapping[str, int] = {}
        self.setMinimumHeight(14)

    def set_counts(self, counts: Mapping[str, int]) -> None:
        self.counts = dict(counts)
        self.setToolTip(
            ", ".join(f"{self.counts.get(b, 0)} {b}" for b in ("green", "yellow", "red", "none"))
        )
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(160, 14)

    def paintEvent(self, event: QPaintEvent) -> None:
        total = sum(self.counts.values())
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = QRectF(self.rect()).adjusted(0, 2, 0, -2)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(self.palette().mid())
        painter.drawRoundedRect(rect, 4, 4)
        x = rect.left()
        for band in ("green", "yellow", "red"):
            n = self.counts.get(band, 0)
            if not total or not n:
                continue
            width = rect.width() * n / total
            painter.setBrush(QColor(theme.BAND_COLOURS[band]))
            painter.drawRoundedRect(QRectF(x, rect.top(), width, rect.height()), 4, 4)
            x += width
        painter.end()


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


class TodayView(QWidget):
    """Portfolio figures and the CSM's list for today; Enter or double-click opens the account."""

    title = "Today"
    icon_name = "today"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._stale = True
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self.reload)

        heading = QLabel(f"Today · {ctx.today:%A %d %B %Y}", self)
        heading.setProperty("role", "title")
        heading.setMinimumWidth(0)
        heading.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.scope = BookScope(ctx, self)  # my book / the whole team's
        self.scope.changed.connect(self.reload)
        heading_row = QHBoxLayout()
        heading_row.addWidget(heading, 1)
        heading_row.addWidget(self.scope)
        cards, self.cards = figure_cards(
            {
                "arr": "Total ARR",
                "renewing": "Renewing in 120 days",
                "at_risk": glossary.ARR_NEEDING_ATTENTION,
                "bands": "Accounts by health",
            },
            self,
        )
        self.band_bar = BandBar(self.cards["bands"])
        self.cards["bands"].layout_.insertWidget(2, self.band_bar)

        self.model = AgendaModel(self)
        self.model.task_toggled.connect(self._tick)
        self.view = AgendaTree(self)
        self.view.setObjectName("agenda")
        self.view.setModel(self.model)
        self.view.setWordWrap(True)
        self.view.setItemDelegate(WrappingDelegate(self.view))
        self.view.setAlternatingRowColors(True)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setAccessibleName("Due today")
        header = self.view.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        # Columns are measured on this many lines around those shown: a longer line further
        # down wraps rather than being cut, and a team-wide list stays quick to reload.
        header.setResizeContentsPrecision(300)
        self.view.activated.connect(self._open)
        self.view.doubleClicked.connect(self._open)
        self.empty = QLabel("Nothing due today. Enjoy the calm.", self)
        self.empty.setProperty("role", "caption")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.hide()

        due = QLabel("Due and needing a look", self)
        due.setProperty("role", "section")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 12)
        layout.setSpacing(10)
        layout.addLayout(heading_row)
        layout.addLayout(cards)
        layout.addWidget(due)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.empty, 1)
        ctx.events.changed.connect(self._on_changed)

    def paintEvent(self, event: Any) -> None:
        super().paintEvent(event)
        # Load after the window's first paint, so opening the app never waits for Today.
        if self._stale and not self._timer.isActive():
            self._timer.start()

    def _on_changed(self, changes: ChangeSet) -> None:
        if changes.touches(*SHOWS):
            self._stale = True
            if self.isVisible():
                self._timer.start()

    def reload(self) -> None:
        """Query the agenda and the figures again."""
        self._stale = False
        with self.ctx.store.read() as session:
            items = agenda(session, self.ctx.today, owner=self.scope.owner())
            figures = my_figures(session, self.ctx.today, self.scope.owner())
            rates = converter(session)
        self.model.set_items(items)
        self.view.expandAll()
        self.view.measure()
        self.empty.setVisible(not items)
        self.view.setVisible(bool(items))
        self._show_figures(figures, rates)

    def _show_figures(self, f: PortfolioFigures, rates: Converter) -> None:
        # Totals in the reporting currency; the note says the rate dates used and, in full,
        # which currencies a total leaves out for want of a rate.
        head, note = converted_figure(rates.convert(f.total_arr))
        self.cards["arr"].set(head, " · ".join(p for p in (f"{f.accounts:,} accounts", note) if p))
        head, note = converted_figure(rates.convert(f.renewing_arr))
        self.cards["renewing"].set(head, note or "by earliest active contract end")
        head, note = converted_figure(rates.convert(f.at_risk_arr))
        colour = theme.BAND_COLOURS["red"] if f.at_risk_arr else ""
        self.cards["at_risk"].set(head, note or "red health or forecast at risk / lost", colour)
        self.cards["at_risk"].setToolTip(glossary.ARR_NEEDING_ATTENTION_MEANS)
        unscored = f.bands.get("none", 0)
        red = f.bands.get("red", 0)
        self.cards["bands"].set(
            f"{red} red",
            f"{f.bands.get('green', 0)} green · {f.bands.get('yellow', 0)} yellow"
            + (f" · {unscored} not scored" if unscored else ""),
            theme.BAND_COLOURS["red"] if red else "",
        )
        self.band_bar.set_counts(f.bands)

    def _open(self, index: QModelIndex) -> None:
        item = self.model.item(index)
        if item is not None:
            tab = {
                "renewal": "Renewals",
                "notice": "Renewals",
                "milestone": "Success plan",
                "task": "Activities",
                "health": "Health",
                "quiet": "Stakeholders",
                "play": "Plays",
                "cadence": "Plays",
            }.get(item.section, "")
            self.ctx.events.open_account.emit(item.account_id, tab)

    def _tick(self, item: AgendaItem, checked: bool) -> None:
        if checked and item.step_id is not None:
            push_edit(self.ctx, StepDoneCommand(self.ctx, item.step_id, item.title, True))
            return
        if not checked or item.task_id is None:
            return
        push_edit(
            self.ctx,
            UpdateItemCommand(
                self.ctx,
                "task",
                item.task_id,
                {"done": True},
                f"tick off {item.title}",
            ),
        )
