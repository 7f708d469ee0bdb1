"""The main window's File menu: workspaces (new, open, recent, demo, team, a damaged one),
import, backups and restore, exchange rates, exports, and the plays due when a workspace opens."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt

from app import paths
from app.models.errors import WorkspaceDamagedError, WorkspaceError
from app.models.opening import open_workspace
from app.models.store import Store
from app.views import dialogs
from app.views.menu_text import literal
from app.views.opening_status import offer_recovery

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMainWindow as _Window
    from PySide6.QtWidgets import QMenu, QWidget

    from app.views.account.workspace import AccountWorkspace
    from app.views.context import AppContext
    from app.views.settings import WindowSettings
    from app.views.tree.panel import AccountTreePanel
else:
    _Window = object


class WorkspaceFiles(_Window):
    """Mixed into ``MainWindow``: the handlers its File actions name (``app.views.actions``)."""

    # What it uses of the window (``main_window``, ``main_window_menus``).
    ctx: AppContext
    settings: WindowSettings
    tree: AccountTreePanel
    workspace: AccountWorkspace
    recent_menu: QMenu
    _home_built: dict[int, QWidget]

    if TYPE_CHECKING:

        def _install(self, store: Store, *, rest_after_paint: bool = False) -> None: ...
        def _save_state(self) -> None: ...

    def new_workspace(self) -> None:
        path = dialogs.ask_save_path(self, "New workspace", str(paths.user_data_dir()))
        if path:
            self.switch_workspace(path, create=True)

    def open_workspace(self) -> None:
        path = dialogs.ask_open_path(self, "Open workspace", str(paths.user_data_dir()))
        if path:
            self.switch_workspace(path)

    def load_demo(self) -> None:
        from app.views.app import open_for_gui

        try:
            store = open_for_gui(None, demo=True)
        except (WorkspaceError, ImportError) as exc:
            dialogs.tell(self, "Demo data", f"The demo workspace cannot be opened: {exc}")
            return
        self._save_state()
        self._install(store)

    def connect_team(self) -> None:
        """File > Connect to team workspace: open a workspace on a PostgreSQL server."""
        from app.views.connect_dialog import ask_team_workspace

        opened = ask_team_workspace(self, self.settings.team_connection)
        if opened is None:
            return
        store, address = opened
        self.settings.team_connection = address
        self._save_state()
        self._install(store)

    def switch_workspace(self, path: str, create: bool = False) -> bool:
        """Close this workspace and open ``path`` (undo history is per workspace)."""
        try:
            store = open_workspace(path, create=create, check_in_background=True)
        except WorkspaceError as exc:
            dialogs.tell(self, "Cannot open workspace", str(exc))
            return False
        self._save_state()
        self._install(store)
        return True

    def _workspace_damaged(self, error: WorkspaceDamagedError) -> None:
        """The opening check found damage: nothing was written; offer a backup."""
        offer_recovery(error, self.ctx.store, self._install, self)

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        current = str(self.ctx.store.path or "")
        recent = [p for p in self.settings.recent_workspaces if p != current]
        for path in recent:
            action = self.recent_menu.addAction(literal(Path(path).name))
            action.setToolTip(path)
            action.setStatusTip(path)
            action.triggered.connect(lambda _c=False, p=path: self.switch_workspace(p))
        if not recent:
            empty = self.recent_menu.addAction("No other recent workspaces")
            empty.setEnabled(False)

    def import_file(self, path: str | None = None) -> None:
        """File > Import: the CRM import wizard; the tree reloads once it commits."""
        from app.views.import_wizard import run_import_wizard

        run_import_wizard(self.ctx, self, path, before_commit=self._backup_before_import)

    def _backup_before_import(self) -> None:
        """A verified backup of the book before an import writes to it."""
        from app.services.backup import make_backup

        if self.ctx.store.path is not None:
            make_backup(self.ctx.store, "import")

    def open_backups(self) -> None:
        """File > Backups: back up now or restore (a restore reloads every view)."""
        from app.views.backups import BackupsDialog

        dialog = BackupsDialog(self.ctx, self)
        dialog.restored.connect(lambda _r: self._after_restore())
        dialog.exec()

    def open_exchange_rates(self) -> None:
        """File > Currency & Exchange Rates: the reporting currency and its rates."""
        from app.views.exchange_rates import ExchangeRatesDialog

        dialog = ExchangeRatesDialog(self.ctx, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.rates_dialog = dialog
        dialog.open()

    def _after_restore(self) -> None:
        # The undo history refers to rows the restore replaced.
        self.ctx.undo_stack.clear()
        self.workspace.set_account(self.workspace.account_id)

    def export_qbr(self) -> None:
        current = self.tree.current_id()
        if current:
            from app.views.qbr_export_dialog import open_qbr_export

            self.qbr_dialog = open_qbr_export(self.ctx, current, self)

    def export_report(self) -> None:
        from app.views.export_actions import export_report_interactive

        export_report_interactive(self.ctx, self)

    def _start_due_plays(self, store: Store) -> None:
        """Renewals now 120 days out start their play (once per term), as the daily sweep
        (`fieldbook playbooks sweep`) does: each time a workspace becomes writable."""
        ctx = getattr(self, "ctx", None)
        if ctx is None or store is not ctx.store or store.read_only:
            return  # another workspace was opened meanwhile, or this one is read-only
        from sqlalchemy.exc import SQLAlchemyError

        from app.services.play_triggers import renewal_checkpoints

        try:
            with store.session() as session:
                started = renewal_checkpoints(session, self.ctx.today)
        except (WorkspaceError, SQLAlchemyError):
            return  # e.g. a team workspace where these accounts are not ours to change
        if started:
            count = len(started)
            self.statusBar().showMessage(
                f"{count} renewal play{'s' if count != 1 else ''} started (120 days out).", 15000
            )

    def export_calendar(self) -> None:
        from app.views.calendar import CalendarView, export_calendar_interactively
        from app.views.playbooks.my_book import current_me

        # "My book": the feed holds the owner the calendar shows (the user's accounts until
        # they pick the whole team there), or the user's own before the calendar was opened.
        shown = [v for v in self._home_built.values() if isinstance(v, CalendarView)]
        owner = shown[0].owner_box.currentData() if shown else (current_me() or None)
        export_calendar_interactively(self.ctx, self, owner=owner)
