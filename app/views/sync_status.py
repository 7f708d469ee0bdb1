"""A laptop replica in the window: its state in the status bar, Sync now, sync every few
minutes, and the review of conflicts (Keep mine / Take theirs, undoable like any edit).

The sync itself runs on a worker thread (it talks to the server); its result comes back as a
signal. What it changed reaches the views through the store's change feed, as every commit.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Qt, QThread, QTimer, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.models.errors import WorkspaceError
from app.services import dates_text, sync
from app.views import dialogs
from app.views.actions import ACTIONS
from app.views.context import AppContext
from app.views.table_base import read_only_list
from app.views.theme import message_label
from app.views.undo import EditCommand, push_edit

#: How often a replica syncs by itself while the window is open.
AUTO_SYNC_MS = 3 * 60 * 1000
#: The window's sync actions (app.views.actions), offered only on a replica.
SYNC_ACTIONS = ("sync", "sync_conflicts")
TIPS = {spec.id: spec.tip for spec in ACTIONS if spec.id in SYNC_ACTIONS}
#: Their tip where they are greyed out.
NOT_A_REPLICA = (
    "Only a laptop replica of a team workspace syncs; make one with "
    "fieldbook replica --from ADDRESS --db FILE."
)


class _SyncThread(QThread):
    """Runs one sync off the GUI thread."""

    done = Signal(object)
    failed = Signal(str)

    def __init__(self, ctx: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx

    def run(self) -> None:
        try:
            result = sync.sync(self.ctx.store)
        except WorkspaceError as exc:
            self.failed.emit(str(exc))
        else:
            self.done.emit(result)


class ReplicaStatus(QObject):
    """The replica's line in the status bar and its syncing (nothing for other workspaces)."""

    synced = Signal(object)
    sync_failed = Signal(str)

    def __init__(self, ctx: AppContext, window: Any) -> None:
        super().__init__(window)
        self.ctx = ctx
        self.window = window
        self.active = sync.state(ctx.store) is not None
        self.label = QLabel(window)
        self.label.setObjectName("replicaStatus")
        self.sync_thread: _SyncThread | None = None
        self.timer = QTimer(self)
        self.timer.setInterval(AUTO_SYNC_MS)
        self.timer.timeout.connect(self.sync_now)
        if self.active:
            window.statusBar().addPermanentWidget(self.label)
            ctx.events.changed.connect(self.refresh)
            self.timer.start()
            self.refresh()
        else:
            self.label.hide()
        self._offer_actions()

    def _offer_actions(self) -> None:
        """Sync and the conflicts review only on a replica; elsewhere greyed out, saying why
        (the File menu shows tips, so the reason is there on hover)."""
        actions = getattr(self.window, "actions_by_id", {})
        for action_id in SYNC_ACTIONS:
            action = actions.get(action_id)
            if action is None:
                continue
            tip = TIPS[action_id] if self.active else NOT_A_REPLICA
            action.setEnabled(self.active)
            action.setToolTip(tip)
            action.setStatusTip(tip)
            for menu in action.associatedObjects():
                if isinstance(menu, QMenu):
                    menu.setToolTipsVisible(True)

    @property
    def busy(self) -> bool:
        return self.sync_thread is not None

    def refresh(self, *_: object) -> None:
        state = sync.state(self.ctx.store) if self.active else None
        if state is None:
            return
        text = state.line()
        if self.busy:
            text = "Replica: syncing…"
        self._show(text)
        tip = f"Team workspace: {state.server}"
        if state.problem:
            tip += f"\nLast try: {state.problem}"
        self.label.setToolTip(tip)

    def sync_now(self) -> bool:
        """Start a sync on a worker thread; False when one is running or this is no replica."""
        if not self.active or self.busy:
            return False
        self.sync_thread = _SyncThread(self.ctx, self)
        self.sync_thread.done.connect(self._done)
        self.sync_thread.failed.connect(self._failed)
        self.sync_thread.finished.connect(self._finished)
        self.refresh_label_busy()
        self.sync_thread.start()
        return True

    def refresh_label_busy(self) -> None:
        self._show("Replica: syncing…")

    def _show(self, text: str) -> None:
        # Whole, even beside a long status message (the bar squeezes permanent widgets), and
        # placed now: a wider minimum grows the label where it stands, past the window's
        # right edge, until the bar lays its widgets out again.
        self.label.setText(text)
        self.label.setMinimumWidth(self.label.fontMetrics().horizontalAdvance(text) + 12)
        bar = self.window.statusBar()
        if bar.layout() is not None:
            bar.layout().activate()

    def _done(self, result: object) -> None:
        assert isinstance(result, sync.SyncResult)
        said = f"Synced: sent {result.pushed:,}, received {result.pulled:,}"
        if result.conflicts:
            count = len(result.conflicts)
            said += f"; {count} conflict{'s' if count != 1 else ''} to review"
            said += " (File > Review Sync Conflicts)"
        self.window.statusBar().showMessage(said + ".", 10000)
        self.synced.emit(result)

    def _failed(self, message: str) -> None:
        self.window.statusBar().showMessage(message, 15000)
        self.sync_failed.emit(message)

    def _finished(self) -> None:
        if self.sync_thread is not None:
            self.sync_thread.deleteLater()
        self.sync_thread = None
        self.refresh()

    def stop(self) -> None:
        self.timer.stop()
        if self.sync_thread is not None:
            self.sync_thread.wait()
            self.sync_thread = None


class ResolveConflictCommand(EditCommand):
    """Keep mine or take theirs for one conflict; undo puts the merged value back."""

    def __init__(self, ctx: AppContext, conflict: sync.Conflict, choice: str) -> None:
        verb = "keep mine" if choice == "mine" else "take theirs"
        super().__init__(ctx, f"{verb} for {conflict.record}")
        self.conflict_id = conflict.id
        self.choice = choice

    def apply(self) -> None:
        sync.resolve(self.ctx.store, self.conflict_id, self.choice)

    def revert(self) -> None:
        sync.reopen(self.ctx.store, self.conflict_id)


COLUMNS = ("Record", "Field", "Mine", "Theirs", "When", "Who", "What happened")


class ConflictsDialog(QDialog):
    """Every conflict to review, one row each, with Keep mine / Take theirs."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("Sync conflicts to review")
        self.setObjectName("conflictsDialog")
        self.resize(900, 420)
        layout = QVBoxLayout(self)
        self.intro = QLabel(self)
        self.intro.setWordWrap(True)
        layout.addWidget(self.intro)
        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setHorizontalHeaderLabels(COLUMNS)
        read_only_list(self.table)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        layout.addWidget(self.table)
        row = QHBoxLayout()
        self.keep = QPushButton("&Keep mine", self)
        self.take = QPushButton("&Take theirs", self)
        #: Why a choice was refused, in the theme's error colour (readable in either theme).
        self.problem = message_label(self)
        row.addWidget(self.keep)
        row.addWidget(self.take)
        row.addWidget(self.problem, 1)
        layout.addLayout(row)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.keep.clicked.connect(lambda: self._resolve("mine"))
        self.take.clicked.connect(lambda: self._resolve("theirs"))
        self.table.itemSelectionChanged.connect(self._selection)
        ctx.events.changed.connect(self.load)
        self.conflicts: list[sync.Conflict] = []
        self.load()

    def load(self, *_: object) -> None:
        self.conflicts = sync.conflicts(self.ctx.store)
        self.table.setRowCount(len(self.conflicts))
        for r, c in enumerate(self.conflicts):
            when = dates_text.moment(c.when) if c.when else ""
            cells = (c.record, c.field_words, c.mine, c.theirs, when, c.person, c.words)
            for col, value in enumerate(cells):
                item = QTableWidgetItem(value)
                item.setToolTip(c.reason or value)
                self.table.setItem(r, col, item)
        count = len(self.conflicts)
        self.intro.setText(
            "Nothing to review: every change met without a conflict."
            if not count
            else f"{count} value{'s' if count != 1 else ''} a sync did not keep. "
            "Keep yours or take the team's; "
            "the next sync sends your choice."
        )
        if count:
            self.table.selectRow(0)
        self._selection()

    def _selection(self) -> None:
        has = self.current() is not None
        self.keep.setEnabled(has)
        self.take.setEnabled(has)

    def current(self) -> sync.Conflict | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows or rows[0].row() >= len(self.conflicts):
            return None
        return self.conflicts[rows[0].row()]

    def _resolve(self, choice: str) -> None:
        conflict = self.current()
        if conflict is None:
            return
        command = ResolveConflictCommand(self.ctx, conflict, choice)
        command.tell_instead = self.problem.setText
        if push_edit(self.ctx, command, self):
            self.problem.clear()


# ------------------------------------------------------------------ window actions
def sync_now(window: Any) -> None:
    status: ReplicaStatus | None = getattr(window, "replica", None)
    if status is None or not status.active:
        dialogs.refuse(
            window,
            "This workspace is not a laptop replica; make one with "
            "fieldbook replica --from ADDRESS --db FILE.",
        )
        return
    if not status.sync_now():
        window.statusBar().showMessage("A sync is already running.", 5000)


def review_conflicts(window: Any) -> None:
    status: ReplicaStatus | None = getattr(window, "replica", None)
    if status is None or not status.active:
        dialogs.refuse(window, "This workspace is not a laptop replica, so it has no conflicts.")
        return
    dialog = ConflictsDialog(window.ctx, window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    window.conflicts_dialog = dialog
    dialog.show()
