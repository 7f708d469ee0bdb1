"""Other people's commits to a team workspace reach the open window (LISTEN/NOTIFY -> Qt).

The listener thread (app.models.notify) hands each remote change set to a Qt signal, so it
arrives on the GUI thread; there it is published on ``store.changes`` and, for the views
still on ``ctx.events.changed``, announced per account and kind, so only what changed
refreshes.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from app.models.changes import ChangeKind, ChangeSet
from app.models.notify import RemoteChanges, listen
from app.views.context import AppContext

#: The ``ctx.events.changed`` kind for each change kind (see WorkspaceEvents).
EVENT_KINDS = {
    ChangeKind.ACCOUNT: "hierarchy",
    ChangeKind.SUCCESS_PLAN: "plan",
}
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
        self.ctx.store.changes.publish(changes)
        events = self.ctx.events.changed
        if ChangeKind.WORKSPACE in changes.kinds or len(changes.account_ids) > MANY:
            events.emit(None, "workspace")
            return
        for kind in sorted(changes.kinds, key=lambda k: k.value):
            name = EVENT_KINDS.get(kind, kind.value)
            if not changes.account_ids:
                events.emit(None, "workspace" if kind is ChangeKind.ACCOUNT else name)
            for account_id in sorted(changes.account_ids):
                events.emit(account_id, name)

    def stop(self) -> None:
        if self.listener is not None:
            self.listener.stop()
            self.listener = None
