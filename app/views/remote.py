"""Other people's commits to a team workspace reach the open window (LISTEN/NOTIFY -> Qt).

The listener thread (app.models.notify) hands each remote change set to a Qt signal, so it
arrives on the GUI thread; there it is published on ``store.changes`` like a local commit's,
so each view refreshes only what the change set touched.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from app.models.changes import ChangeKind, ChangeSet
from app.models.notify import RemoteChanges, listen
from app.views.context import AppContext

#: More accounts than this in one remote commit: refresh the book instead of each account.
MANY = 50


class RemoteChangesBridge(QObject):
    """Starts the listener for a team workspace and relays its change sets to the views."""

    arrived = Signal(object)

    def __init__(self, ctx: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        #: Remote change sets received, newest last (the status bar reports them).
        self.received = 0
        self.arrived.connect(self._relay)
        self.listener: RemoteChanges | None = listen(ctx.store, deliver=self.arrived.emit)

    def _relay(self, changes: object) -> None:
        assert isinstance(changes, ChangeSet)
        self.received += 1
        if len(changes.account_ids) > MANY:  # cheaper to refresh the book than each account
            changes = ChangeSet.of(ChangeKind.WORKSPACE, remote=True)
        # The store's feed reaches every view through ctx.events.changed, as local commits do.
        self.ctx.store.changes.publish(changes)

    def stop(self) -> None:
        if self.listener is not None:
            self.listener.stop()
            self.listener = None
