"""What every widget of the open workspace shares: the store, the undo stack, change signals."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from PySide6.QtCore import QObject, Qt, QThread, Signal
from PySide6.QtGui import QUndoStack

from app.models.changes import ChangeKind, ChangeSet
from app.models.store import Store


class WorkspaceEvents(QObject):
    """The store's change feed as a Qt signal, and requests to show an account.

    ``changed(ChangeSet)``: one per committed unit of work (the store's, or on a team
    workspace someone else's), always delivered on this object's (the GUI) thread. Views
    connect to it and ask ``changes.touches(kind, ..., account_id=shown)``; nothing in the
    views announces changes itself.
    ``open_account(account_id, tab)`` asks the main window to show an account at a tab
    (tab title such as ``"Stakeholders"``; empty string for the default tab).
    """

    changed = Signal(object)
    open_account = Signal(object, str)
    _from_elsewhere = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._from_elsewhere.connect(self.changed, Qt.ConnectionType.QueuedConnection)

    def settings_changed(self) -> None:
        """A setting every view is scoped by changed (who the user is, for "my book"): no
        record changed, so the store cannot say it; views reload as after a book-wide change."""
        self.changed.emit(ChangeSet.of(ChangeKind.WORKSPACE))

    def relay(self, changes: ChangeSet) -> None:
        """Re-emit ``changes`` as ``changed``: at once on the GUI thread, queued from others."""
        if QThread.currentThread() == self.thread():
            self.changed.emit(changes)
        else:
            self._from_elsewhere.emit(changes)


@dataclass
class AppContext:
    """Handed to every view of one open workspace."""

    store: Store
    undo_stack: QUndoStack = field(default_factory=QUndoStack)
    events: WorkspaceEvents = field(default_factory=WorkspaceEvents)
    #: "Today" for every date rule; tests pin it.
    today: date = field(default_factory=date.today)

    def __post_init__(self) -> None:
        self._leave = self.store.changes.subscribe(self._relay)
        self.events.destroyed.connect(lambda *_: self.close())

    def _relay(self, changes: ChangeSet) -> None:
        try:
            self.events.relay(changes)
        except RuntimeError:  # the events object was deleted with its window
            self.close()

    def close(self) -> None:
        """Stop relaying the store's changes (the workspace is being replaced or closed)."""
        self._leave()
