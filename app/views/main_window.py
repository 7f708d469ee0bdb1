"""The main window: account tree docked left, the account workspace or Today in the centre.

Its menus and toolbar are built in ``main_window_menus``; its File menu's handlers are
``main_window_files`` (both mixed into ``MainWindow``, so every action's handler is a method).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QDockWidget,
    QLabel,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app import __version__
from app.models.changes import ChangeKind, ChangeSet
from app.models.store import Store
from app.views import window_fit
from app.views.action_binding import bind_scope, build_actions
from app.views.context import AppContext
from app.views.elided import ElidedLabel
from app.views.home import HOME_VIEWS
from app.views.icons import icon
from app.views.main_window_files import WorkspaceFiles
from app.views.main_window_menus import WindowMenus
from app.views.opening_status import OpeningStatus
from app.views.settings import WindowSettings
from app.views.tree.panel import AccountTreePanel, AfterFirstPaint

if TYPE_CHECKING:
    from app.views.account.workspace import AccountWorkspace

#: Width the account workspace keeps beside a default-width Accounts dock: its tab bar,
#: the Overview's five figure cards and the map's toolbar still read at 1366x768.
CENTRE_ROOM = 861


class MainWindow(WindowMenus, WorkspaceFiles, QMainWindow):
    """Fieldbook's main window on one open workspace (it can switch to another)."""

    def __init__(
        self,
        store: Store,
        parent: QWidget | None = None,
        *,
        settings: WindowSettings | None = None,
        today: date | None = None,
        rest_after_paint: bool = False,
    ) -> None:
        """``rest_after_paint`` (``fieldbook gui``): the first paint shows the chrome and the
        populated tree; Today, the account workspace and what watches the workspace are built
        right after it (``build_rest``), so SQLAlchemy and the services load only then."""
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.setWindowIcon(icon("fieldbook", "#2563eb"))
        self.settings = settings or WindowSettings()
        self._today = today
        self.actions_by_id = build_actions(self)
        self._build_menus()
        self._build_toolbar()
        self.status_name = ElidedLabel(parent=self)
        self.status_name.setMaximumWidth(320)
        self.status_counts = QLabel(self)
        self.statusBar().addPermanentWidget(self.status_counts)
        self.statusBar().addPermanentWidget(self.status_name)
        self.opening_status = OpeningStatus(
            self._workspace_damaged, self, on_writable=self._start_due_plays
        )
        self.statusBar().addPermanentWidget(self.opening_status)

        self.dock = QDockWidget("Accounts", self)
        self.dock.setObjectName("accountsDock")
        self.dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetMovable
            | QDockWidget.DockWidgetFeature.DockWidgetClosable
        )
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.dock)
        toggle = self.actions_by_id["toggle_tree"]
        self.dock.visibilityChanged.connect(toggle.setChecked)

        self.stack = QStackedWidget(self)
        self.setCentralWidget(self.stack)
        self.ctx: AppContext
        self.tree: AccountTreePanel
        self.home: QTabWidget
        self.workspace: AccountWorkspace
        self._install(store, rest_after_paint=rest_after_paint)

        geometry = self.settings.geometry
        area = window_fit.available_area(self)
        if geometry is None or not self.restoreGeometry(geometry):
            # Fit the screen it opens on: a fixed 1366x800 hung off a 1366x768 laptop.
            self.setGeometry(window_fit.opening_geometry(area))
        else:
            window_fit.fit_into(self, area)
        state = self.settings.window_state
        if state is not None:
            self.restoreState(state)
        else:
            self.resizeDocks([self.dock], [self.default_dock_width()], Qt.Orientation.Horizontal)
        self.tree.filter_edit.setFocus(Qt.FocusReason.OtherFocusReason)

    def default_dock_width(self) -> int:
        """The Accounts dock's width without a saved layout: 37% of the window, or more where
        the tree needs it for a long account name and the account workspace still keeps
        ``CENTRE_ROOM``: 579 instead of 532 pixels in a 1440-pixel window; at 1366 and 1920 it
        is the 37%. Never under 480."""
        width = self.width()
        wanted = min(self.tree.preferred_width(), width - CENTRE_ROOM)
        return max(480, int(width * 0.37), wanted)

    # ------------------------------------------------------------------ building
    def _install(self, store: Store, *, rest_after_paint: bool = False) -> None:
        """Build the per-workspace parts (tree, Today, account workspace) on ``store``."""
        old = getattr(self, "ctx", None)
        self._rest_built = False
        if getattr(self, "remote", None) is not None:
            self.remote.stop()
        if getattr(self, "replica", None) is not None:
            self.replica.stop()
            self.replica.label.deleteLater()
            self.replica.deleteLater()
        self.ctx = AppContext(store=store, today=self._today or date.today())
        self.ctx.undo_stack.setUndoLimit(500)
        # The stack (and its signals to our actions) lives and dies with the window.
        self.ctx.undo_stack.setParent(self)
        self.ctx.events.setParent(self)
        if old is not None:
            for widget in (self.tree, self.home, getattr(self, "workspace", None)):
                if widget is not None:
                    widget.deleteLater()
            old.undo_stack.clear()
            old.undo_stack.deleteLater()
            old.close()
            old.events.deleteLater()
            old.store.close()
        self.tree = AccountTreePanel(self.ctx, self.dock)
        self.dock.setWidget(self.tree)
        self.home = QTabWidget(self.stack)
        self.home.setDocumentMode(True)
        self.home.setTabBarAutoHide(True)
        self._home_classes = list(HOME_VIEWS)
        self._home_built: dict[int, QWidget] = {}
        for cls in self._home_classes:
            title = str(cls.title)
            name = getattr(cls, "icon_name", "") or "today"
            holder = QWidget(self.home)
            QVBoxLayout(holder).setContentsMargins(0, 0, 0, 0)
            self.home.addTab(holder, icon(name), title)
        while (shown := self.stack.widget(0)) is not None:
            self.stack.removeWidget(shown)
        self.stack.addWidget(self.home)

        stack = self.ctx.undo_stack
        undo, redo = self.actions_by_id["undo"], self.actions_by_id["redo"]
        stack.canUndoChanged.connect(undo.setEnabled)
        stack.canRedoChanged.connect(redo.setEnabled)
        stack.undoTextChanged.connect(lambda t: self._label_undo(undo, "Undo", t))
        stack.redoTextChanged.connect(lambda t: self._label_undo(redo, "Redo", t))
        undo.setEnabled(False)
        redo.setEnabled(False)
        self._label_undo(undo, "Undo", "")
        self._label_undo(redo, "Redo", "")
        self.tree.counts_changed.connect(self._on_counts)

        key = self.workspace_key()
        self.tree.restore_header(self.settings.tree_header)
        self.tree.load(self.settings.expanded(key))
        self.setWindowTitle(f"{store.name} — Fieldbook")
        self.status_name.tip = str(store.path or store.url)
        self.status_name.set_full_text(f"  {store.name}  ")
        if store.path is not None:
            self.settings.remember_workspace(str(store.path))
        self.opening_status.watch(store)
        self._enable_account_actions(False)
        if rest_after_paint:
            AfterFirstPaint(self, self.build_rest)
        else:
            self.build_rest()

    def build_rest(self) -> None:
        """What the first paint does without: Today, the account workspace, the tree's
        context menu and keys, and what watches the workspace (backups, a team server's
        changes, a replica's syncs); then the account open last time."""
        if self._rest_built:
            return
        self._rest_built = True
        from app.views.account.tabs import ACCOUNT_TABS
        from app.views.account.workspace import AccountWorkspace
        from app.views.backups import BackupTimer

        self._home_view(0)
        self.home.currentChanged.connect(self._home_view)
        self.workspace = AccountWorkspace(self.ctx, ACCOUNT_TABS, self.stack)
        self.stack.addWidget(self.workspace)

        self.backup_timer = BackupTimer(self.ctx, parent=self.tree)
        self.backup_timer.backed_up.connect(
            lambda path: self.statusBar().showMessage(f"Backed up to {path}", 8000)
        )
        self.backup_timer.failed.connect(lambda text: self.statusBar().showMessage(text, 15000))
        self.tree.set_context_actions(self._context_actions())
        bind_scope(self.tree, "tree", self.actions_by_id)
        self.tree.account_selected.connect(self._on_account_selected)
        self.tree.account_activated.connect(self._on_account_activated)
        self.workspace.tab_changed.connect(self._remember_tab)
        self.ctx.events.open_account.connect(self.open_account)
        self.ctx.events.changed.connect(self._on_changed)
        from app.views.remote import RemoteChangesBridge

        # A team workspace: other people's commits refresh what they touched.
        self.remote = RemoteChangesBridge(self.ctx, self)
        from app.views.sync_status import ReplicaStatus

        # A laptop replica: its state in the status bar, synced every few minutes.
        self.replica = ReplicaStatus(self.ctx, self)

        key = self.workspace_key()
        last = self.settings.last_account(key)
        if last and self.tree.select(last):
            tab = self.settings.last_tab(key)
            if tab:
                self.workspace.show_tab(tab)
        else:
            self._on_account_selected(None)

    def _home_view(self, index: int) -> QWidget:
        """The home view at ``index``, built the first time it is shown."""
        view = self._home_built.get(index)
        if view is None:
            holder = self.home.widget(index)
            assert holder is not None
            view = self._home_classes[index](self.ctx, holder)
            layout = holder.layout()
            assert layout is not None
            layout.addWidget(view)
            self._home_built[index] = view
        return view

    def workspace_key(self) -> str:
        return str(self.ctx.store.path or self.ctx.store.url)

    # ------------------------------------------------------------------ navigation
    def current_account(self) -> str | None:
        return self.workspace.account_id if self.stack.currentWidget() is self.workspace else None

    def _on_account_selected(self, account_id: object) -> None:
        has = isinstance(account_id, str)
        self._enable_account_actions(has)
        if isinstance(account_id, str):
            self.workspace.set_account(account_id)
            self.stack.setCurrentWidget(self.workspace)
        else:
            self.workspace.set_account(None)
            self.stack.setCurrentWidget(self.home)
        self.settings.set_last_account(
            self.workspace_key(), account_id if isinstance(account_id, str) else None
        )

    def _on_account_activated(self, account_id: str) -> None:
        self.workspace.tabs.setFocus()

    def open_account(self, account_id: object, tab: str = "") -> None:
        """Show an account (clearing a filter that hides it) at the tab titled ``tab``."""
        if not isinstance(account_id, str):
            return
        if not self.tree.select(account_id):
            self.tree.filter_edit.clear()
            for button in self.tree.quick_buttons.values():
                button.setChecked(False)
            self.tree.owner_box.setCurrentIndex(0)
            self.tree.segment_box.setCurrentIndex(0)
            self.tree.select(account_id)
        if tab:
            self.workspace.show_tab(tab)

    def _remember_tab(self, title: str) -> None:
        self.settings.set_last_tab(self.workspace_key(), title)

    def _on_counts(self, shown: int, total: int) -> None:
        if shown == total:
            self.status_counts.setText(f"{total:,} accounts")
        else:
            self.status_counts.setText(f"{shown:,} of {total:,} accounts shown")

    def _on_changed(self, changes: ChangeSet) -> None:
        shown = self.workspace.account_id
        if shown is not None and changes.touches(ChangeKind.ACCOUNT, account_id=shown):
            from app.services import accounts

            with self.ctx.store.read() as session:
                exists = bool(accounts.load_rows_for(session, [shown]))
            if not exists:
                self.tree.select(None)
                self._on_account_selected(None)

    # ------------------------------------------------------------------ action handlers
    def undo(self) -> None:
        self.ctx.undo_stack.undo()

    def redo(self) -> None:
        self.ctx.undo_stack.redo()

    def find_account(self) -> None:
        self.dock.show()
        self.tree.focus_filter()

    def show_home(self) -> None:
        self.tree.select(None)
        self._on_account_selected(None)

    def toggle_tree(self) -> None:
        self.dock.setVisible(not self.dock.isVisible())

    def expand_all(self) -> None:
        self.tree.model.expand_all()

    def collapse_all(self) -> None:
        self.tree.model.collapse_all()

    def refresh(self) -> None:
        self.ctx.store.reread()
        self.workspace.set_account(self.workspace.account_id)

    def new_account(self) -> None:
        self.tree.new_account(None)

    def _on_current(self, act: Callable[[str], object]) -> None:
        """Do ``act`` to the account selected in the tree, if there is one."""
        current = self.tree.current_id()
        if current:
            act(current)

    def new_child_account(self) -> None:
        self._on_current(self.tree.new_account)

    def open_current_account(self) -> None:
        self._on_current(lambda account_id: self.open_account(account_id, "Overview"))

    def rename_account(self) -> None:
        self._on_current(self.tree.rename)

    def delete_account(self) -> None:
        self._on_current(self.tree.delete)

    def about(self) -> None:
        QMessageBox.about(
            self,
            "About Fieldbook",
            f"<h3>Fieldbook {__version__}</h3>"
            "<p>The offline workbench for customer success managers: accounts, renewals, "
            "stakeholders, health and QBRs, on your laptop.</p>",
        )

    # ------------------------------------------------------------------ settings
    def _save_state(self) -> None:
        key = self.workspace_key()
        self.settings.geometry = self.saveGeometry()
        self.settings.window_state = self.saveState()
        self.settings.tree_header = self.tree.header_state()
        self.settings.set_expanded(key, self.tree.model.expanded_ids())
        self.settings.set_last_account(key, self.tree.current_id())
        self.settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._rest_built:
            self.remote.stop()
            self.replica.stop()
        self._save_state()
        super().closeEvent(event)
