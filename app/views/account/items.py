"""A titled table of one kind of item (contracts, risks, tasks...) with add / edit / delete."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QLabel, QTableView, QToolButton, QVBoxLayout, QWidget

from app.models.changes import ChangeSet
from app.services import work_items
from app.views.account.item_edits import (
    ask_new_item,
    delete_item,
    edit_item,
    strip_extra,
    update_item,
)
from app.views.account.item_table import ItemTableModel, SectionSpec
from app.views.account_edits import CreateItemCommand
from app.views.context import AppContext
from app.views.icons import icon
from app.views.table_base import ColumnFit, read_only_list
from app.views.undo import push_edit


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
        # Dates, states and figures whole; the texts share the rest, eliding (their tooltip
        # has them whole): fixed widths cut "Customer project lead" with room to spare.
        texts = [n for n, column in enumerate(spec.columns) if column.kind in ("text", "list")]
        ColumnFit(self.table, names=texts)
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
            self.create_item(values)

    def create_item(self, values: dict[str, Any]) -> str:
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
