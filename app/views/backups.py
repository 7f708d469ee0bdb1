"""File > Backups... and the backup timer.

Standalone widgets: the main window puts ``BackupsDialog`` under File > Backups... and runs a
``BackupTimer`` for the 30-minute backups; what happens when a workspace cannot be opened
(damaged, locked) is ``app.views.recovery``. Every modal question goes through
``ask``/``inform`` so tests can answer them.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.models.backup_folder import BackupInfo, backups_dir, list_backups
from app.models.changes import ChangeSet
from app.models.errors import BackupError, WorkspaceError
from app.services import dates_text
from app.services.backup import BackupScheduler, human_size, make_backup
from app.views.context import AppContext
from app.views.dialogs import ask, button_row
from app.views.dialogs import tell as inform
from app.views.table_base import RowTableModel, fit_columns, read_only_list


def describe_when(moment: datetime, now: datetime | None = None) -> str:
    """``2026-11-22 13:04 (25 minutes ago)`` in local time."""
    now = now or datetime.now(UTC)
    seconds = max(0, int((now - moment).total_seconds()))
    if seconds < 60:
        ago = "just now"
    else:
        for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
            if seconds >= size:
                count = seconds // size
                ago = f"{count} {unit}{'s' if count != 1 else ''} ago"
                break
    return f"{dates_text.moment(moment)} ({ago})"


#: What each backup reason means to a user.
REASONS = {
    "open": "When opened",
    "scheduled": "Every 30 minutes",
    "manual": "Backed up by you",
    "before-upgrade": "Before an upgrade",
    "before-import": "Before an import",
    "import": "Before an import",
}


class BackupListModel(RowTableModel[BackupInfo]):
    """The backups of one workspace, newest first: date, size, why."""

    DATE, SIZE, REASON = range(3)
    HEADERS = ("Date", "Size", "Made")
    PathRole = Qt.ItemDataRole.UserRole + 1

    def cell(self, info: BackupInfo, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.DATE:
                return describe_when(info.created)
            if column == self.SIZE:
                return human_size(info.size)
            if column == self.REASON:
                return REASONS.get(info.reason, info.reason.replace("-", " ").capitalize())
        if role == Qt.ItemDataRole.ToolTipRole:
            return str(info.path)
        if role == Qt.ItemDataRole.TextAlignmentRole and column == self.SIZE:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == self.PathRole:
            return str(info.path)
        return None


class BackupsDialog(QDialog):
    """File > Backups...: the workspace's backups with dates and sizes, back up, restore."""

    #: Emitted after a restore with the ``RestoreResult``; views reload everything.
    restored = Signal(object)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(f"Backups — {ctx.store.name}")
        self.model = BackupListModel(self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        read_only_list(self.table)
        fit_columns(self.table.horizontalHeader(), BackupListModel.DATE)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.backup_button = QPushButton("Back up now", self)
        self.restore_button = QPushButton("Restore…", self)
        self.folder_button = QPushButton("Show folder", self)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        buttons = button_row(
            self.backup_button, self.restore_button, self.folder_button, right=[close]
        )
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.backup_button.clicked.connect(self.back_up_now)
        self.restore_button.clicked.connect(self.restore_selected)
        self.folder_button.clicked.connect(self.show_folder)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.table.doubleClicked.connect(lambda _index: self.restore_selected())
        read_only = ctx.store.read_only or ctx.store.path is None
        self.backup_button.setEnabled(ctx.store.path is not None)
        self._read_only = read_only
        self.resize(560, 380)
        self.refresh()

    @property
    def workspace(self) -> Path:
        path = self.ctx.store.path
        assert path is not None
        return path

    def refresh(self) -> None:
        """Reload the list from the backups folder and select the newest backup."""
        if self.ctx.store.path is None:
            self.model.set_rows([])
            self.summary.setText("This workspace lives on a database server; back it up there.")
            self._update_buttons()
            return
        backups = list_backups(self.workspace)
        self.model.set_rows(backups)
        folder = backups_dir(self.workspace)
        if backups:
            newest = describe_when(backups[0].created)
            self.summary.setText(
                f"{len(backups)} backup{'s' if len(backups) != 1 else ''} in {folder}. "
                f"The newest is from {newest}. Fieldbook "
                "backs up when the workspace opens, every 30 minutes while you work, and "
                "before upgrades and imports; older backups are thinned to one a day, week "
                "and month."
            )
            self.table.selectRow(0)
        else:
            self.summary.setText(f"No backups yet. They will be kept in {folder}.")
        self._update_buttons()

    def _update_buttons(self) -> None:
        selected = self.selected_backup() is not None
        self.restore_button.setEnabled(selected and not self._read_only)
        if self._read_only:
            self.restore_button.setToolTip("Opened read-only: restore from the window that has it.")

    def selected_backup(self) -> BackupInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def back_up_now(self) -> None:
        try:
            make_backup(self.ctx.store, "manual")
        except BackupError as exc:
            inform(self, "Backup failed", str(exc))
        self.refresh()

    def restore_selected(self) -> None:
        info = self.selected_backup()
        if info is None or self._read_only:
            return
        when = describe_when(info.created)
        question = (
            f"Restore the backup from {when}?\n\nChanges made after it will be gone from the "
            "workspace. The current workspace file is kept beside it under a new name, so "
            "nothing is deleted."
        )
        if not ask(self, "Restore backup", question, "Restore"):
            return
        try:
            result = self.ctx.store.restore(info.path)
        except WorkspaceError as exc:
            inform(self, "Restore failed", str(exc))
            return
        # Undo commands refer to rows of the replaced file (the store announced the restore).
        self.ctx.undo_stack.clear()
        self.restored.emit(result)
        self.refresh()
        kept = (
            f" The previous file was kept as {result.kept_aside.name}." if result.kept_aside else ""
        )
        inform(self, "Restored", f"The workspace is back as it was on {when}.{kept}")

    def show_folder(self) -> None:
        folder = backups_dir(self.workspace)
        folder.mkdir(mode=0o700, exist_ok=True)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))


class BackupTimer(QObject):
    """Backs up every 30 minutes while there are changes (drives a ``BackupScheduler``)."""

    backed_up = Signal(object)
    failed = Signal(str)

    def __init__(
        self,
        ctx: AppContext,
        scheduler: BackupScheduler | None = None,
        check_every_ms: int = 60_000,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.scheduler = scheduler or BackupScheduler()
        ctx.events.changed.connect(self._changed)
        self.timer = QTimer(self)
        self.timer.setInterval(check_every_ms)
        self.timer.timeout.connect(self.check)
        if ctx.store.path is not None and not ctx.store.read_only:
            self.timer.start()

    def _changed(self, _changes: ChangeSet) -> None:
        self.scheduler.note_change()

    def check(self, now: datetime | None = None) -> Path | None:
        """Back up if due; returns the backup made (also announced by ``backed_up``)."""
        now = now or datetime.now(UTC)
        if not self.scheduler.due(now):
            return None
        try:
            made = make_backup(self.ctx.store, "scheduled")
        except BackupError as exc:
            # Try again at the next interval rather than every minute.
            self.scheduler.backed_up(now)
            self.scheduler.note_change(now)
            self.failed.emit(str(exc))
            return None
        self.scheduler.backed_up(now)
        self.backed_up.emit(made)
        return made
