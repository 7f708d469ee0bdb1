"""The account tree panel: filter box, quick filters, the tree, and its edits as undo commands."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QEvent, QModelIndex, QObject, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.models.changes import ChangeKind, ChangeSet
from app.services.labels import label_of
from app.services.tree_rows import book_rows
from app.views import dialogs
from app.views.context import AppContext
from app.views.icons import icon
from app.views.playbooks.my_book import default_to_my_book
from app.views.tree.model import AccountTreeModel
from app.views.tree.view import AccountTreeView
from app.views.tree.visible_rows import QUICK_FILTERS

if TYPE_CHECKING:
    from app.services.tree_rows import AccountRow

#: What a tree row shows besides the account itself: ARR, the next renewal, health.
_ROW_KINDS = (ChangeKind.CONTRACT, ChangeKind.RENEWAL, ChangeKind.HEALTH)


class AccountTreePanel(QWidget):
    """Filter, quick filters and the account tree; emits the account the user selects."""

    #: The current account id, or None when nothing is selected.
    account_selected = Signal(object)
    #: An account opened with Enter or a double-click.
    account_activated = Signal(str)
    #: Shown/total counts changed (for the status bar).
    counts_changed = Signal(int, int)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.model = AccountTreeModel(ctx.today, self)
        self.view = AccountTreeView(self.model, self)
        self._context_actions: list[QAction | None] = []
        self._champions_loaded = False

        self.filter_edit = QLineEdit(self)
        self.filter_edit.setObjectName("accountFilter")
        self.filter_edit.setPlaceholderText("Filter accounts")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.addAction(icon("find"), QLineEdit.ActionPosition.LeadingPosition)
        self.filter_edit.textChanged.connect(self._on_text)
        self.filter_edit.returnPressed.connect(self.view.setFocus)

        self.quick_buttons: dict[str, QToolButton] = {}
        quick_row = QHBoxLayout()
        quick_row.setContentsMargins(0, 0, 0, 0)
        quick_row.setSpacing(4)
        for quick in QUICK_FILTERS:
            button = QToolButton(self)
            button.setText(quick.label)
            button.setCheckable(True)
            button.setProperty("role", "chip")
            button.setObjectName(f"quick_{quick.key}")
            button.toggled.connect(self._on_quick)
            self.quick_buttons[quick.key] = button
            quick_row.addWidget(button)
        quick_row.addStretch(1)

        self.owner_box = QComboBox(self)
        self.owner_box.setObjectName("ownerFilter")
        self.owner_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.owner_box.currentIndexChanged.connect(self._on_owner)
        self.segment_box = QComboBox(self)
        self.segment_box.setObjectName("segmentFilter")
        self.segment_box.currentIndexChanged.connect(self._on_segment)
        pick_row = QHBoxLayout()
        pick_row.setContentsMargins(0, 0, 0, 0)
        pick_row.addWidget(self.owner_box, 1)
        pick_row.addWidget(self.segment_box, 1)

        self.count_label = QLabel(self)
        self.count_label.setProperty("role", "caption")
        self.empty_label = QLabel(
            "No accounts yet.\nAdd one with Account › New Account (Ctrl+Shift+N),\n"
            "or open the demo book with File › Load Demo Data.",
            self,
        )
        self.empty_label.setProperty("role", "caption")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        self.empty_label.hide()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 4)
        layout.setSpacing(4)
        layout.addWidget(self.filter_edit)
        layout.addLayout(quick_row)
        layout.addLayout(pick_row)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.empty_label, 1)
        layout.addWidget(self.count_label)

        delete_key = QShortcut(QKeySequence(Qt.Key.Key_Delete), self.view)
        delete_key.setContext(Qt.ShortcutContext.WidgetShortcut)
        delete_key.activated.connect(lambda: self.delete(self.current_id() or ""))
        self.view.selectionModel().currentRowChanged.connect(self._on_current)
        self.view.activated_account.connect(self.account_activated)
        self.view.customContextMenuRequested.connect(self._context_menu)
        self.model.rename_requested.connect(self.rename)
        self.model.move_requested.connect(self.reparent, Qt.ConnectionType.QueuedConnection)
        self.model.rowsInserted.connect(self._update_count)
        self.model.rowsRemoved.connect(self._update_count)
        self.model.modelReset.connect(self._update_count)
        ctx.events.changed.connect(self._on_changed)

    # ------------------------------------------------------------------ loading
    def load(self, expanded: Iterable[str] = ()) -> None:
        """Read the whole book: one plain row per account, trend included."""
        rows = book_rows(self.ctx.store)
        current = self.view.current_id()
        self.model.set_rows(rows, _trends(rows), expanded)
        # After the first paint: the arrays that make the first keystroke as fast as the rest
        # (a zero timer alone ran before the window's first paint, delaying it).
        AfterFirstPaint(self.view.viewport(), self._after_first_paint)
        self._champions_loaded = False
        self._fill_pickers()
        default_to_my_book(self.owner_box)  # "my book": the user's own accounts first
        if current:
            self.view.select_id(current)

    def _after_first_paint(self) -> None:
        self.model.prepare()

    def _fill_pickers(self) -> None:
        for box, first, values in (
            (self.owner_box, "All owners", self.model.owners()),
            (self.segment_box, "All segments", self.model.segments()),
        ):
            keep = box.currentData()
            box.blockSignals(True)
            box.clear()
            box.addItem(first, None)
            for value in values:
                box.addItem(label_of(value) if box is self.segment_box else value, value)
            found = box.findData(keep)
            box.setCurrentIndex(max(0, found))
            box.blockSignals(False)

    def set_context_actions(self, actions: list[QAction | None]) -> None:
        """Actions of the right-click menu (None draws a separator)."""
        self._context_actions = actions

    # ------------------------------------------------------------------ filtering
    def _on_text(self, text: str) -> None:
        self.model.set_filter(text=text)
        self._after_filter()

    def _on_quick(self) -> None:
        from app.services import accounts
        from app.services.cadence import overdue_account_ids

        wanted = [key for key, button in self.quick_buttons.items() if button.isChecked()]
        if "no_champion" in wanted and not self._champions_loaded:
            with self.ctx.store.read() as session:
                self.model.champion_ids = accounts.accounts_with_champion(session)
            self._champions_loaded = True
        if "review_overdue" in wanted:
            with self.ctx.store.read() as session:
                self.model.review_overdue_ids = overdue_account_ids(session, self.ctx.today)
        self.model.set_filter(quick=wanted)
        self._after_filter()

    def _on_owner(self) -> None:
        self.model.set_filter(owner=self.owner_box.currentData())
        self._after_filter()

    def _on_segment(self) -> None:
        self.model.set_filter(segment=self.segment_box.currentData())
        self._after_filter()

    def _after_filter(self) -> None:
        current = self.view.current_id()
        if current is not None and self.model.row_of(current) is not None:
            self.view.scrollTo(self.model.index(self.model.row_of(current) or 0, 0))
        self._update_count()

    def _update_count(self, *_args: object) -> None:
        total = len(self.model.rows)
        self.empty_label.setVisible(total == 0)
        self.view.setVisible(total > 0)
        shown = self.model.match_count()
        if self.model.filter_active():
            self.count_label.setText(f"{shown:,} of {total:,} accounts match")
        else:
            self.count_label.setText(f"{total:,} accounts")
        self.counts_changed.emit(shown, total)

    # ------------------------------------------------------------------ selection
    def _on_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self.account_selected.emit(self.view.current_id() if current.isValid() else None)

    def current_id(self) -> str | None:
        return self.view.current_id()

    def select(self, account_id: str | None) -> bool:
        return self.view.select_id(account_id)

    def focus_filter(self) -> None:
        self.filter_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.filter_edit.selectAll()

    def _context_menu(self, pos: QPoint) -> None:
        index = self.view.indexAt(pos)
        if index.isValid():
            self.view.setCurrentIndex(index)
        menu = QMenu(self)
        for action in self._context_actions:
            if action is None:
                menu.addSeparator()
            else:
                menu.addAction(action)
        menu.exec(self.view.viewport().mapToGlobal(pos))

    # ------------------------------------------------------------------ edits
    def name_of(self, account_id: str) -> str:
        row = self.model.rows.get(account_id)
        return row.name if row else "account"

    def new_account(self, parent_id: str | None) -> None:
        """Ask for a name, then add the account (under ``parent_id`` when given)."""
        from app.views.account_edits import CreateAccountCommand
        from app.views.undo import push_edit

        where = f" under {self.name_of(parent_id)}" if parent_id else ""
        name = dialogs.ask_text(self, "New account", f"Name of the new account{where}:")
        if not name:
            return
        command = CreateAccountCommand(self.ctx, name, parent_id)
        push_edit(self.ctx, command)
        self.view.select_id(command.account_id)

    def rename(self, account_id: str, name: str | None = None) -> None:
        from app.views.account_edits import UpdateAccountCommand
        from app.views.undo import push_edit

        old = self.name_of(account_id)
        if name is None:
            name = dialogs.ask_text(self, "Rename account", "New name:", old)
        if not name or name == old:
            return
        push_edit(
            self.ctx, UpdateAccountCommand(self.ctx, account_id, {"name": name}, f"rename {old}")
        )

    def delete(self, account_id: str) -> None:
        """Ask, naming what else goes, then delete (undoable)."""
        from app.services import accounts
        from app.views.account_edits import DeleteAccountCommand
        from app.views.undo import push_edit

        if account_id not in self.model.rows:
            return
        with self.ctx.store.read() as session:
            impact = accounts.deletion_impact(session, account_id)
        if not dialogs.ask(self, "Delete account", impact.sentence(), "Delete"):
            return
        push_edit(self.ctx, DeleteAccountCommand(self.ctx, account_id, impact.name))

    def reparent(self, account_id: str, new_parent_id: str | None) -> None:
        """Re-parent after a drop; refuses cycles with a message, ignores no-op drops."""
        from app.models import HierarchyCycleError
        from app.services import accounts
        from app.views.account_edits import ReparentCommand
        from app.views.undo import push_edit

        row = self.model.rows.get(account_id)
        if row is None or row.parent_id == new_parent_id:
            return
        try:
            with self.ctx.store.read() as session:
                accounts.check_reparent(session, account_id, new_parent_id)
        except HierarchyCycleError as exc:
            dialogs.tell(self, "Cannot move account", str(exc))
            return
        target = self.name_of(new_parent_id) if new_parent_id else "the top level"
        push_edit(
            self.ctx,
            ReparentCommand(self.ctx, account_id, new_parent_id, f"move {row.name} to {target}"),
        )
        self.view.select_id(account_id)

    # ------------------------------------------------------------------ change events
    def _on_changed(self, changes: ChangeSet) -> None:
        if ChangeKind.WORKSPACE in changes.kinds or (
            changes.book_wide and changes.touches(ChangeKind.ACCOUNT, *_ROW_KINDS)
        ):
            self.load(self.model.expanded_ids())
            return
        if changes.touches(ChangeKind.STAKEHOLDER):
            self._champions_loaded = False
            if self.quick_buttons["no_champion"].isChecked():
                self._on_quick()
        ids = sorted(changes.account_ids)
        if changes.touches(ChangeKind.ACCOUNT):
            # Names, parents and roll-ups: the accounts touched and everything under them.
            for account_id in ids:
                self._refresh_subtree(account_id)
        elif changes.touches(*_ROW_KINDS):
            self._refresh_rows(ids)
        else:
            return
        self._update_count()

    def _refresh_rows(self, ids: list[str]) -> None:
        from app.services import accounts

        with self.ctx.store.read() as session:
            rows = accounts.load_rows_for(session, ids)
        trends = _trends(rows)
        found = {r.id for r in rows}
        missing = [i for i in ids if i not in found]
        if missing:
            self.model.remove_accounts(missing)
        if rows:
            self.model.update_rows(rows, trends)

    def _refresh_subtree(self, account_id: str) -> None:
        from app.services import accounts
        from app.services.hierarchy import descendant_ids

        with self.ctx.store.read() as session:
            exists = accounts.load_rows_for(session, [account_id])
            ids = [account_id, *descendant_ids(session, account_id)] if exists else []
        if not ids:
            self.model.remove_accounts([account_id])
            return
        current = self.view.current_id()
        self._refresh_rows(ids)
        if current:
            self.view.select_id(current)
        if len(self.model.rows) and self.owner_box.count() <= 1:
            self._fill_pickers()

    # ------------------------------------------------------------------ settings
    def preferred_width(self) -> int:
        """The panel's width that shows a long account name whole in the tree."""
        layout = self.layout()
        assert layout is not None
        margins = layout.contentsMargins()
        return self.view.preferred_width() + margins.left() + margins.right()

    def header_state(self) -> QByteArray:
        return self.view.horizontalHeader().saveState()

    def restore_header(self, state: QByteArray | None) -> None:
        if state is not None:
            self.view.horizontalHeader().restoreState(state)
            self.view.owner_width_auto = False  # the user's layout, owner width included


class AfterFirstPaint(QObject):
    """Calls ``then`` once, on the turn of the event loop after ``widget``'s next paint."""

    def __init__(self, widget: QWidget, then: Callable[[], None]) -> None:
        super().__init__(widget)
        self._then = then
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self._then)
            self.deleteLater()
        return False


def _trends(rows: Iterable[AccountRow]) -> dict[str, float]:
    """The health trend each row carries (``app.services.health_trend``), where known."""
    return {row.id: row.health_trend for row in rows if row.health_trend is not None}
