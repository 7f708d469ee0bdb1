"""A titled table of one kind of item (contracts, risks, tasks...) with add / edit / delete."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.models.changes import ChangeSet
from app.services import work_items
from app.services.money import format_money
from app.services.touchpoint_time import duration_text, touchpoint_local
from app.services.visibility import INTERNAL_LABEL, SHARED_LABEL, visibility_label
from app.views import theme
from app.views.account.fields import FieldSpec, label_of
from app.views.account.item_edits import (
    ask_new_item,
    delete_item,
    edit_item,
    strip_extra,
    update_item,
)
from app.views.account_edits import CreateItemCommand
from app.views.context import AppContext
from app.views.date_edit import time_text
from app.views.icons import icon
from app.views.locale_text import local_zone
from app.views.table_base import read_only_list
from app.views.undo import push_edit

Index = QModelIndex | QPersistentModelIndex
#: Column kinds ticked in place with one click on their check box.
_TICKABLE = ("check",)


@dataclass(frozen=True)
class Column:
    """A table column: ``key`` of the row dict, shown as ``kind`` (text, date, money, enum,
    check, list, days, visibility: the ``shared`` flag as a Shared/Internal mark that one
    click on the cell switches)."""

    header: str
    key: str
    kind: str = "text"
    width: int = 0

    @classmethod
    def of(cls, key: str, width: int = 0, kind: str = "") -> Column:
        """The column of the section's field ``key``: its header is the field's label and its
        kind follows the field's unless given, so a shown field is declared once."""
        return cls("", key, kind, width)

    def resolved(self, fields: dict[str, FieldSpec]) -> Column:
        """This column with the header and kind ``of`` left to its field filled in."""
        if self.header and self.kind:
            return self
        spec = fields[self.key]
        return replace(
            self,
            header=self.header or spec.label,
            kind=self.kind or _SHOWN_AS.get(spec.kind, "text"),
        )


#: How a field's kind shows in a table column (other kinds show as text).
_SHOWN_AS = {"date": "date", "money": "money", "enum": "enum", "bool": "bool"}


@dataclass(frozen=True)
class SectionSpec:
    """Everything an item section needs to show and edit one kind of item."""

    kind: str
    title: str
    columns: Sequence[Column]
    fields: Sequence[FieldSpec]
    #: What one item is called in buttons and undo text; the kind unless given.
    noun: str = ""
    #: Values every new item gets: ``(ctx, account_id) -> dict`` (account id, today, currency).
    defaults: Callable[[AppContext, str], dict[str, Any]] = lambda ctx, account_id: {
        "account_id": account_id
    }
    label_key: str = "title"
    #: Boolean column the user ticks in place (e.g. a task's ``done``).
    check_key: str | None = None
    empty_text: str = "Nothing recorded yet."
    #: Rows to show: ``(rows) -> rows`` (e.g. only open risks).
    row_filter: Callable[[list[dict[str, Any]]], list[dict[str, Any]]] | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "noun", self.noun or self.kind)
        fields = {spec.name: spec for spec in self.fields}
        columns = tuple(column.resolved(fields) for column in self.columns)
        object.__setattr__(self, "columns", columns)


class ItemTableModel(QAbstractTableModel):
    """Plain row dicts of one kind, read-only except a tickable boolean column."""

    #: (row dict, column key, new checked state)
    toggled = Signal(object, str, bool)

    def __init__(self, spec: SectionSpec, today: date, parent: Any = None) -> None:
        super().__init__(parent)
        self.spec = spec
        self.today = today
        self.items: list[dict[str, Any]] = []

    def set_items(self, items: list[dict[str, Any]]) -> None:
        self.beginResetModel()
        self.items = items
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.items)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.spec.columns)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not (0 <= section < len(self.spec.columns)):
            return None
        column = self.spec.columns[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.header
        if role == Qt.ItemDataRole.TextAlignmentRole and column.kind == "money":
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self.spec.columns[index.column()].kind in _TICKABLE:
            base |= Qt.ItemFlag.ItemIsUserCheckable
        return base | Qt.ItemFlag.ItemNeverHasChildren

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.items):
            return None
        row = self.items[index.row()]
        column = self.spec.columns[index.column()]
        value = row.get(column.key)
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, column, value)
        if role == Qt.ItemDataRole.CheckStateRole and column.kind in _TICKABLE:
            return Qt.CheckState.Checked if value else Qt.CheckState.Unchecked
        if column.kind == "visibility" and role == Qt.ItemDataRole.ToolTipRole:
            return (SHARED_LABEL if value else INTERNAL_LABEL) + " (click to change)"
        if role == Qt.ItemDataRole.TextAlignmentRole and column.kind == "money":
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole:
            return self._colour(row, column, value)
        if role == Qt.ItemDataRole.ToolTipRole and column.kind in ("text", "list"):
            text = self._text(row, column, value)
            return text if len(text) > 30 else None
        if role == Qt.ItemDataRole.UserRole:
            return row
        return None

    def _text(self, row: dict[str, Any], column: Column, value: Any) -> str:
        kind = column.kind
        if value is None:
            return ""
        if kind == "check":
            return ""
        if kind == "visibility":
            return visibility_label(bool(value))
        if kind == "when":
            return _when_text(value, bool(row.get("all_day")))
        if kind == "duration":
            return duration_text(value)
        if kind in ("date", "due"):
            if isinstance(value, datetime):
                return f"{value.astimezone():%d %b %Y %H:%M}"
            return f"{value:%d %b %Y}"
        if kind == "money":
            return format_money(int(value), row.get("currency") or "USD")
        if kind == "enum":
            return label_of(value)
        if kind == "list":
            return ", ".join(value)
        if kind == "bool":
            return "Yes" if value else ""
        if kind == "percent":
            return f"{value}%"
        return str(value).splitlines()[0] if isinstance(value, str) and value else str(value)

    def _colour(self, row: dict[str, Any], column: Column, value: Any) -> QBrush | None:
        if column.kind == "visibility":
            return None if value else QBrush(QColor(theme.BAND_COLOURS["red"]))
        if column.kind == "due" and isinstance(value, date) and not isinstance(value, datetime):
            closed = row.get("done") or row.get("status") in ("done", "closed", "achieved")
            if not closed and value < self.today:
                return QBrush(QColor(theme.RENEWAL_SOON))
        if column.key in ("severity", "status", "forecast", "renewal_forecast"):
            raw = getattr(value, "value", value)
            if raw in ("critical", "high", "escalated", "at_risk", "slipping", "lost", "missed"):
                return QBrush(QColor(theme.BAND_COLOURS["red"]))
            if raw in ("commit", "done", "achieved", "won", "on_track"):
                return QBrush(QColor(theme.BAND_COLOURS["green"]))
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if (
            index.isValid()
            and role == Qt.ItemDataRole.CheckStateRole
            and self.spec.columns[index.column()].kind in _TICKABLE
        ):
            checked = Qt.CheckState(value) == Qt.CheckState.Checked
            # Applied through the undo stack; the refresh then shows it.
            column = self.spec.columns[index.column()]
            self.toggled.emit(self.items[index.row()], column.key, checked)
            return True
        return False


def add_item_keys(
    table: QTableView, add: Callable[[], None], edit: Callable[[], None], delete: Callable[[], None]
) -> None:
    """The keys every item list has, while ``table`` has focus: Insert adds, Return edits,
    Delete deletes."""
    for key, slot in (
        (Qt.Key.Key_Insert, add),
        (Qt.Key.Key_Return, edit),
        (Qt.Key.Key_Delete, delete),
    ):
        shortcut = QShortcut(QKeySequence(key), table)
        shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
        shortcut.activated.connect(slot)


class ItemSection(QWidget):
    """Title, Add / Edit / Delete buttons and the table of one kind of item."""

    #: The selected item's row dict, or None.
    selection_changed = Signal(object)

    def __init__(self, ctx: AppContext, spec: SectionSpec, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.spec = spec
        self.account_id: str | None = None
        self.account_name = ""
        self.model = ItemTableModel(spec, ctx.today, self)
        self.model.toggled.connect(self._toggle)

        title = QLabel(spec.title, self)
        title.setProperty("role", "section")
        self.count = QLabel(self)
        self.count.setProperty("role", "caption")
        self.add_button = self._button("add", f"Add {spec.noun}", self.add)
        self.edit_button = self._button("edit", f"Edit {spec.noun}", self.edit)
        self.delete_button = self._button("delete", f"Delete {spec.noun}", self.delete)
        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        bar.addWidget(title)
        bar.addWidget(self.count)
        bar.addStretch(1)
        self.extra_bar = bar
        bar.addWidget(self.add_button)
        bar.addWidget(self.edit_button)
        bar.addWidget(self.delete_button)

        self.table = QTableView(self)
        self.table.setObjectName(f"table_{spec.kind}")
        self.table.setModel(self.model)
        self.table.setShowGrid(False)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        read_only_list(self.table)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setStretchLastSection(True)
        for n, column in enumerate(spec.columns):
            if column.width:
                header.setSectionResizeMode(n, QHeaderView.ResizeMode.Interactive)
                self.table.setColumnWidth(n, column.width)
        self.table.doubleClicked.connect(self._on_double_click)
        self.table.clicked.connect(self._on_click)
        self.table.selectionModel().selectionChanged.connect(self._on_selection)
        self.table.setAccessibleName(spec.title)
        add_item_keys(self.table, self.add, self.edit, self.delete)

        self.empty = QLabel(spec.empty_text, self)
        self.empty.setProperty("role", "caption")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty)
        ctx.events.changed.connect(self._on_changed)
        self._update_buttons()

    def _button(self, name: str, tip: str, slot: Callable[[], None]) -> QToolButton:
        button = QToolButton(self)
        button.setIcon(icon(name))
        button.setToolTip(tip)
        button.setAccessibleName(tip)
        button.setAutoRaise(True)
        button.clicked.connect(slot)
        return button

    # ------------------------------------------------------------------ data
    def set_account(self, account_id: str | None, account_name: str = "") -> None:
        self.account_id = account_id
        self.account_name = account_name
        self.reload()

    def reload(self) -> None:
        if self.account_id is None:
            self.model.set_items([])
        else:
            with self.ctx.store.read() as session:
                rows = work_items.list_items(session, self.spec.kind, self.account_id)
            if self.spec.row_filter is not None:
                rows = self.spec.row_filter(rows)
            self.model.set_items(rows)
        n = len(self.model.items)
        self.count.setText(f"{n}" if n else "")
        self.empty.setVisible(n == 0)
        self.table.setVisible(n > 0)
        self._update_buttons()

    def _on_changed(self, changes: ChangeSet) -> None:
        shows = (work_items.change_kind(self.spec.kind), *self.spec.extra.get("refresh_on", ()))
        if self.account_id is not None and changes.touches(*shows, account_id=self.account_id):
            selected = self.selected()
            self.reload()
            if selected is not None:
                self.select_item(selected["id"])

    def selected(self) -> dict[str, Any] | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        return self.model.items[rows[0].row()]

    def select_item(self, item_id: str) -> None:
        for n, row in enumerate(self.model.items):
            if row["id"] == item_id:
                self.table.selectRow(n)
                return

    def _on_click(self, index: QModelIndex) -> None:
        """One click on a Shared/Internal mark switches the item's visibility."""
        column = self.spec.columns[index.column()]
        if column.kind == "visibility" and index.row() < len(self.model.items):
            row = self.model.items[index.row()]
            self._toggle(row, column.key, not row.get(column.key))

    def _on_double_click(self, index: QModelIndex) -> None:
        # The visibility mark is a one-click toggle: a double click there is two toggles,
        # not an edit.
        if self.spec.columns[index.column()].kind != "visibility":
            self.edit()

    def _on_selection(self) -> None:
        self._update_buttons()
        self.selection_changed.emit(self.selected())

    def _update_buttons(self) -> None:
        has = self.selected() is not None
        self.add_button.setEnabled(self.account_id is not None)
        self.edit_button.setEnabled(has)
        self.delete_button.setEnabled(has)

    # ------------------------------------------------------------------ edits
    def _choices(self) -> dict[str, list[tuple[Any, str]]]:
        out: dict[str, list[tuple[Any, str]]] = {}
        for spec in self.spec.fields:
            if spec.choices is not None and self.account_id is not None:
                out[spec.name] = list(spec.choices(self.ctx, self.account_id))
        return out

    def add(self) -> None:
        if self.account_id is None:
            return
        values = ask_new_item(self, self.ctx, self.spec, self.account_id, self._choices())
        if values is not None:
            self.create(values)

    def create(self, values: dict[str, Any]) -> str:
        """Push the create command for ``values`` (plus the section's defaults)."""
        assert self.account_id is not None
        merged = {**self.spec.defaults(self.ctx, self.account_id), **values}
        transform = self.spec.extra.get("transform")
        if transform is not None:
            merged = transform(merged)
        before = self.spec.extra.get("before_create")
        after = self.spec.extra.get("after_create")
        label = merged.get(self.spec.label_key) or self.spec.noun
        stack = self.ctx.undo_stack
        hooks = before is not None or after is not None
        if hooks:
            stack.beginMacro(f"add {label}")
        if before is not None:
            merged = before(self, merged)
        command = CreateItemCommand(self.ctx, self.spec.kind, strip_extra(merged), f"add {label}")
        push_edit(self.ctx, command, self)
        if after is not None:
            after(self, command.item_id, merged)
        if hooks:
            stack.endMacro()
        self.select_item(command.item_id)
        return command.item_id

    def edit(self) -> None:
        row = self.selected()
        if row is not None and self.account_id is not None:
            edit_item(self, self.ctx, self.spec, row, self._choices())

    def delete(self) -> None:
        row = self.selected()
        if row is not None and self.account_id is not None:
            delete_item(self, self.ctx, self.spec, row)

    def _toggle(self, row: dict[str, Any], key: str, checked: bool) -> None:
        if self.account_id is None:
            return
        if key == "shared":
            verb = "share" if checked else "make internal"
        else:
            verb = "tick off" if checked else "reopen"
        update_item(self, self.ctx, self.spec, row, {key: checked}, verb)


def _when_text(value: datetime, all_day: bool) -> str:
    """A touchpoint's day, and its local time as the locale writes it unless it is all day."""
    local = touchpoint_local(value, all_day, local_zone())
    if not isinstance(local, datetime):
        return f"{local:%d %b %Y}"
    return f"{local:%d %b %Y}  {time_text(local.time())}"
